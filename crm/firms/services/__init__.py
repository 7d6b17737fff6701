"""Writes about firms and members. Import the module and call ``services.x``."""

from crm.firms.services.auth import (
    auth_login_failed,
    auth_login_succeeded,
    auth_logout,
    auth_password_changed,
    auth_password_reset_done,
)
from crm.firms.services.firm import firm_create, firm_update
from crm.firms.services.introducers import (
    introducer_branch_create,
    introducer_branch_set_active,
    introducer_branch_update,
    introducer_chain_check,
    introducer_create,
    introducer_set_active,
    introducer_update,
    negotiator_create,
    negotiator_set_active,
    negotiator_update,
)
from crm.firms.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from crm.firms.services.lookups import (
    branch_create,
    branch_set_active,
    branch_update,
    interaction_type_create,
    interaction_type_rename,
    interaction_type_set_active,
    task_category_create,
    task_category_rename,
    task_category_set_active,
)
from crm.firms.services.members import (
    membership_create,
    membership_set_active,
    membership_update,
    user_rename,
)
from crm.firms.services.mfa import (
    recovery_codes_regenerate,
    two_factor_disable,
    two_factor_enable,
    two_factor_reset,
    two_factor_verify,
)

__all__ = [
    "auth_login_failed",
    "auth_login_succeeded",
    "auth_logout",
    "auth_password_changed",
    "auth_password_reset_done",
    "branch_create",
    "branch_set_active",
    "branch_update",
    "firm_create",
    "firm_update",
    "interaction_type_create",
    "interaction_type_rename",
    "interaction_type_set_active",
    "introducer_branch_create",
    "introducer_branch_set_active",
    "introducer_branch_update",
    "introducer_chain_check",
    "introducer_create",
    "introducer_set_active",
    "introducer_update",
    "invitation_accept",
    "invitation_create",
    "invitation_resend",
    "invitation_revoke",
    "membership_create",
    "membership_set_active",
    "membership_update",
    "negotiator_create",
    "negotiator_set_active",
    "negotiator_update",
    "recovery_codes_regenerate",
    "task_category_create",
    "task_category_rename",
    "task_category_set_active",
    "two_factor_disable",
    "two_factor_enable",
    "two_factor_reset",
    "two_factor_verify",
    "user_rename",
]
