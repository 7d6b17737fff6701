"""Choices shared across apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Colour(models.TextChoices):
    """Badge colours a choice may declare; each has a ``badge--<value>`` style.

    The styles pass WCAG AA contrast; the badge's text always says the status.
    """

    BLUE = "blue", _("Blue")
    AMBER = "amber", _("Amber")
    GREEN = "green", _("Green")
    RED = "red", _("Red")


class AuditVerb(models.TextChoices):
    """What an audit event records (SPEC A7)."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    ARCHIVE = "archive", _("Archived")
    RESTORE = "restore", _("Restored")
    STATUS_CHANGE = "status_change", _("Status changed")
    EXPORT = "export", _("Exported")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    PERMISSION_CHANGE = "permission_change", _("Permissions changed")
    INVITE = "invite", _("Invited")
    INVITE_ACCEPT = "invite_accept", _("Accepted invitation")
    INVITE_REVOKE = "invite_revoke", _("Revoked invitation")
    PASSWORD_RESET = "password_reset", _("Password reset")
    SUBMIT = "submit", _("Submitted")
    TWO_FACTOR_ON = "two_factor_on", _("Two-factor sign-in set up")
    TWO_FACTOR_OFF = "two_factor_off", _("Two-factor sign-in turned off")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor sign-in reset")
    RECOVERY_CODES_NEW = "recovery_codes_new", _("New recovery codes")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    VIEW = "view", _("Viewed")
    ERASE = "erase", _("Erased")
