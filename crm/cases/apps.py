from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The case core for every kind, the Cases list and the New Case wizard."""

    name = "crm.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from crm.core import audit as core_audit

        # The audit log names these records as members know them.
        core_audit.name_records(
            {
                "cases.case": "Case",
                "cases.caseapplicant": "Case client",
                "cases.document": "Case document",
            }
        )
        from crm.cases import registry

        registry.register()
        from crm.cases import services
        from crm.contacts import renames

        # Cases keep their main applicant's sort name (the client sort).
        renames.register("cases.client_sort_name", services.case_client_names_refresh)
        from crm.firms import renames as member_renames

        # Cases keep their owner's name (the owner sort).
        member_renames.register(
            "cases.owner_sort_name", services.case_owner_names_refresh
        )
        from crm.cases import checks  # noqa: F401  (registers the checks)
        from crm.cases.tally import services as tally
        from crm.core import rollups

        # The reports' counts of cases (``rollups_rebuild`` repairs them).
        rollups.register(
            "cases", tally.rebuild, sources=("cases.Case", "support.SupportDetails")
        )
