from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Support cases for charities: needs, outcomes, planned support, services (I)."""

    name = "crm.support"
    label = "support"
    verbose_name = "Support cases"

    def ready(self) -> None:
        from crm.core import audit as core_audit

        # The audit log names these records as members know them.
        core_audit.name_records(
            {
                "support.supportdetails": "Support case",
                "support.supportitem": "Need or outcome",
                "support.plannedsupport": "Planned support",
                "support.externalservice": "External service",
                "support.openperiod": "Support period",
                "support.pathway": "Pathway",
                "support.outcomescale": "Outcome scale",
                "support.scoreset": "Outcome scores",
                "support.scorelink": "Scoring link",
                "support.referral": "Referral",
                "support.referralout": "Referral out",
                "support.referraloutupdate": "Partner update",
                "support.stalecasealert": "Stale case alert",
                "support.caseview": "Case view",
            }
        )
        from crm.core import demo, nav, periodic
        from crm.core.permissions import Perm
        from crm.support import demo as support_demo
        from crm.support import (
            demo_outcomes,
            demo_referrals_out,
            demo_safeguarding,
            jobs,
            registry,
        )
        from crm.support import principals as support_principals

        registry.register()
        support_principals.register()
        nav.register(
            nav.MAIN,
            nav.NavItem(
                "Cases",
                "support:case_list",
                order=60,
                module="support",
                prefix="/support/cases/",
                both_label="Support cases",
            ),
            nav.NavItem(
                "Referrals",
                "support:referral_list",
                order=62,
                perm=Perm.VIEW_ALL_CASES,
                module="support",
                prefix="/support/referrals/",
            ),
            nav.NavItem(
                "Workload",
                "support:workload",
                order=64,
                perm=Perm.MANAGE_MEMBERS,
                module="support",
                prefix="/support/workload/",
            ),
            nav.NavItem(
                "Funder report",
                "support:funder_report",
                order=72,
                perm=Perm.VIEW_REPORTS,
                module="support",
                prefix="/support/funder-report/",
            ),
        )
        # One + New Case for a firm with both modules offers a support case too;
        # a support-only charity keeps Create case on its lists (seed 004).
        nav.register(
            nav.ACTIONS,
            nav.NavItem(
                "Create case",
                "support:case_create",
                order=30,
                module="support",
                perm=Perm.EDIT_CASES,
                group="new_case",
                choice_label="Support case",
                solo=False,
            ),
        )
        nav.register(
            nav.SETTINGS,
            # Who opened High and Urgent cases (I14): beside the audit log.
            nav.NavItem(
                "High-concern case views",
                "support:case_view_list",
                order=78,
                perm=Perm.MANAGE_MEMBERS,
                module="support",
                prefix="/support/case-views/",
            ),
            nav.NavItem(
                "Pathways",
                "support:pathway_list",
                order=70,
                perm=Perm.MANAGE_FIRM,
                module="support",
            ),
            nav.NavItem(
                "Outcome scales",
                "support:scale_list",
                order=72,
                perm=Perm.MANAGE_FIRM,
                module="support",
            ),
        )
        periodic.register(
            periodic.Periodic(
                name="support.stale_cases",
                every=jobs.STALE_CHECK_EVERY,
                run=jobs.enqueue_stale_checks,
            )
        )
        periodic.register(
            periodic.Periodic(
                name="support.stale_digest",
                every=jobs.DIGEST_EVERY,
                run=jobs.enqueue_stale_digests,
            )
        )
        from crm.core import rollups
        from crm.support.tally import services as score_tally

        # The funder report's latest scores (``rollups_rebuild`` repairs them).
        rollups.register(
            "support.scores",
            score_tally.rebuild,
            sources=("support.ScoreSet", "support.SupportDetails"),
        )
        demo.register(support_demo.seed)
        demo.register(demo_outcomes.seed)
        demo.register(demo_referrals_out.seed)
        demo.register(demo_safeguarding.seed)
