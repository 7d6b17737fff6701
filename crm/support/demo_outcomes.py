"""Demo outcome scales, scores over time and referrals in each state (I10, I11).

Runs after the support cases demo; written through the services, so every
row has its history and audit entries. Idempotent: a firm that already has
outcome scales is left alone.
"""

import random
from datetime import timedelta

from django.utils import timezone

from crm.cases.models import Case
from crm.firms.demo import SUPPORT_FIRM
from crm.firms.models import Firm, User
from crm.support import services
from crm.support.choices import ScorePoint, Scorer, SupportKind
from crm.support.models import OutcomeArea, OutcomeScale, ScoreSet
from crm.support.services.referrals import ReferralData

OWNER = "grace.mensah@bridge.example"
SCALES = (
    ("Housing stability", ()),
    ("Wellbeing", ("Money", "Health", "Relationships", "Confidence")),
)
REFERRALS = (
    ("Marcus", "Bell", "professional", "urgent", "Served with a section 21 notice"),
    ("Priya", "Nair", "self", "soon", "Council tax arrears\nStruggling with bills"),
    ("Tom", "Hardy", "professional", "routine", "Lonely since moving to the area"),
    ("Elif", "Kaya", "self", "routine", "Help filling in a PIP form"),
)


def _record(case: Case, scale: OutcomeScale, owner: User, rng: random.Random) -> None:
    areas: list[OutcomeArea | None] = [*scale.areas.all()] or [None]
    start = case.support.start_date or timezone.localdate()
    days_open = (timezone.localdate() - start).days
    level = rng.randint(2, 4)
    points = [(ScorePoint.START, 1)]
    if days_open > 60:
        points.append((ScorePoint.REVIEW, days_open // 2))
    if days_open > 120:
        points.append((ScorePoint.REVIEW, days_open - 7))
    for scorer in (Scorer.CASE_MANAGER, Scorer.BENEFICIARY):
        value = level + (1 if scorer == Scorer.BENEFICIARY else 0)
        for point, offset in points:
            services.scores_record(
                firm=case.firm,
                actor=owner,
                case=case,
                scale=scale,
                point=point,
                scorer=scorer,
                recorded_on=start + timedelta(days=offset),
                values={
                    (a.pk if a else None): min(10, value + rng.randint(0, 1))
                    for a in areas
                },
            )
            value += rng.randint(1, 3)


def seed(firms: dict[str, Firm]) -> None:
    """Add scales, scores on the open support cases and referrals, once."""
    firm = firms[SUPPORT_FIRM]
    owner = User.objects.filter(email=OWNER).first()
    if owner is None or OutcomeScale.objects.filter(firm=firm).exists():
        return
    scales = [
        services.scale_create(
            firm=firm, actor=owner, data=services.ScaleData(name=name, areas=areas)
        )
        for name, areas in SCALES
    ]
    rng = random.Random(10)  # noqa: S311 - repeatable demo data, not security
    cases = Case.objects.filter(
        firm=firm, kind=SupportKind.SUPPORT, is_open=True
    ).select_related("support")
    for i, case in enumerate(cases.order_by("id")):
        for scale in scales[: 1 + i % 2]:
            _record(case, scale, owner, rng)
    assert ScoreSet.objects.filter(firm=firm).exists()  # noqa: S101 - demo sanity
    made = []
    for first, last, kind, urgency, needs in REFERRALS:
        professional = kind == "professional"
        made.append(
            services.referral_submit(
                firm=firm,
                data=ReferralData(
                    referrer_kind=kind,
                    first_name=first,
                    last_name=last,
                    email=f"{first.lower()}.{last.lower()}@example.org",
                    needs=needs,
                    urgency=urgency,
                    consent_to_contact=True,
                    referrer_name="Dr Ruth Evans" if professional else "",
                    referrer_organisation="Riverside Medical Practice"
                    if professional
                    else "",
                    referrer_email="ruth.evans@riverside.example"
                    if professional
                    else "",
                ),
            )
        )
    services.referral_accept(
        firm=firm, actor=owner, referral=made[2], case_manager=owner, create_new=True
    )
    services.referral_decline(
        firm=firm,
        actor=owner,
        referral=made[3],
        reason="PIP forms are done by our partner Citywide Advice; we have passed "
        "on their number.",
    )
