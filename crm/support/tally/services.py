"""Keeping the score tally: each service that changes a latest set moves it (B2).

Only the latest set of each case, scale and scorer counts. A service takes
``state_of`` the series' latest set before its change and after it, and
calls ``sets_moved``: the keys of the old state lose the set (its count and
its scores), those of the new gain it, in one upsert in the caller's
transaction. ``pathway_moved`` moves a case's latest sets when its pathway
changes. ``rebuild`` recomputes a firm's rows from the score sets (the
migration's backfill, the repair command, the data loaders that bypass the
services).

Score sets are never edited or deleted by a service; only a firm's deletion
removes them, and its tally rows go with it.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, DecimalField, F, Q, Sum
from django.db.models.functions import Round
from django_scopes import scopes_disabled

from crm.core import rollups
from crm.support.models import ScoreSet, SupportDetails
from crm.support.tally.models import KEY, MEASURES, ScoreTally

Key = tuple[Any, ...]
Amounts = tuple[int, int, int, int]


@dataclass(frozen=True)
class ScoreState:
    """What the tally counts of one latest score set."""

    scorer: str
    recorded_on: datetime.date
    scale_id: int
    pathway: int
    average: Decimal
    baseline: Decimal


def hundredths(value: Decimal) -> int:
    """Return a score with two places as a whole number of hundredths."""
    return int((Decimal(value) * 100).to_integral_value())


def pathway_of(*, firm_id: int, case_id: int) -> int:
    """Return the pathway key of a support case (0: none), its details locked.

    The lock orders a score recorded against a pathway change of the same
    case, so the set is counted under the pathway it ends up on.
    """
    found = (
        SupportDetails.objects.select_for_update()
        .filter(firm_id=firm_id, case_id=case_id)
        .values_list("pathway_id", flat=True)
        .first()
    )
    return found or 0


def state_of(score_set: ScoreSet, *, pathway: int) -> ScoreState | None:
    """Return ``score_set``'s tally state, or None if it is not the latest."""
    if not score_set.is_latest:
        return None
    return ScoreState(
        scorer=score_set.scorer,
        recorded_on=score_set.recorded_on,
        scale_id=score_set.scale_id,
        pathway=pathway,
        average=score_set.average,
        baseline=score_set.baseline,
    )


def keys_of(state: ScoreState) -> Iterator[Key]:
    """Yield every key (after the firm) ``state`` counts under."""
    for grain, period in rollups.periods(state.recorded_on, all_time=True):
        yield (state.scorer, grain, period, state.scale_id, state.pathway)


def amounts_of(state: ScoreState) -> Amounts:
    """Return the measures one latest set adds: count, sums, improved."""
    improved = 1 if state.average > state.baseline else 0
    return (1, hundredths(state.baseline), hundredths(state.average), improved)


def sets_moved(
    *, firm_id: int, changes: Iterable[tuple[ScoreState | None, ScoreState | None]]
) -> int:
    """Move each set's counts from its old state to its new, in one statement."""
    deltas: dict[Key, list[int]] = {}
    for before, after in changes:
        if before == after:
            continue
        for state, sign in ((before, -1), (after, 1)):
            if state is None:
                continue
            amounts = amounts_of(state)
            for key in keys_of(state):
                total = deltas.setdefault((firm_id, *key), [0] * len(MEASURES))
                for i, value in enumerate(amounts):
                    total[i] += sign * value
    return rollups.upsert(ScoreTally, KEY, deltas, measures=MEASURES)


def pathway_moved(*, firm_id: int, case_id: int, before: int, after: int) -> int:
    """Move a case's latest sets from pathway ``before`` to ``after`` (0: none)."""
    if before == after:
        return 0
    latest = ScoreSet.objects.filter(
        firm_id=firm_id, case_id=case_id, is_latest=True
    ).values_list("scorer", "recorded_on", "scale_id", "average", "baseline")
    changes = []
    for scorer, recorded_on, scale_id, average, baseline in latest:
        state = ScoreState(scorer, recorded_on, scale_id, before, average, baseline)
        changes.append((state, replace(state, pathway=after)))
    return sets_moved(firm_id=firm_id, changes=changes)


def _sum_hundredths(name: str) -> Sum:
    # Rounded per set before the sum, so SQLite's float columns add exactly.
    return Sum(Round(F(name) * 100), output_field=DecimalField())


def tally_counts(score_model: type[models.Model], firm_id: int) -> dict[Key, Amounts]:
    """Return a firm's tally computed from its latest score sets with GROUP BY."""
    rows = (
        score_model._default_manager.filter(firm_id=firm_id, is_latest=True)
        .order_by()
        .values_list("scorer", "recorded_on", "scale_id", "support__pathway_id")
        .annotate(
            n=Count("id"),
            baseline_sum=_sum_hundredths("baseline"),
            average_sum=_sum_hundredths("average"),
            improved=Count("id", filter=Q(average__gt=F("baseline"))),
        )
    )
    counts: dict[Key, list[int]] = {}
    for scorer, day, scale_id, pathway, n, baseline, average, improved in rows:
        amounts = (n, int(baseline), int(average), improved)
        for grain, period in rollups.periods(day, all_time=True):
            total = counts.setdefault(
                (scorer, grain, period, scale_id, pathway or 0), [0] * len(MEASURES)
            )
            for i, value in enumerate(amounts):
                total[i] += value
    return {key: (a, b, c, d) for key, (a, b, c, d) in counts.items()}


def rebuild_firm(
    *,
    firm_id: int,
    score_model: type[models.Model],
    tally_model: type[models.Model],
) -> int:
    """Replace a firm's tally rows with a fresh count; return the rows written."""
    return rollups.replace_rows(
        tally_model,
        firm_id=firm_id,
        fields=KEY[1:],
        counts=tally_counts(score_model, firm_id),
        measures=MEASURES,
    )


def rebuild(firm_ids: Sequence[int] | None = None) -> int:
    """Recompute the tally of ``firm_ids`` (None: every firm with a score set)."""
    with scopes_disabled():
        if firm_ids is None:
            firm_ids = rollups.firms_with(ScoreSet, ScoreTally)
        return sum(
            rebuild_firm(firm_id=firm_id, score_model=ScoreSet, tally_model=ScoreTally)
            for firm_id in firm_ids
        )
