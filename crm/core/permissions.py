"""The permission vocabulary every app checks (SPEC A4).

Roles, and which permissions each grants, belong to ``crm.firms``; the names
live here so that core (policies, navigation) can name them without importing
firms.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


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
    MANAGE_COMPLAINTS = "manage_complaints", _("Manage complaints")


# What each permission lets a member do, in the words of the dashboard's
# "What you can do" (issue 14).
PLAIN_WORDS: dict[str, "StrOrPromise"] = {
    Perm.MANAGE_FIRM: _(
        "Change the firm's settings: branches, introducers, interaction types "
        "and task categories"
    ),
    Perm.MANAGE_MEMBERS: _("Invite members and change their roles"),
    Perm.VIEW_ALL_CASES: _("See every case in the firm"),
    Perm.VIEW_OWN_CASES: _("See the cases you own"),
    Perm.EDIT_CASES: _("Add and change clients, leads, cases, tasks and notes"),
    Perm.ACTION_LOG: _("Invite clients to the portal and ask them for documents"),
    Perm.SUBMIT_CONCERT_HUB: _("Send protection cases to Concert Hub"),
    Perm.EXPORT_DATA: _("Export clients and cases to CSV"),
    Perm.VIEW_REPORTS: _("See the firm's reports"),
    Perm.VIEW_AUDIT_LOG: _("Read the audit log of every change"),
    Perm.MANAGE_COMPLAINTS: _(
        "Log complaints, record their outcome and keep the complaints register"
    ),
}

# Permissions that decide what a member sees rather than a page they open.
VISIBILITY_PERMS = frozenset({Perm.VIEW_ALL_CASES, Perm.VIEW_OWN_CASES})
