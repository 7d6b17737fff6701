"""Scoring links: a beneficiary scores themselves through a single-use link (I10).

The link is e-mailed to the beneficiary (or handed over by the case manager,
who sees it once); it opens without a login, shows one scale, and is spent
the moment the scores are saved. Only the token's SHA-256 is stored.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crm.cases.models import Case
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.mail import send_templated_mail
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.support.choices import OutcomeEventType, ScorePoint, Scorer
from crm.support.models import OutcomeScale, ScoreLink, ScoreSet
from crm.support.services.cases import beneficiary_of, check_support_case
from crm.support.services.outcomes import scores_record

LINK_DAYS = 14
USED = "This link has already been used: the scores were saved. Thank you."
EXPIRED = (
    "This link has expired. Ask your case manager to send you a new one if you "
    "would still like to give your scores."
)


def token_hash(token: str) -> str:
    """Return the stored form of a link token."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    """Return the full address of the scoring link with ``token``."""
    path = reverse("support_links:score", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


def link_problem(link: ScoreLink) -> str | None:
    """Return why ``link`` no longer opens (used or expired), or None."""
    if link.used_at is not None:
        return USED
    if link.expires_at <= timezone.now():
        return EXPIRED
    return None


@transaction.atomic
def score_link_create(
    *, firm: Firm, actor: User, case: Case, scale: OutcomeScale, point: str
) -> tuple[ScoreLink, str]:
    """Make a single-use scoring link for the beneficiary; return it and its token.

    The link goes by e-mail to the beneficiary when they have an address;
    the token is returned so the case manager can pass it on another way.
    """
    check_support_case(firm, case)
    ensure_same_firm(firm, scale)
    if not scale.is_active:
        raise ApplicationError(
            f"The scale “{scale.name}” is archived; choose another.",
            "invalid",
            {"field": "scale"},
        )
    if point not in ScorePoint.values:
        raise ApplicationError(
            "Choose start, review or close.", "invalid", {"field": "point"}
        )
    if (
        point == ScorePoint.START
        and ScoreSet.objects.filter(
            firm=firm,
            case=case,
            scale=scale,
            scorer=Scorer.BENEFICIARY,
            point=ScorePoint.START,
        ).exists()
    ):
        raise ApplicationError(
            "The beneficiary's start scores on this scale are already recorded; "
            "send a review link instead.",
            "duplicate",
            {"field": "point"},
        )
    beneficiary = beneficiary_of(case)
    token = secrets.token_urlsafe(32)
    link = ScoreLink(
        firm=firm,
        case=case,
        scale=scale,
        point=point,
        token_hash=token_hash(token),
        email=beneficiary.email,
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=LINK_DAYS),
    )
    link.full_clean()
    link.save()
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=OutcomeEventType.SCORE_LINK_SENT,
        params={
            "scale": scale.name,
            "point": point,
            "to": beneficiary.email or "",
        },
        verb=AuditVerb.CREATE,
        audit_obj=link,
        changes={"scale": [None, scale.name], "point": [None, point]},
    )
    if beneficiary.email:
        url = link_url(token)
        transaction.on_commit(
            lambda: send_templated_mail(
                firm=firm,
                to=beneficiary.email,
                template="support/email/score_link",
                context={
                    "name": beneficiary.preferred_name or beneficiary.first_name,
                    "scale": scale.name,
                    "url": url,
                    "days": LINK_DAYS,
                },
                actor=actor,
            )
        )
    return link, token


@transaction.atomic
def score_link_submit(
    *, firm: Firm, link: ScoreLink, values: dict[int | None, int]
) -> ScoreSet:
    """Save the beneficiary's scores through ``link`` and spend the link."""
    ensure_same_firm(firm, link)
    locked = ScoreLink.objects.select_for_update().get(firm=firm, pk=link.pk)
    problem = link_problem(locked)
    if problem is not None:
        raise ApplicationError(problem, "used" if locked.used_at else "expired")
    score_set = scores_record(
        firm=firm,
        actor=None,
        case=locked.case,
        scale=locked.scale,
        point=locked.point,
        scorer=Scorer.BENEFICIARY,
        recorded_on=timezone.localdate(),
        values=values,
        link=locked,
    )
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    link.used_at = locked.used_at
    return score_set
