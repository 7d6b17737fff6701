from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Tenancy, policies, audit, dev mailbox: what every other app stands on."""

    name = "crm.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from crm.core import (
            checks,  # noqa: F401 - registers the system checks
            columns,
            i18n,
            nav,
            txmemo,
        )
        from crm.core.permissions import Perm

        columns.install()
        i18n.install()
        txmemo.install()

        nav.register(
            nav.SETTINGS,
            nav.NavItem(
                "Audit log", "core:audit_log", order=80, perm=Perm.VIEW_AUDIT_LOG
            ),
            nav.NavItem(
                "Dev mailbox",
                "core:mailbox_list",
                order=90,
                dev_only=True,
                prefix="/dev/",
            ),
        )
