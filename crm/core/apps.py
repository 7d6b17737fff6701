from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Tenancy, policies, audit, dev mailbox: what every other app stands on."""

    name = "crm.core"
    label = "core"
    verbose_name = "Core"
