from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The client portal, client invitations and the action log (SPEC H, E8)."""

    name = "crm.portal"
    label = "portal"
    verbose_name = "Client portal"

    def ready(self) -> None:
        from crm.core import audit as core_audit

        # The audit log names these records as members know them.
        core_audit.name_records(
            {
                "portal.requestedaction": "Client action",
                "portal.portalaccount": "Portal account",
                "portal.portalinvitation": "Portal invitation",
                "portal.creditconsent": "Credit check consent",
                "portal.actionupload": "Client upload",
            }
        )
        from crm.core import demo, erasure
        from crm.portal import demo as portal_demo
        from crm.portal import registry
        from crm.portal.services import erasure as portal_erasure

        registry.register()
        erasure.register("portal", portal_erasure.contact_portal_erase)
        demo.register(portal_demo.seed)
        demo.register_logins(portal_demo.login_lines)
