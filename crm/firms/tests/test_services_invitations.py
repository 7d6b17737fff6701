"""Invitation services: single-use, hashed, expiring tokens (A6)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent, StoredEmail
from crm.firms import services
from crm.firms.choices import Role
from crm.firms.models import Invitation, Membership
from crm.firms.selectors.members import token_hash
from crm.firms.tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _invite(firm, owner, email="new@example.com", role=Role.ADVISER):
    return services.invitation_create(
        firm=firm, actor=owner.user, actor_membership=owner, email=email, role=role
    )


def _token_from_mail() -> str:
    body = StoredEmail.objects.latest("id").body
    link = next(w for w in body.split() if "/invitations/" in w)
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_invitation_mail_carries_a_token_stored_only_as_hash(db_mail, firm, owner):
    """The e-mail holds the token; the database holds its SHA-256 only."""
    invitation = _invite(firm, owner)
    token = _token_from_mail()
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    mail = StoredEmail.objects.get()
    assert mail.recipient == "new@example.com"
    assert firm.name in mail.subject
    assert AuditEvent.objects.filter(verb="invite").count() == 1


def test_accepting_creates_user_and_membership(db_mail, firm, owner):
    """A new person sets a password and becomes a member with the invited role."""
    _invite(firm, owner, role=Role.READ_ONLY)
    membership = services.invitation_accept(
        token=_token_from_mail(),
        password="a-long-passphrase-1",
        first_name="Nia",
        last_name="Jones",
    )
    assert membership.firm == firm
    assert membership.role == Role.READ_ONLY
    assert membership.user.check_password("a-long-passphrase-1") is True
    assert AuditEvent.objects.filter(verb="invite_accept").count() == 1


def test_token_is_single_use(db_mail, firm, owner):
    """A used link is refused with 'already been used'."""
    _invite(firm, owner)
    token = _token_from_mail()
    services.invitation_accept(
        token=token, password="a-long-passphrase-1", first_name="A"
    )
    with pytest.raises(ApplicationError, match="already been used"):
        services.invitation_accept(
            token=token, password="a-long-passphrase-1", first_name="A"
        )


def test_token_expires_after_seven_days(db_mail, firm, owner):
    """An expired link is refused."""
    _invite(firm, owner)
    token = _token_from_mail()
    with (
        time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)),
        pytest.raises(ApplicationError, match="expired"),
    ):
        services.invitation_accept(
            token=token, password="x-long-pass-123", first_name="A"
        )


def test_tampered_token_is_refused(db_mail, firm, owner):
    """A changed token matches nothing."""
    _invite(firm, owner)
    with pytest.raises(ApplicationError, match="not valid"):
        services.invitation_accept(
            token=_token_from_mail() + "x", password="x-long-pass-123", first_name="A"
        )


def test_new_invitation_replaces_pending_one(db_mail, firm, owner):
    """Inviting the same address again revokes the older link."""
    _invite(firm, owner)
    old = _token_from_mail()
    _invite(firm, owner)
    with pytest.raises(ApplicationError, match="withdrawn"):
        services.invitation_accept(
            token=old, password="x-long-pass-123", first_name="A"
        )


def test_weak_password_is_refused(db_mail, firm, owner):
    """Django's password validators apply."""
    _invite(firm, owner)
    with pytest.raises(ApplicationError, match="too short"):
        services.invitation_accept(
            token=_token_from_mail(), password="short", first_name="A"
        )
    assert Membership.objects.filter(user__email="new@example.com").exists() is False


def test_existing_user_joins_with_current_password(db_mail, firm, owner):
    """Someone with an account joins a second firm with the account they proved.

    The password is checked by ``authenticate()`` in the view; the service
    refuses without the account it returned, or with another account.
    """
    user = UserFactory(email="known@example.com")
    _invite(firm, owner, email="known@example.com")
    token = _token_from_mail()
    with pytest.raises(ApplicationError, match="not the password"):
        services.invitation_accept(token=token, password=DEFAULT_PASSWORD)
    with pytest.raises(ApplicationError, match="not the password"):
        services.invitation_accept(
            token=token, password=DEFAULT_PASSWORD, account=owner.user
        )
    membership = services.invitation_accept(
        token=token, password=DEFAULT_PASSWORD, account=user
    )
    assert membership.user == user


def test_cannot_invite_existing_member(firm, owner, adviser):
    """An active member's address is refused with a clear message."""
    with pytest.raises(ApplicationError, match="already a member"):
        _invite(firm, owner, email=adviser.user.email.upper())


def test_only_owner_invites_an_owner(firm, manager):
    """Managers can invite, but not owners."""
    with pytest.raises(ApplicationError, match="Only an owner"):
        _invite(firm, manager, role=Role.OWNER)


def test_revoke_and_resend(db_mail, firm, owner):
    """Resend issues a new token (old one dies); revoke kills the link."""
    invitation = _invite(firm, owner)
    first = _token_from_mail()
    services.invitation_resend(
        firm=firm, actor=owner.user, actor_membership=owner, invitation=invitation
    )
    second = _token_from_mail()
    assert first != second
    with pytest.raises(ApplicationError, match="not valid"):
        services.invitation_accept(
            token=first, password="x-long-pass-123", first_name="A"
        )
    services.invitation_revoke(
        firm=firm, actor=owner.user, actor_membership=owner, invitation=invitation
    )
    with pytest.raises(ApplicationError, match="withdrawn"):
        services.invitation_accept(
            token=second, password="x-long-pass-123", first_name="A"
        )
    assert Invitation.objects.get().revoked_at is not None


def test_reactivates_a_deactivated_member(db_mail, firm, owner):
    """Inviting a former member back restores their membership."""
    old = MembershipFactory(firm=firm, is_active=False, role=Role.ADVISER)
    _invite(firm, owner, email=old.user.email, role=Role.READ_ONLY)
    membership = services.invitation_accept(
        token=_token_from_mail(), password=DEFAULT_PASSWORD, account=old.user
    )
    assert membership.pk == old.pk
    old.refresh_from_db()
    assert old.is_active is True
    assert old.role == Role.READ_ONLY
