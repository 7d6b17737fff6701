from django.apps import AppConfig


class ConcertHubConfig(AppConfig):
    """Sending protection business to the Concert Hub network (SPEC G4-G6)."""

    name = "crm.concerthub"
    label = "concerthub"
    verbose_name = "Concert Hub"

    def ready(self) -> None:
        from crm.concerthub import demo as concerthub_demo
        from crm.concerthub import registry
        from crm.core import audit, demo

        audit.name_records(
            {
                "concerthub.submission": "Concert Hub submission",
                "concerthub.networkfirm": "Network Firm ID",
                "concerthub.networkadviser": "Adviser UID",
                "core.outboxmessage": "Outgoing message",
            }
        )
        registry.register()
        demo.register(concerthub_demo.seed)
