"""Reads about members and invitations."""

import hashlib

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from crm.core.exceptions import NotFound
from crm.firms.models import Firm, Invitation, Membership, User


def token_hash(token: str) -> str:
    """Return the stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


def membership_list_for_user(*, user: User) -> list[Membership]:
    """Return the user's active memberships across firms, by firm name.

    This is the one read that crosses firms: it runs before a firm is chosen.
    """
    with scopes_disabled():
        memberships = list(
            Membership.objects.filter(user=user, is_active=True)
            .select_related("firm")
            .order_by("firm__name", "firm_id")
        )
    for membership in memberships:
        membership.user = user  # already loaded: saves a query per request
    return memberships


def membership_list(
    *, firm: Firm, include_inactive: bool = True
) -> QuerySet[Membership]:
    """Return the firm's members with their users, active first, by name."""
    qs = Membership.objects.filter(firm=firm).select_related("user")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_active", "user__first_name", "user__last_name", "id")


def membership_get(*, firm: Firm, membership_id: int) -> Membership:
    """Return one member of the firm or raise ``NotFound``."""
    try:
        return Membership.objects.select_related("user").get(
            firm=firm, pk=membership_id
        )
    except Membership.DoesNotExist as exc:
        raise NotFound from exc


def member_choices(*, firm: Firm) -> list[tuple[int, str]]:
    """Return ``(user_id, name)`` for active members, for filters and pickers."""
    return [
        (m.user_id, m.user.full_name or m.user.email)
        for m in membership_list(firm=firm, include_inactive=False)
    ]


def invitation_list_pending(*, firm: Firm) -> QuerySet[Invitation]:
    """Return invitations not yet accepted or revoked, newest first."""
    return (
        Invitation.objects.filter(firm=firm, accepted_at=None, revoked_at=None)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """Return the invitation whose token this is, from any firm, or None.

    The token itself is the credential, so this read is not firm-scoped.
    """
    with scopes_disabled():
        return (
            Invitation.objects.select_related("firm", "invited_by")
            .filter(token_hash=token_hash(token))
            .first()
        )


def invitation_get(*, firm: Firm, invitation_id: int) -> Invitation:
    """Return one of the firm's invitations or raise ``NotFound``."""
    try:
        return Invitation.objects.select_related("firm").get(
            firm=firm, pk=invitation_id
        )
    except Invitation.DoesNotExist as exc:
        raise NotFound from exc
