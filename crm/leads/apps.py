from django.apps import AppConfig


class LeadsConfig(AppConfig):
    """Leads and the pipeline board."""

    name = "crm.leads"
    label = "leads"
    verbose_name = "Leads"
