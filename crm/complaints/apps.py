from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """The complaints register, for advice firms and charities alike (M5)."""

    name = "crm.complaints"
    label = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        from crm.complaints import demo as complaints_demo
        from crm.complaints import registry
        from crm.core import audit, demo, nav
        from crm.core.permissions import Perm

        audit.name_records({"complaints.complaint": "Complaint"})
        registry.register()
        nav.register(
            nav.MAIN,
            nav.NavItem(
                "Complaints",
                "complaints:complaint_list",
                order=78,
                perm=Perm.MANAGE_COMPLAINTS,
                prefix="/complaints/",
            ),
        )
        demo.register(complaints_demo.seed)
