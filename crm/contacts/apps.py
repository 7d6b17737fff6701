from django.apps import AppConfig


class ContactsConfig(AppConfig):
    """People and organisations, search, import/export and the client record."""

    name = "crm.contacts"
    label = "contacts"
    verbose_name = "Contacts"

    def ready(self) -> None:
        from crm.contacts import registry

        registry.register()
