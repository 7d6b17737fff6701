"""Outcome scores made by random service calls, for the score tally's tests."""

import datetime

from crm.support import services
from crm.support.choices import ScorePoint, Scorer
from crm.support.models import ScoreSet, SupportDetails
from crm.support.tests.factories import make_pathway, make_scale, make_support_case

NOW = datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 4, 10)


def edit_case(case, **changes):
    """Save the support case's form with ``changes`` (the rest as it is)."""
    details = SupportDetails.objects.select_related("case__owner").get(case=case)
    owner = details.case.owner
    assert owner is not None
    data = {
        "title": details.case.title,
        "case_manager": details.case.owner,
        "start_date": details.start_date,
        "duration": details.duration,
        "expected_end_date": details.expected_end_date,
        "pathway": details.pathway,
        "note": details.case.note,
    } | changes
    services.support_case_update(
        firm=case.firm,
        actor=owner,
        case=details.case,
        data=services.SupportCaseData(**data),
    )


def _values(rng, scale):
    areas = [a.pk for a in scale.areas.all()] or [None]
    return {area: rng.randint(1, 10) for area in areas}


def _score(rng, case, scale, scorer):
    """Record a random set on ``case``: a start first, else a review or close,
    on a day before, between or after the earlier ones."""
    started = ScoreSet.objects.filter(
        case=case, scale=scale, scorer=scorer, point=ScorePoint.START
    ).exists()
    later = [ScorePoint.REVIEW, ScorePoint.CLOSE]
    point = rng.choice(later if started else [ScorePoint.START])
    services.scores_record(
        firm=case.firm,
        actor=case.owner,
        case=case,
        scale=scale,
        point=point,
        scorer=scorer,
        recorded_on=TODAY - datetime.timedelta(days=rng.randrange(150)),
        values=_values(rng, scale),
    )


def make_scored_data(rng, firm, *, steps):
    """Cases on pathways (or none), scored on three scales by random services:
    scores recorded in any order of days, scoring links, pathway changes,
    renamed pathways and closed cases."""
    pathways = [make_pathway(firm, name) for name in ("Housing", "Debt", "wellbeing")]
    scales = [
        make_scale(firm, name="Stability"),
        make_scale(firm, name="Confidence", areas=("Money", "Home", "Health")),
        make_scale(firm, name="Agency", areas=("Work", "Family")),
    ]
    cases = [
        make_support_case(firm, pathway=rng.choice([*pathways, None])) for _ in range(6)
    ]
    for _ in range(steps):
        case = rng.choice(cases)
        case.refresh_from_db()
        choice = rng.choice(["score"] * 6 + ["link", "pathway", "rename", "close"])
        if not case.is_open:
            continue
        if choice == "score":
            scorer = rng.choice([Scorer.CASE_MANAGER, Scorer.BENEFICIARY])
            _score(rng, case, rng.choice(scales), scorer)
        elif choice == "link":
            scale = rng.choice(scales)
            started = ScoreSet.objects.filter(
                case=case, scale=scale, scorer=Scorer.BENEFICIARY
            ).exists()
            link, _token = services.score_link_create(
                firm=firm,
                actor=case.owner,
                case=case,
                scale=scale,
                point=ScorePoint.REVIEW if started else ScorePoint.START,
            )
            services.score_link_submit(firm=firm, link=link, values=_values(rng, scale))
        elif choice == "pathway":
            edit_case(case, pathway=rng.choice([*pathways, None]))
        elif choice == "rename":
            pathway = rng.choice(pathways)
            services.pathway_rename(
                firm=firm,
                actor=case.owner,
                pathway=pathway,
                name=f"{rng.choice('ABCXYZabz')} {pathway.pk}",
            )
        elif choice == "close" and rng.random() < 0.3:
            services.support_case_close(
                firm=firm, actor=case.owner, case=case, reason="Done"
            )
    return scales, pathways
