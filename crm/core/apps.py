from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Tenancy, policies, audit, dev mailbox: what every other app stands on."""

    name = "crm.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from crm.core import checks  # noqa: F401 - registers the system checks
