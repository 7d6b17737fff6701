"""Roles and the permissions each grants (SPEC A2, A4).

The permission vocabulary, ``Perm``, lives in ``crm.core.permissions`` so that
core can name permissions without importing firms; it is re-exported here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.core.permissions import Perm

__all__ = ["ADVICE_ONLY_PERMS", "ROLE_PERMISSIONS", "Perm", "Role"]


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
            Perm.MANAGE_COMPLAINTS,
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
