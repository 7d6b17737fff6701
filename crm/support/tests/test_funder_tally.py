"""The funder report read from the score tally gives what the live query gave.

``_live_funder_report`` is the report as it was before the tally (averages
over the latest score sets themselves), kept here as the oracle: for data
made through the services on days spread over months, every filter
combination gives the same rows, order, figures and totals both ways.
"""

import datetime
import random
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Avg, Count, F, Q

from crm.support import selectors
from crm.support.choices import ScorePoint, Scorer
from crm.support.models import ScoreSet
from crm.support.selectors.outcomes import NO_PATHWAY, FunderRow, _mean, _total
from crm.support.tally import services as score_tally
from crm.support.tests.factories import make_scale, make_support_case
from crm.support.tests.scoring import NOW, TODAY, make_scored_data

pytestmark = pytest.mark.django_db


def _live_funder_report(
    *,
    firm,
    scale_id=None,
    pathway_id=None,
    date_from=None,
    date_to=None,
    scorer=Scorer.CASE_MANAGER,
):
    """Return distance travelled per scale and pathway, computed by the database.

    The report before the tally: every latest set of the period aggregated.
    """
    qs = ScoreSet.objects.filter(
        firm=firm, is_latest=True, scorer=scorer if scorer in Scorer.values else ""
    )
    if date_from is not None:
        qs = qs.filter(recorded_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(recorded_on__lte=date_to)
    if scale_id is not None:
        qs = qs.filter(scale_id=scale_id)
    if pathway_id is not None:
        qs = qs.filter(support__pathway_id=pathway_id)
    grouped = (
        qs.values(
            "scale_id",
            "scale__name",
            "scale__min_score",
            "scale__max_score",
            "support__pathway__name",
        )
        .annotate(
            cases=Count("id"),
            start=Avg("baseline"),
            latest=Avg("average"),
            improved=Count("id", filter=Q(average__gt=F("baseline"))),
        )
        .order_by("scale__name", "scale_id", "support__pathway__name")
    )
    by_scale: dict[int, list[FunderRow]] = {}
    for g in grouped:
        by_scale.setdefault(g["scale_id"], []).append(
            FunderRow(
                scale_id=g["scale_id"],
                scale=g["scale__name"],
                min_score=g["scale__min_score"],
                max_score=g["scale__max_score"],
                pathway=g["support__pathway__name"] or NO_PATHWAY,
                cases=g["cases"],
                start=round(float(g["start"]), 2),
                latest=round(float(g["latest"]), 2),
                improved=g["improved"],
            )
        )
    result: list[FunderRow] = []
    for rows in by_scale.values():
        if len(rows) > 1:
            result.append(_total(rows))
        result.extend(rows)
    return result


def _ranges():
    """Date ranges within a month, across months, open at either end."""
    yield None, None
    yield datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    yield datetime.date(2026, 3, 5), datetime.date(2026, 3, 20)
    yield datetime.date(2026, 1, 15), datetime.date(2026, 3, 2)
    yield datetime.date(2026, 2, 1), None
    yield None, datetime.date(2026, 2, 27)
    yield TODAY, TODAY
    yield datetime.date(2026, 3, 10), datetime.date(2026, 3, 9)


@pytest.mark.parametrize("seed", [4, 5])
def test_funder_report_equals_the_live_query(support_firm, seed):
    """For every filter combination (scale, pathway, dates, scorer) the report
    read from the tally is the live query's: rows, order, figures, totals."""
    rng = random.Random(seed)  # noqa: S311  (test data)
    with time_machine.travel(NOW, tick=False):
        scales, pathways = make_scored_data(rng, support_firm, steps=80)
    compared = 0
    for scale_id in [None, *(s.pk for s in scales)]:
        for pathway_id in [None, *(p.pk for p in pathways)]:
            for date_from, date_to in _ranges():
                for scorer in (Scorer.CASE_MANAGER, Scorer.BENEFICIARY, "nobody"):
                    filters = {
                        "scale_id": scale_id,
                        "pathway_id": pathway_id,
                        "date_from": date_from,
                        "date_to": date_to,
                        "scorer": scorer,
                    }
                    got = selectors.funder_report(firm=support_firm, **filters)
                    assert got == _live_funder_report(firm=support_firm, **filters), (
                        filters
                    )
                    compared += bool(got)
    assert compared > 60
    everything = selectors.funder_report(firm=support_firm)
    assert {r.pathway for r in everything} >= {NO_PATHWAY, "All pathways"}


def test_exact_means_round_as_the_database_average_did(support_firm):
    """Sums in hundredths divided exactly, then float and ``round``, give the
    figures ``round(float(AVG))`` gave, on this database: ties at a half
    hundredth, repeating fractions and long groups included."""
    case = make_support_case(support_firm)
    scale = make_scale(support_firm)
    rng = random.Random(6)  # noqa: S311  (test data)
    groups: list[list[Decimal]] = [
        [Decimal("2.34"), Decimal("2.35")],
        [Decimal("1.00"), Decimal("1.01")],
        [Decimal("2.67"), Decimal("2.68")],
        [Decimal("0.12"), Decimal("0.13")],
        [Decimal("1"), Decimal("2"), Decimal("2")],
        [Decimal("3.33")] * 7 + [Decimal("6.67")] * 5,
        [Decimal("9.99")] * 999 + [Decimal("0.01")],
    ]
    groups += [
        [Decimal(rng.randint(100, 1000)) / 100 for _ in range(size)]
        for size in [2, 3, 4, 6, 8, 40, 200]
        for _ in range(30)
    ]
    day = datetime.date(2020, 1, 1)
    ScoreSet.objects.bulk_create(
        ScoreSet(
            firm=support_firm,
            case=case,
            scale=scale,
            point=ScorePoint.REVIEW,
            scorer=Scorer.CASE_MANAGER,
            via="staff",
            recorded_on=day + datetime.timedelta(days=i),
            average=value,
            baseline=value,
        )
        for i, values in enumerate(groups)
        for value in values
    )
    found = (
        ScoreSet.objects.filter(case=case)
        .values("recorded_on")
        .annotate(live=Avg("average"), n=Count("id"))
        .order_by("recorded_on")
    )
    sums = {
        key[2]: amounts
        for key, amounts in score_tally.tally_counts(ScoreSet, support_firm.pk).items()
        if key[1] == "d"
    }
    assert len(found) == len(groups)
    for row in found:
        n, _baseline, average, _improved = sums[row["recorded_on"]]
        assert n == row["n"]
        assert _mean(average, n) == round(float(row["live"]), 2), row
    exact = {
        day + datetime.timedelta(days=i): sum(v * 100 for v in values)
        for i, values in enumerate(groups)
    }
    assert {day: amounts[2] for day, amounts in sums.items()} == exact
