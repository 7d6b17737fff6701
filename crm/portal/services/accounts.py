"""Portal accounts: accepting an invitation, logging in and out (H1)."""

from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.portal import selectors
from crm.portal.choices import PortalCaseEventType
from crm.portal.models import PortalAccount, PortalInvitation

PROBLEM_MESSAGES = {
    "invalid": "This link is not valid. Check that you copied all of it from "
    "the e-mail.",
    "used": "This link has already been used. Log in with the password you set.",
    "revoked": "This link has been replaced by a newer one. Use the link in the "
    "latest e-mail from your adviser.",
    "expired": "This link has expired. Ask your adviser to send a new one.",
}
LOGIN_ATTEMPTS = 5
LOCKOUT_SECONDS = 15 * 60
LOGIN_FAILED = "Enter the e-mail address and password of your client account."


def invitation_problem(invitation: PortalInvitation | None) -> str | None:
    """Return why an invitation cannot be used ("invalid", "used"...), or None."""
    if invitation is None:
        return "invalid"
    if invitation.used_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return None


@transaction.atomic
def invitation_accept(*, token: str, password: str, password2: str) -> PortalAccount:
    """Use the invitation behind ``token``: create the client's account.

    The link works once; the client's other open links stop working too.
    """
    invitation = selectors.invitation_for_token(token)
    problem = invitation_problem(invitation)
    if problem is not None or invitation is None:
        raise ApplicationError(PROBLEM_MESSAGES[problem or "invalid"], problem or "")
    firm = invitation.firm
    with scope(firm=firm.pk):
        invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise ApplicationError(PROBLEM_MESSAGES["used"], "used")
        if password != password2:
            raise ApplicationError(
                "The two passwords do not match.", "invalid", {"field": "password2"}
            )
        account = PortalAccount.objects.filter(
            firm=firm, contact_id=invitation.contact_id
        ).first()
        if account is None:
            account = PortalAccount(
                firm=firm, contact_id=invitation.contact_id, email=invitation.email
            )
        elif not account.is_active:
            raise ApplicationError(PROBLEM_MESSAGES["revoked"], "revoked")
        try:
            password_validation.validate_password(password)
        except ValidationError as exc:
            raise ApplicationError(
                " ".join(exc.messages), "invalid", {"field": "password1"}
            ) from exc
        account.set_password(password)
        account.last_login = timezone.now()
        account.full_clean(validate_unique=False)
        account.save()
        now = timezone.now()
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        PortalInvitation.objects.filter(
            firm=firm, contact_id=invitation.contact_id, used_at=None, revoked_at=None
        ).update(revoked_at=now)
        events.record(
            firm=firm,
            actor=None,
            subject=invitation.case,
            type=PortalCaseEventType.ACCOUNT_CREATED if invitation.case else "",
            params={"client": str(invitation.contact)},
            verb=AuditVerb.INVITE_ACCEPT,
            audit_obj=account,
            changes={"email": [None, account.email]},
        )
    return account


def _attempts_key(email: str) -> str:
    return f"portal-login:{email.strip().lower()}"


def account_login(*, email: str, password: str) -> PortalAccount:
    """Return the account ``email`` and ``password`` open, or raise why not.

    After ``LOGIN_ATTEMPTS`` failures for one address, further tries are
    refused for ``LOCKOUT_SECONDS``, right password or not.
    """
    key = _attempts_key(email)
    failures = int(cache.get(key, 0))
    if failures >= LOGIN_ATTEMPTS:
        raise ApplicationError(
            "Too many failed attempts. Wait 15 minutes, or ask your adviser to "
            "send a new invitation.",
            "locked",
        )
    account = next(
        (a for a in selectors.accounts_for_email(email) if a.check_password(password)),
        None,
    )
    if account is None:
        cache.set(key, failures + 1, LOCKOUT_SECONDS)
        raise ApplicationError(LOGIN_FAILED, "invalid")
    cache.delete(key)
    with scope(firm=account.firm_id):
        account.last_login = timezone.now()
        account.save(update_fields=["last_login"])
        events.record(
            firm=account.firm,
            actor=None,
            verb=AuditVerb.LOGIN,
            audit_obj=account,
            changes={"portal": [None, True]},
        )
    return account
