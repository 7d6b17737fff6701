"""Referrals in: the public form, and accepting or declining from the queue (I11).

A referral arrives through the firm's public form with no login, so its
services take no actor; a manager then accepts it (matching or creating the
contact, duplicate-checked, and opening a support case with its needs and
pathway) or declines it with a reason. The referrer hears either way.
"""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.cases.models import Case
from crm.contacts import services as contact_services
from crm.contacts.models import Contact
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.mail import send_templated_mail
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.support.choices import (
    ConcernLevel,
    ItemKind,
    ReferralEventType,
    ReferralStatus,
    ReferrerKind,
    Urgency,
)
from crm.support.models import Pathway, Referral, ReferralForm, SupportItem
from crm.support.services.cases import SupportCaseData, support_case_create

REASON_MAX = 300
TITLE_MAX = 80
NEED_MAX = 300
CONCERN_FOR = {
    Urgency.ROUTINE: ConcernLevel.LOW,
    Urgency.SOON: ConcernLevel.MEDIUM,
    Urgency.URGENT: ConcernLevel.HIGH,
}


@dataclass(frozen=True)
class ReferralData:
    """What the public referral form sends (already parsed by its form)."""

    referrer_kind: str
    first_name: str
    last_name: str
    needs: str
    consent_to_contact: bool
    email: str = ""
    phone: str = ""
    postcode: str = ""
    urgency: str = Urgency.ROUTINE
    pathway: Pathway | None = None
    referrer_name: str = ""
    referrer_organisation: str = ""
    referrer_email: str = ""
    referrer_phone: str = ""


def _required(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, "required", {"field": field})


@transaction.atomic
def referral_form_for(*, firm: Firm) -> ReferralForm:
    """Return the firm's public referral form, making its stable key the first time."""
    found = ReferralForm.objects.filter(firm=firm).first()
    if found is not None:
        return found
    form = ReferralForm(firm=firm, key=secrets.token_urlsafe(9).lower())
    form.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:  # made at the same moment by another request
        return ReferralForm.objects.get(firm=firm)
    return form


def _check(firm: Firm, data: ReferralData) -> None:
    if not firm.has_support:
        raise ApplicationError("This organisation does not take referrals.")
    if data.referrer_kind not in ReferrerKind.values:
        raise _required("Say who is making the referral.", "referrer_kind")
    if not (data.first_name.strip() and data.last_name.strip()):
        raise _required("Enter the first and last name.", "first_name")
    if not (data.email.strip() or data.phone.strip()):
        raise _required("Enter an e-mail address or a phone number.", "email")
    if not data.needs.strip():
        raise _required("Tell us what help is needed.", "needs")
    if data.urgency not in Urgency.values:
        raise _required("Choose how urgent it is.", "urgency")
    if data.referrer_kind == ReferrerKind.PROFESSIONAL:
        if not data.referrer_name.strip():
            raise _required("Enter your name.", "referrer_name")
        if not data.referrer_email.strip():
            raise _required(
                "Enter your e-mail address, so we can tell you what happens.",
                "referrer_email",
            )
    if not data.consent_to_contact:
        raise _required(
            "We can only take a referral when the person agrees to be contacted.",
            "consent_to_contact",
        )
    if data.pathway is not None:
        ensure_same_firm(firm, data.pathway)
        if not data.pathway.is_active:
            raise ApplicationError(
                "Choose one of the services listed.", "invalid", {"field": "pathway"}
            )


@transaction.atomic
def referral_submit(*, firm: Firm, data: ReferralData) -> Referral:
    """Put a referral from the public form in the firm's New queue."""
    _check(firm, data)
    referral = Referral(
        firm=firm,
        referrer_kind=data.referrer_kind,
        referrer_name=data.referrer_name.strip(),
        referrer_organisation=data.referrer_organisation.strip(),
        referrer_email=data.referrer_email.strip(),
        referrer_phone=data.referrer_phone.strip(),
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        email=data.email.strip(),
        phone=data.phone.strip(),
        postcode=data.postcode.strip().upper(),
        needs=data.needs.strip(),
        urgency=data.urgency,
        pathway=data.pathway,
        consent_to_contact=True,
    )
    referral.full_clean()
    referral.save()
    events.record(
        firm=firm,
        actor=None,
        subject=referral,
        verb=AuditVerb.CREATE,
        changes={
            "referred": [None, referral.person_name],
            "by": [None, referral.get_referrer_kind_display()],
            "urgency": [None, referral.urgency],
        },
    )
    return referral


def _check_new(firm: Firm, referral: Referral) -> None:
    ensure_same_firm(firm, referral)
    if referral.status != ReferralStatus.NEW:
        raise ApplicationError(
            f"This referral was already {referral.get_status_display().lower()}.",
            "decided",
        )


