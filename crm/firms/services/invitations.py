"""Member invitations: single-use, expiring links sent by e-mail (SPEC A6)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.mail import send_templated_mail
from crm.firms.choices import Perm, Role
from crm.firms.models import Firm, Invitation, Membership, User
from crm.firms.selectors.members import token_hash
from crm.firms.services.members import membership_create


def _send(invitation: Invitation, token: str, actor: User) -> None:
    link = settings.SITE_URL + reverse("firms:invitation_accept", args=[token])
    firm = invitation.firm
    send_templated_mail(
        firm=firm,
        to=invitation.email,
        template="firms/email/invitation",
        context={
            "invitation": invitation,
            "link": link,
            "inviter": invitation.invited_by,
        },
        actor=actor,
    )


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = timezone.now() + timedelta(
        days=settings.INVITATION_TTL_DAYS
    )
    return token


@transaction.atomic
def invitation_create(
    *, firm: Firm, actor: User, actor_membership: Membership, email: str, role: str
) -> Invitation:
    """Invite ``email`` to join the firm as ``role`` and e-mail them the link.

    A pending invitation for the same address is replaced by the new one.
    """
    if not actor_membership.has_perm(Perm.MANAGE_MEMBERS):
        raise ApplicationError("You cannot invite members.", "forbidden")
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(
            "Enter a valid e-mail address.", "invalid", {"field": "email"}
        ) from exc
    if role not in Role.values:
        raise ApplicationError("Choose a role.", "invalid", {"field": "role"})
    if role == Role.OWNER and actor_membership.role != Role.OWNER:
        raise ApplicationError(
            "Only an owner can invite another owner.", "forbidden", {"field": "role"}
        )
    if Membership.objects.filter(
        firm=firm, user__email__iexact=email, is_active=True
    ).exists():
        raise ApplicationError(
            f"{email} is already a member of {firm.name}.",
            "already_member",
            {"field": "email"},
        )
    now = timezone.now()
    Invitation.objects.filter(
        firm=firm, email=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    invitation = Invitation(firm=firm, email=email, role=role, invited_by=actor)
    token = _new_token(invitation)
    invitation.full_clean()
    invitation.save()
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.INVITE,
        subject=invitation,
        changes={"email": [None, email], "role": [None, role]},
    )
    transaction.on_commit(lambda: _send(invitation, token, actor))
    return invitation


@transaction.atomic
def invitation_resend(
    *, firm: Firm, actor: User, actor_membership: Membership, invitation: Invitation
) -> Invitation:
    """Send a fresh link (the old one stops working) valid for another 7 days."""
    if not actor_membership.has_perm(Perm.MANAGE_MEMBERS):
        raise ApplicationError("You cannot invite members.", "forbidden")
    if invitation.accepted_at or invitation.revoked_at:
        raise ApplicationError("This invitation is no longer open.", "closed")
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash", "expires_at"])
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.INVITE,
        subject=invitation,
        changes={"resent": [None, True]},
    )
    transaction.on_commit(lambda: _send(invitation, token, actor))
    return invitation


@transaction.atomic
def invitation_revoke(
    *, firm: Firm, actor: User, actor_membership: Membership, invitation: Invitation
) -> Invitation:
    """Withdraw a pending invitation; its link stops working at once."""
    if not actor_membership.has_perm(Perm.MANAGE_MEMBERS):
        raise ApplicationError("You cannot manage invitations.", "forbidden")
    if invitation.accepted_at is not None:
        raise ApplicationError("This invitation has already been accepted.", "closed")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        events.record(
            firm=firm, actor=actor, verb=AuditVerb.INVITE_REVOKE, subject=invitation
        )
    return invitation


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Return why the invitation cannot be accepted, or None if it can."""
    if invitation is None:
        return "invalid"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return None


PROBLEM_MESSAGES = {
    "invalid": "This invitation link is not valid. Check that you copied all of it.",
    "used": "This invitation has already been used. Log in instead.",
    "revoked": "This invitation was withdrawn. Ask the firm for a new one.",
    "expired": "This invitation has expired. Ask the firm to send a new one.",
}


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    account: User | None = None,
) -> Membership:
    """Accept the invitation behind ``token`` and return the new membership.

    A new user sets their name and password. Someone who already has an
    account confirms it with their current password through ``authenticate()``
    (so sign-in throttling counts the try) and passes the user it returned as
    ``account``; without it the invitation is not accepted.
    """
    hashed = token_hash(token)
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("firm")
            .filter(token_hash=hashed)
            .first()
        )
        problem = invitation_problem(invitation)
        if problem is not None or invitation is None:
            raise ApplicationError(
                PROBLEM_MESSAGES[problem or "invalid"], problem or ""
            )
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            if not first_name.strip():
                raise ApplicationError(
                    "Enter your first name.", "invalid", {"field": "first_name"}
                )
            user = User(
                email=invitation.email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
            )
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                raise ApplicationError(
                    " ".join(exc.messages), "invalid", {"field": "password1"}
                ) from exc
            user.set_password(password)
            user.full_clean()
            user.save()
        elif account is None or account.pk != user.pk:
            raise ApplicationError(
                "That is not the password of your Casework account.",
                "invalid",
                {"field": "password1"},
            )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        firm = invitation.firm
        membership = membership_create(
            firm=firm, actor=user, user=user, role=invitation.role
        )
        events.record(
            firm=firm, actor=user, verb=AuditVerb.INVITE_ACCEPT, subject=invitation
        )
    return membership


def invitation_account_exists(invitation: Invitation) -> bool:
    """Return whether the invited address already has a Casework account."""
    return User.objects.filter(email__iexact=invitation.email).exists()
