"""Audit events for logging in and out and resetting a password."""

from django.db import transaction

from crm.core import events
from crm.core.choices import AuditVerb
from crm.firms.models import Firm, Membership, User
from crm.firms.selectors import membership_list_for_user, user_get_by_email


@transaction.atomic
def auth_login_succeeded(*, user: User, firm: Firm | None) -> None:
    """Record a login in the firm the user lands in."""
    if firm is not None:
        events.record(firm=firm, actor=user, verb=AuditVerb.LOGIN, subject=user)


@transaction.atomic
def auth_login_failed(*, email: str) -> None:
    """Record a failed login in every firm of the account it named, if any.

    The audit row has no actor (whoever typed the password is unknown); an
    e-mail that names no account belongs to no firm, so nothing is written.
    """
    user = user_get_by_email(email=email)
    if user is None:
        return
    for membership in membership_list_for_user(user=user):
        events.record(
            firm=membership.firm,
            actor=None,
            verb=AuditVerb.LOGIN_FAILED,
            subject=user,
        )


@transaction.atomic
def auth_logout(*, user: User, firm: Firm | None) -> None:
    """Record a logout in the firm the user was working in."""
    if firm is not None:
        events.record(firm=firm, actor=user, verb=AuditVerb.LOGOUT, subject=user)


@transaction.atomic
def auth_password_reset_done(*, user: User) -> None:
    """Record a password reset in every firm the user belongs to."""
    memberships: list[Membership] = membership_list_for_user(user=user)
    for membership in memberships:
        events.record(
            firm=membership.firm,
            actor=user,
            verb=AuditVerb.PASSWORD_RESET,
            subject=user,
        )


@transaction.atomic
def auth_password_changed(*, user: User, firm: Firm) -> None:
    """Record that a member changed their own password."""
    events.record(
        firm=firm,
        actor=user,
        verb=AuditVerb.UPDATE,
        subject=user,
        changes={"password": ["(old)", "(changed)"]},
    )
