"""Writes about firms and members. Import the module and call ``services.x``."""

from crm.firms.services.auth import (
    auth_login_succeeded,
    auth_logout,
    auth_password_reset_done,
)
from crm.firms.services.firm import firm_create, firm_update
from crm.firms.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from crm.firms.services.members import (
    membership_create,
    membership_set_active,
    membership_update,
)

__all__ = [
    "auth_login_succeeded",
    "auth_logout",
    "auth_password_reset_done",
    "firm_create",
    "firm_update",
    "invitation_accept",
    "invitation_create",
    "invitation_resend",
    "invitation_revoke",
    "membership_create",
    "membership_set_active",
    "membership_update",
]
