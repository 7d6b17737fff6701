"""The permission vocabulary every app checks (SPEC A4).

Roles, and which permissions each grants, belong to ``crm.firms``; the names
live here so that core (policies, navigation) can name them without importing
firms.
"""

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
