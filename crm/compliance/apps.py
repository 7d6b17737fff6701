from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Data protection: retention, subject access, erasure, consents (SPEC M1-M4)."""

    name = "crm.compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from crm.compliance import demo as compliance_demo
        from crm.compliance import registry
        from crm.core import demo

        registry.register()
        demo.register(compliance_demo.seed)