def _tell_referrer(
    firm: Firm, actor: User, referral: Referral, template: str, **context: object
) -> None:
    to = referral.reply_to
    if not to:
        return
    professional = referral.referrer_kind == ReferrerKind.PROFESSIONAL
    name = referral.referrer_name if professional else referral.first_name
    about = referral.person_name if professional else ""
    transaction.on_commit(
        lambda: send_templated_mail(
            firm=firm,
            to=to,
            template=f"support/email/{template}",
            context={"name": name, "about": about, **context},
            actor=actor,
        )
    )


def _contact_for(
    firm: Firm, actor: User, referral: Referral, match: Contact | None, new: bool
) -> Contact:
    if match is not None:
        ensure_same_firm(firm, match)
        return match
    return contact_services.contact_create(
        firm=firm,
        actor=actor,
        allow_duplicate=new,
        first_name=referral.first_name,
        last_name=referral.last_name,
        email=referral.email,
        mobile=referral.phone,
        postcode=referral.postcode,
    )


def _title(needs: str) -> str:
    first = " ".join(needs.strip().splitlines()[0].split()) if needs.strip() else ""
    if len(first) > TITLE_MAX:
        first = first[: TITLE_MAX - 1].rstrip() + "…"
    return first or "Referral"


@transaction.atomic
def referral_accept(
    *,
    firm: Firm,
    actor: User,
    referral: Referral,
    case_manager: User | None,
    pathway: Pathway | None = None,
    match: Contact | None = None,
    create_new: bool = False,
) -> Case:
    """Accept a referral: its contact (matched or new) gets a support case.

    With neither ``match`` nor ``create_new``, a contact sharing the e-mail or
    mobile refuses the accept with ``DuplicateContact``, whose duplicates the
    manager chooses from (or confirms a new contact).
    """
    _check_new(firm, referral)
    contact = _contact_for(firm, actor, referral, match, create_new)
    case = support_case_create(
        firm=firm,
        actor=actor,
        beneficiary=contact,
        data=SupportCaseData(
            title=_title(referral.needs),
            case_manager=case_manager,
            pathway=pathway if pathway is not None else referral.pathway,
            note=f"Referred on {timezone.localtime(referral.submitted_at):%d %b %Y}.",
        ),
        concern_level=CONCERN_FOR.get(Urgency(referral.urgency), ConcernLevel.LOW),
    )
    needs = [" ".join(line.split()) for line in referral.needs.splitlines()]
    SupportItem.objects.bulk_create(
        SupportItem(
            firm=firm,
            case=case,
            kind=ItemKind.NEED,
            text=text[:NEED_MAX],
            created_by=actor,
        )
        for text in needs
        if text
    )
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_at = timezone.now()
    referral.decided_by = actor
    referral.contact = contact
    referral.case = case
    referral.save(
        update_fields=["status", "decided_at", "decided_by", "contact", "case"]
    )
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=ReferralEventType.OPENED_FROM_REFERRAL,
        params={
            "by": referral.referrer_name or referral.person_name,
            "organisation": referral.referrer_organisation,
            "needs": len([n for n in needs if n]),
        },
    )
    events.record(
        firm=firm,
        actor=actor,
        subject=referral,
        verb=AuditVerb.STATUS_CHANGE,
        changes={
            "status": [ReferralStatus.NEW.value, ReferralStatus.ACCEPTED.value],
            "case": [None, case.reference],
        },
    )
    manager = case.owner.full_name if case.owner else ""
    _tell_referrer(firm, actor, referral, "referral_accepted", manager=manager)
    return case


@transaction.atomic
def referral_decline(
    *, firm: Firm, actor: User, referral: Referral, reason: str
) -> Referral:
    """Decline a referral with a reason, which the referrer is told."""
    _check_new(firm, referral)
    reason = " ".join(reason.split())
    if not reason:
        raise _required("Give a reason; the referrer is told it.", "reason")
    if len(reason) > REASON_MAX:
        raise ApplicationError(
            f"Keep the reason under {REASON_MAX} characters.",
            "too_long",
            {"field": "reason"},
        )
    referral.status = ReferralStatus.DECLINED
    referral.decided_at = timezone.now()
    referral.decided_by = actor
    referral.decline_reason = reason
    referral.save(
        update_fields=["status", "decided_at", "decided_by", "decline_reason"]
    )
    events.record(
        firm=firm,
        actor=actor,
        subject=referral,
        verb=AuditVerb.STATUS_CHANGE,
        changes={
            "status": [ReferralStatus.NEW.value, ReferralStatus.DECLINED.value],
            "reason": [None, reason],
        },
    )
    _tell_referrer(firm, actor, referral, "referral_declined", reason=reason)
    return referral
