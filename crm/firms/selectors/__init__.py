"""Reads about firms, members and the firm's reference lists."""

from crm.firms.selectors.members import (
    invitation_get,
    invitation_get_by_token,
    invitation_list_pending,
    member_choices,
    membership_get,
    membership_list,
    membership_list_for_user,
)

__all__ = [
    "invitation_get",
    "invitation_get_by_token",
    "invitation_list_pending",
    "member_choices",
    "membership_get",
    "membership_list",
    "membership_list_for_user",
]
