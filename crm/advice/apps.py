from django.apps import AppConfig


class AdviceConfig(AppConfig):
    """Mortgage and protection cases: their kinds, pages, wizard and details."""

    name = "crm.advice"
    label = "advice"
    verbose_name = "Advice"

    def ready(self) -> None:
        from crm.advice import registry

        registry.register()
