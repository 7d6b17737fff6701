from django.apps import AppConfig


class FirmsConfig(AppConfig):
    """Firms, members, roles, invitations and firm settings."""

    name = "crm.firms"
    label = "firms"
    verbose_name = "Firms"

    def ready(self) -> None:
        from crm.core import audit as core_audit

        # The audit log names these records as members know them.
        core_audit.name_records(
            {
                "firms.firm": "Firm settings",
                "firms.user": "Member account",
                "firms.membership": "Member",
                "firms.invitation": "Member invitation",
                "firms.introducerbranch": "Introducer branch",
                "firms.interactiontype": "Interaction type",
                "firms.taskcategory": "Task category",
            }
        )
        from crm.core import demo, nav, principals
        from crm.core.permissions import Perm
        from crm.firms import demo as firms_demo
        from crm.firms import principals as staff
        from crm.firms import selectors

        principals.register_resolver(staff.resolve_staff)
        principals.register_member_choices(selectors.member_choices)
        demo.register_firms(firms_demo.seed, logins=firms_demo.login_lines)
        item = nav.NavItem
        nav.register(
            nav.SETTINGS,
            item("Firm details", "firms:firm_edit", order=10, perm=Perm.MANAGE_FIRM),
            item("Members", "firms:member_list", order=20, perm=Perm.MANAGE_MEMBERS),
            item("Branches", "firms:branch_list", order=30, perm=Perm.MANAGE_FIRM),
            item(
                "Introducers",
                "firms:introducer_list",
                order=40,
                perm=Perm.MANAGE_FIRM,
                module="advice",
            ),
            item(
                "Interaction types",
                "firms:interaction_type_list",
                order=50,
                perm=Perm.MANAGE_FIRM,
            ),
            item(
                "Task categories",
                "firms:task_category_list",
                order=60,
                perm=Perm.MANAGE_FIRM,
            ),
        )
