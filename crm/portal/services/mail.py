"""The e-mails the portal sends clients: invitations and reminders (K4)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core.mail import send_templated_mail
from crm.firms.models import Firm, User
from crm.firms.selectors.members import token_hash
from crm.portal.models import PortalAccount, PortalInvitation, RequestedAction


def _new_invitation(
    *, firm: Firm, actor: User | None, case: Case, contact: Contact
) -> tuple[PortalInvitation, str]:
    """Replace the client's open invitations with a new one; return it and its token."""
    now = timezone.now()
    PortalInvitation.objects.filter(
        firm=firm, contact=contact, used_at=None, revoked_at=None
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = PortalInvitation(
        firm=firm,
        contact=contact,
        case=case,
        email=contact.email.strip().lower(),
        token_hash=token_hash(token),
        expires_at=now + timedelta(days=settings.INVITATION_TTL_DAYS),
        sent_by=actor,
    )
    invitation.full_clean()
    invitation.save()
    return invitation, token


def send_action_mail(
    *,
    firm: Firm,
    actor: User | None,
    case: Case,
    contact: Contact,
    actions: list[RequestedAction],
    account: PortalAccount | None,
    reminder: bool = False,
) -> PortalInvitation | None:
    """E-mail ``contact`` the actions asked of them, once the transaction commits.

    A client without a portal account gets a new single-use link to set a
    password (their older links stop working); one with an account gets the
    portal's login link. Return the new invitation, if any.
    """
    invitation = None
    if account is None:
        invitation, token = _new_invitation(
            firm=firm, actor=actor, case=case, contact=contact
        )
        link = settings.SITE_URL + reverse("portal:invitation_accept", args=[token])
    else:
        link = settings.SITE_URL + reverse("portal:login")
    context = {
        "contact": contact,
        "case": case,
        "actions": [a.get_kind_display() for a in actions],
        "link": link,
        "has_account": account is not None,
        "expires_at": invitation.expires_at if invitation else None,
        "adviser": actor,
        "reminder": reminder,
    }
    to = contact.email
    transaction.on_commit(
        lambda: send_templated_mail(
            firm=firm,
            to=to,
            template="portal/email/actions",
            context=context,
            actor=actor,
        )
    )
    return invitation
