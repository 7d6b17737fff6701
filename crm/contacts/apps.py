from django.apps import AppConfig


class ContactsConfig(AppConfig):
    """People and organisations, search, import/export and the client record."""

    name = "crm.contacts"
    label = "contacts"
    verbose_name = "Contacts"

    def ready(self) -> None:
        from crm.core import audit as core_audit

        # The audit log names these records as members know them.
        core_audit.name_records(
            {
                "contacts.contact": "Client",
                "contacts.contactimport": "Client import",
            }
        )
        from crm.contacts import demo as contacts_demo
        from crm.contacts import registry
        from crm.core import demo, nav

        registry.register()

        nav.register(
            nav.MAIN,
            nav.NavItem(
                "Clients", "contacts:contact_list", order=40, prefix="/clients/"
            ),
        )
        demo.register(contacts_demo.seed)
