"""Referrals out: refer a beneficiary to an external service, with consent (I12).

The case manager records the beneficiary's consent to share (purpose, date,
who took it, how) and what to share; the partner is e-mailed a link that
opens without a login. Through it the partner accepts or declines (once)
and, once accepted, posts short updates. Every answer is a touchpoint on
the case. Each form on the partner's page carries the referral's current
``action_key``, which every action replaces: a form sent twice, or from a
page left open in another tab, is refused instead of applied again.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.mail import send_templated_mail
from crm.core.tenancy import ensure_same_firm
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User
from crm.interactions.services import touchpoint_log
from crm.support.choices import (
    ConsentMethod,
    PartnerAction,
    ReferralOutEventType,
    ReferralOutStatus,
)
from crm.support.models import ExternalService, ReferralOut, ReferralOutUpdate
from crm.support.services.cases import check_support_case

# An unanswered link runs out after this; each answer keeps it open this long.
ANSWER_DAYS = 14
UPDATE_DAYS = 90
UPDATE_MAX = 1000
SHARED_NEED_MAX = 1000
MESSAGE_MAX = 2000
PURPOSE_MAX = 300

EXPIRED = (
    "This referral link has expired. If you would still like to respond, "
    "please contact {firm} directly."
)
DECLINED = (
    "You declined this referral on {date}, so this link no longer opens. "
    "{firm} has been told."
)
CASE_CLOSED = (
    "{firm} has closed this piece of work, so this link no longer takes "
    "answers. Please contact them directly if you need to."
)
STALE = (
    "This form was already sent, or the page was out of date: nothing was "
    "saved twice. The page below shows where the referral stands now."
)


@dataclass
class ReferralOutData:
    """What the Refer form sets: what to share and the consent to share it."""

    shared_name: str
    shared_need: str
    message: str
    consent_purpose: str
    consent_date: date
    consent_taken_by: User
    consent_method: str


def token_hash(token: str) -> str:
    """Return the stored form of a partner link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def partner_url(token: str) -> str:
    """Return the full address of the partner link with ``token``."""
    path = reverse("support_links:partner", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


def link_problem(referral: ReferralOut) -> str | None:
    """Return why the partner's link no longer opens, or None if it does."""
    firm = referral.firm.name
    if referral.status == ReferralOutStatus.DECLINED:
        when = referral.responded_at or referral.sent_at
        day = date_format(timezone.localtime(when).date(), "j F Y")
        return DECLINED.format(date=day, firm=firm)
    if referral.is_expired:
        return EXPIRED.format(firm=firm)
    if not referral.case.is_open:
        return CASE_CLOSED.format(firm=firm)
    return None


def _text(value: str, *, field: str, limit: int, required: str = "") -> str:
    value = value.strip()
    if required and not value:
        raise ApplicationError(required, "required", {"field": field})
    if len(value) > limit:
        raise ApplicationError(
            f"Keep this under {limit} characters.", "too_long", {"field": field}
        )
    return value


def _check_data(firm: Firm, data: ReferralOutData) -> ReferralOutData:
    data.shared_name = _text(
        data.shared_name,
        field="shared_name",
        limit=120,
        required="Enter the name to share with them.",
    )
    data.shared_need = _text(
        data.shared_need,
        field="shared_need",
        limit=SHARED_NEED_MAX,
        required="Say what the person needs help with.",
    )
    data.message = _text(data.message, field="message", limit=MESSAGE_MAX)
    data.consent_purpose = _text(
        data.consent_purpose,
        field="consent_purpose",
        limit=PURPOSE_MAX,
        required="Enter what the beneficiary agreed their details may be shared for.",
    )
    if data.consent_method not in ConsentMethod.values:
        raise ApplicationError(
            "Choose how consent was given.", "invalid", {"field": "consent_method"}
        )
    if data.consent_date > timezone.localdate():
        raise ApplicationError(
            "The consent date can't be in the future.",
            "invalid",
            {"field": "consent_date"},
        )
    if (
        not firm_selectors.membership_list(firm=firm, include_inactive=False)
        .filter(user_id=data.consent_taken_by.pk)
        .exists()
    ):
        raise ApplicationError(
            "Choose the member of the team who took the consent.",
            "invalid",
            {"field": "consent_taken_by"},
        )
    return data


@transaction.atomic
def referral_out_create(
    *, firm: Firm, actor: User, service: ExternalService, data: ReferralOutData
) -> tuple[ReferralOut, str]:
    """Refer the case's beneficiary to ``service`` and e-mail the partner a link.

    Needs the recorded consent to share; refuses a partner with no e-mail
    address or one that already holds an open referral from this case.
    Return the referral and its link's token.
    """
    ensure_same_firm(firm, service)
    case = service.case
    check_support_case(firm, case)
    partner = service.contact
    if not partner.email:
        raise ApplicationError(
            f"{partner.display_name} has no e-mail address. Add one to their "
            "record to send them a referral.",
            "no_email",
        )
    data = _check_data(firm, data)
    waiting = ReferralOut.objects.filter(
        firm=firm,
        case=case,
        partner=partner,
        status__in=[ReferralOutStatus.SENT, ReferralOutStatus.ACCEPTED],
        expires_at__gt=timezone.now(),
    ).first()
    if waiting is not None:
        raise ApplicationError(
            f"{partner.display_name} already has a referral from this case "
            f"({waiting.state.label.lower()}, sent "
            f"{date_format(timezone.localtime(waiting.sent_at).date(), 'j M Y')}).",
            "duplicate",
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    referral = ReferralOut(
        firm=firm,
        case=case,
        service=service,
        partner=partner,
        partner_email=partner.email,
        role=service.role,
        shared_name=data.shared_name,
        shared_need=data.shared_need,
        message=data.message,
        consent_purpose=data.consent_purpose,
        consent_date=data.consent_date,
        consent_taken_by=data.consent_taken_by,
        consent_method=data.consent_method,
        token_hash=token_hash(token),
        action_key=secrets.token_urlsafe(16),
        expires_at=now + timedelta(days=ANSWER_DAYS),
        sent_at=now,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=ReferralOutEventType.REFERRED_OUT,
        params={
            "partner": partner.display_name,
            "partner_id": partner.pk,
            "to": partner.email,
            "purpose": data.consent_purpose,
            "method": data.consent_method,
            "consent_date": data.consent_date.isoformat(),
            "taken_by": data.consent_taken_by.full_name or data.consent_taken_by.email,
        },
        verb=AuditVerb.CREATE,
        audit_obj=referral,
        changes={
            "partner": [None, partner],
            "shared_name": [None, data.shared_name],
            "shared_need": [None, data.shared_need],
            "consent_purpose": [None, data.consent_purpose],
            "consent_date": [None, data.consent_date],
            "consent_taken_by": [None, data.consent_taken_by],
            "consent_method": [None, data.consent_method],
        },
    )
    url = partner_url(token)
    transaction.on_commit(
        lambda: send_templated_mail(
            firm=firm,
            to=partner.email,
            template="support/email/referral_out",
            context={
                "partner": partner.display_name,
                "url": url,
                "days": ANSWER_DAYS,
                "shared_name": data.shared_name,
            },
            actor=actor,
        )
    )
    return referral, token


def _touchpoint_text(action: str, text: str) -> str:
    lead = {
        PartnerAction.ACCEPT: "Referral accepted by the partner",
        PartnerAction.DECLINE: "Referral declined by the partner",
        PartnerAction.UPDATE: "Update from the partner",
    }[PartnerAction(action)]
    return f"{lead}: {text}" if text else f"{lead}."


@transaction.atomic
def referral_out_respond(
    *, firm: Firm, referral: ReferralOut, action: str, key: str, text: str = ""
) -> ReferralOutUpdate:
    """Apply the partner's ``action`` (accept, decline, update) through their link.

    ``key`` must be the referral's current action key, which this replaces,
    so each form acts once. A sent referral can be accepted or declined; an
    accepted one takes updates. Each lands on the case as a touchpoint.
    """
    ensure_same_firm(firm, referral)
    locked = (
        ReferralOut.objects.select_for_update()
        .select_related("firm", "case", "partner")
        .get(firm=firm, pk=referral.pk)
    )
    problem = link_problem(locked)
    if problem is not None:
        raise ApplicationError(problem, "link_closed")
    if not key or not secrets.compare_digest(key, locked.action_key):
        raise ApplicationError(STALE, "stale")
    if action not in PartnerAction.values:
        raise ApplicationError("Choose accept, decline or post an update.", "invalid")
    allowed = (
        {PartnerAction.ACCEPT, PartnerAction.DECLINE}
        if locked.status == ReferralOutStatus.SENT
        else {PartnerAction.UPDATE}
    )
    if action not in allowed:
        raise ApplicationError(STALE, "stale")
    text = _text(
        text,
        field="text",
        limit=UPDATE_MAX,
        required="Write your update." if action == PartnerAction.UPDATE else "",
    )
    now = timezone.now()
    update_fields = ["action_key", "expires_at"]
    locked.action_key = secrets.token_urlsafe(16)
    locked.expires_at = now + timedelta(days=UPDATE_DAYS)
    if action != PartnerAction.UPDATE:
        locked.status = (
            ReferralOutStatus.ACCEPTED
            if action == PartnerAction.ACCEPT
            else ReferralOutStatus.DECLINED
        )
        locked.responded_at = now
        update_fields += ["status", "responded_at"]
    locked.save(update_fields=update_fields)
    interaction = touchpoint_log(
        firm=firm,
        actor=None,
        case=locked.case,
        contact=locked.partner,
        notes=_touchpoint_text(action, text),
    )
    update = ReferralOutUpdate(
        firm=firm,
        referral=locked,
        action=action,
        text=text,
        interaction=interaction,
        created_at=now,
    )
    update.full_clean()
    update.save()
    partner = locked.partner.display_name
    if action == PartnerAction.UPDATE:
        events.record(
            firm=firm,
            actor=None,
            verb=AuditVerb.CREATE,
            audit_obj=update,
            changes={"text": [None, text]},
        )
    else:
        events.record(
            firm=firm,
            actor=None,
            subject=locked.case,
            type=ReferralOutEventType.REFERRAL_OUT_ACCEPTED
            if action == PartnerAction.ACCEPT
            else ReferralOutEventType.REFERRAL_OUT_DECLINED,
            params={"partner": partner, "partner_id": locked.partner_id, "text": text},
            verb=AuditVerb.STATUS_CHANGE,
            audit_obj=locked,
            changes={"status": [ReferralOutStatus.SENT, locked.status]},
        )
    referral.status = locked.status
    referral.action_key = locked.action_key
    referral.expires_at = locked.expires_at
    referral.responded_at = locked.responded_at
    return update
