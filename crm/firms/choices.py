"""Roles, permissions and modules (SPEC A2, A4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Perm(models.TextChoices):
    """A single permission a member can hold (SPEC A4)."""

    MANAGE_FIRM = "manage_firm", _("Manage firm settings")
    MANAGE_MEMBERS = "manage_members", _("Manage members")
    VIEW_ALL_CASES = "view_all_cases", _("View all cases")
    VIEW_OWN_CASES = "view_own_cases", _("View own cases only")
    EDIT_CASES = "edit_cases", _("Edit cases")
    ACTION_LOG = "action_log", _("Action log (invite clients, request actions)")
    SUBMIT_CONCERT_HUB = "submit_concert_hub", _("Submit to Concert Hub")
    EXPORT_DATA = "export_data", _("Export data")
    VIEW_REPORTS = "view_reports", _("View reports")
    VIEW_AUDIT_LOG = "view_audit_log", _("View the audit log")


# Permissions that only mean something to a firm with the Advice module.
ADVICE_ONLY_PERMS = frozenset({Perm.ACTION_LOG, Perm.SUBMIT_CONCERT_HUB})


class Role(models.TextChoices):
    """A member's role: a named set of permissions (SPEC A4)."""

    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    ADVISER = "adviser", _("Adviser / Case manager")
    ADMINISTRATOR = "administrator", _("Administrator (case handler)")
    READ_ONLY = "read_only", _("Read-only")


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(Perm.values),
    Role.MANAGER: frozenset(
        {
            Perm.MANAGE_FIRM,
            Perm.MANAGE_MEMBERS,
            Perm.VIEW_ALL_CASES,
            Perm.EDIT_CASES,
            Perm.ACTION_LOG,
            Perm.SUBMIT_CONCERT_HUB,
            Perm.EXPORT_DATA,
            Perm.VIEW_REPORTS,
        }
    ),
    Role.ADVISER: frozenset(
        {
            Perm.VIEW_ALL_CASES,
            Perm.EDIT_CASES,
            Perm.ACTION_LOG,
            Perm.SUBMIT_CONCERT_HUB,
            Perm.VIEW_REPORTS,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {Perm.VIEW_ALL_CASES, Perm.EDIT_CASES, Perm.ACTION_LOG, Perm.EXPORT_DATA}
    ),
    Role.READ_ONLY: frozenset({Perm.VIEW_ALL_CASES}),
}
