from django.apps import AppConfig


class FirmsConfig(AppConfig):
    """Firms, members, roles, invitations and firm settings."""

    name = "crm.firms"
    label = "firms"
    verbose_name = "Firms"
