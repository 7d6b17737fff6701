"""The score tally: the services keep it equal to a fresh count of the latest
score sets (each case's latest set per scale and scorer)."""

import datetime
import importlib
import random
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from crm.core.exceptions import ApplicationError
from crm.firms.tests.factories import FirmFactory
from crm.support import selectors
from crm.support.choices import ScorePoint, Scorer
from crm.support.models import ScoreSet
from crm.support.selectors.outcomes import NO_PATHWAY
from crm.support.tally import services as score_tally
from crm.support.tally.models import KEY, MEASURES, ScoreTally
from crm.support.tests.factories import (
    make_pathway,
    make_scale,
    make_scores,
    make_support_case,
)
from crm.support.tests.scoring import NOW, TODAY, edit_case, make_scored_data

pytestmark = pytest.mark.django_db


def _stored(
    firm_ids: list[int] | None = None,
) -> dict[tuple[Any, ...], tuple[int, ...]]:
    rows = ScoreTally.objects.exclude(n=0)
    if firm_ids is not None:
        rows = rows.filter(firm_id__in=firm_ids)
    names = [f"{name}_id" if name == "firm" else name for name in KEY]
    return {
        tuple(getattr(row, name) for name in names): tuple(
            getattr(row, m) for m in MEASURES
        )
        for row in rows
    }


def _fresh(firm_ids: list[int]) -> dict[tuple[Any, ...], tuple[int, ...]]:
    found: dict[tuple[Any, ...], tuple[int, ...]] = {}
    for firm_id in firm_ids:
        counts = score_tally.tally_counts(ScoreSet, firm_id)
        found.update({(firm_id, *key): v for key, v in counts.items() if v[0]})
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_services_keep_the_tally_equal_to_a_fresh_count(support_firm, seed):
    """After random scores (late earlier sets moving the baseline, later ones
    taking the latest), scoring links, pathway changes and closes, the stored
    rows equal a fresh GROUP BY of the latest sets."""
    rng = random.Random(seed)  # noqa: S311  (test data)
    other = FirmFactory()
    with time_machine.travel(NOW, tick=False):
        make_scores(make_support_case(other), make_scale(other), value=4)
        make_scored_data(rng, support_firm, steps=60)
    ids = [support_firm.pk, other.pk]
    assert _stored(ids) == _fresh(ids)
    assert ScoreSet.objects.filter(firm=support_firm, is_latest=False).exists()
    assert not ScoreTally.objects.filter(n__lt=0).exists()


def test_an_earlier_set_entered_late_becomes_the_baseline_of_the_latest(
    support_firm,
):
    """The latest set's baseline moves to the late first set's average, and
    with it the baseline sum and the improved count."""
    case = make_support_case(support_firm)
    scale = make_scale(support_firm)
    with time_machine.travel(NOW, tick=False):
        make_scores(case, scale, value=3, on=TODAY - datetime.timedelta(days=20))
        make_scores(case, scale, value=6, point=ScorePoint.REVIEW, on=TODAY)
        row = ScoreTally.objects.get(firm=support_firm, grain="a")
        assert (row.n, row.baseline_sum, row.average_sum, row.improved) == (
            1,
            300,
            600,
            1,
        )
        make_scores(
            case,
            scale,
            value=8,
            point=ScorePoint.REVIEW,
            on=TODAY - datetime.timedelta(days=40),
        )
    row.refresh_from_db()
    assert (row.n, row.baseline_sum, row.average_sum, row.improved) == (1, 800, 600, 0)
    assert _stored([support_firm.pk]) == _fresh([support_firm.pk])


def test_a_pathway_change_moves_the_case_latest_sets(support_firm):
    """Changing a case's pathway moves each of its latest sets (every scale and
    scorer) from the old pathway's rows to the new one's; the report follows."""
    housing, debt = (
        make_pathway(support_firm, "Housing"),
        make_pathway(support_firm, "Debt"),
    )
    case = make_support_case(support_firm, pathway=housing)
    stability, agency = make_scale(support_firm), make_scale(support_firm)
    make_scores(case, stability, value=2)
    make_scores(case, stability, value=5, point=ScorePoint.REVIEW)
    make_scores(case, agency, value=4, scorer=Scorer.BENEFICIARY)
    make_scores(make_support_case(support_firm, pathway=housing), stability, value=7)

    def counts(pathway):
        rows = ScoreTally.objects.filter(
            firm=support_firm, grain="a", pathway_key=pathway
        )
        return {(r.scale_id, r.scorer): r.n for r in rows if r.n}

    assert counts(housing.pk) == {
        (stability.pk, Scorer.CASE_MANAGER): 2,
        (agency.pk, Scorer.BENEFICIARY): 1,
    }
    edit_case(case, pathway=debt)
    assert counts(housing.pk) == {(stability.pk, Scorer.CASE_MANAGER): 1}
    assert counts(debt.pk) == {
        (stability.pk, Scorer.CASE_MANAGER): 1,
        (agency.pk, Scorer.BENEFICIARY): 1,
    }
    edit_case(case, pathway=None)
    assert counts(debt.pk) == {}
    assert counts(0) == {
        (stability.pk, Scorer.CASE_MANAGER): 1,
        (agency.pk, Scorer.BENEFICIARY): 1,
    }
    rows = selectors.funder_report(firm=support_firm)
    assert {(r.scale_id, r.pathway, r.cases) for r in rows} == {
        (stability.pk, "All pathways", 2),
        (stability.pk, "Housing", 1),
        (stability.pk, NO_PATHWAY, 1),
    }
    assert _stored([support_firm.pk]) == _fresh([support_firm.pk])


def test_a_refused_score_leaves_the_tally_alone(support_firm):
    """A set the service refuses (a second start) moves no count."""
    case = make_support_case(support_firm)
    scale = make_scale(support_firm)
    make_scores(case, scale, value=2)
    before = _stored([support_firm.pk])
    with pytest.raises(ApplicationError, match="already recorded"):
        make_scores(case, scale, value=9)
    assert _stored([support_firm.pk]) == before


def test_rebuild_command_repairs_the_tally(support_firm):
    """``rollups_rebuild`` recomputes rows that went wrong, ``--only`` this one."""
    scale = make_scale(support_firm)
    make_scores(make_support_case(support_firm), scale, value=3)
    expected = _stored()
    ScoreTally.objects.update(n=7, baseline_sum=1)
    call_command("rollups_rebuild", "--only", "support.scores")
    assert _stored() == expected


def test_the_migration_backfills_the_tally_from_the_latest_sets(support_firm):
    """The migration's fill, on the historical models, writes a fresh count."""
    pathway = make_pathway(support_firm, "Housing")
    scale = make_scale(support_firm, areas=("Money", "Home", "Health"))
    case = make_support_case(support_firm, pathway=pathway)
    make_scores(case, scale, value=3, on=TODAY - datetime.timedelta(days=40))
    make_scores(case, scale, value=7, point=ScorePoint.REVIEW)
    make_scores(make_support_case(support_firm), scale, value=5)
    expected = _stored()
    assert expected
    ScoreTally.objects.all().delete()
    target = ("support", "0012_score_tally_backfill")
    historical = MigrationLoader(connection).project_state(target).apps
    migration = importlib.import_module("crm.support.migrations." + target[1])
    migration.fill(historical, None)
    assert _stored() == expected
