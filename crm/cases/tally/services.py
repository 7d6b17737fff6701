"""Keeping the case tally: each case service moves a case's counts (B2).

A service takes ``state_of(case)`` before its change and after it, and
calls ``case_moved``: the keys of the old state lose one, those of the new
gain one, in one upsert in the caller's transaction. ``rebuild`` recomputes
a firm's rows from the cases (the migration's backfill, the repair command,
the data loaders that bypass the services).
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import models
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django_scopes import scopes_disabled

from crm.cases import kinds
from crm.cases.models import Case
from crm.cases.people import PeopleMove, people_moved
from crm.cases.tally.models import KEY, CaseTally
from crm.core import rollups
from crm.core.rollups import BY_INTRODUCER, BY_OWNER, EVERYONE

OPEN, OPENED, CLOSED = "o", "n", "c"
BY_BOTH = "x"

Key = tuple[Any, ...]


@dataclass(frozen=True)
class CaseState:
    """What the tally counts of one case."""

    kind: str
    status: str
    is_open: bool
    opened: datetime.date
    closed: datetime.date | None
    owner: int
    introducer: int
    detail: str = ""
    # The case's id, for the hooks of ``crm.cases.people`` (0: not known).
    case_id: int = 0


def _detail(case: Any, path: str) -> str:
    value: Any = case
    for name in path.split("__"):
        try:
            value = getattr(value, name)
        except models.ObjectDoesNotExist:
            return ""
        if value is None:
            return ""
    return str(value)


def state_of(case: Any, *, detail: str | None = None) -> CaseState:
    """Return ``case``'s tally state; ``detail`` overrides the kind's detail."""
    if detail is None:
        spec = kinds.find(case.kind)
        path = spec.tally_detail if spec is not None else ""
        detail = _detail(case, path) if path and case.is_open else ""
    closed = case.closed_at
    zone = rollups.zone()
    return CaseState(
        kind=case.kind,
        status=case.status,
        is_open=case.is_open,
        opened=timezone.localdate(case.created_at, zone),
        closed=timezone.localdate(closed, zone) if closed is not None else None,
        owner=case.owner_id or 0,
        introducer=case.introducer_id or 0,
        detail=detail if case.is_open else "",
        case_id=case.pk or 0,
    )


def open_keys(
    kind: str, status: str, detail: str, owner: int, introducer: int, day: datetime.date
) -> Iterator[Key]:
    """Yield the keys (after the firm) an open case counts under."""
    for grain, period in rollups.periods(day, all_time=True):
        yield (OPEN, grain, BY_OWNER, period, owner, 0, kind, status, detail)
        yield (OPEN, grain, BY_BOTH, period, owner, introducer, kind, status, detail)


def event_keys(
    fact: str, kind: str, owner: int, introducer: int, day: datetime.date
) -> Iterator[Key]:
    """Yield the keys (after the firm) of a case opened or closed on ``day``."""
    for grain, period in rollups.periods(day):
        yield (fact, grain, EVERYONE, period, 0, 0, kind, "", "")
        yield (fact, grain, BY_OWNER, period, owner, 0, kind, "", "")
        yield (fact, grain, BY_INTRODUCER, period, 0, introducer, kind, "", "")
        yield (fact, grain, BY_BOTH, period, owner, introducer, kind, "", "")


def keys_of(state: CaseState) -> Iterator[Key]:
    """Yield every key (after the firm) ``state`` counts under."""
    s = state
    if s.is_open:
        yield from open_keys(
            s.kind, s.status, s.detail, s.owner, s.introducer, s.opened
        )
    yield from event_keys(OPENED, s.kind, s.owner, s.introducer, s.opened)
    if s.closed is not None:
        yield from event_keys(CLOSED, s.kind, s.owner, s.introducer, s.closed)


def cases_moved(
    *, firm_id: int, changes: Iterable[tuple[CaseState | None, CaseState | None]]
) -> int:
    """Move each case's counts from its old state to its new, in one statement.

    A case whose owner or introducer changed also runs the hooks of
    ``crm.cases.people`` (the rollups above this app that count by them).
    """
    deltas: Counter[Key] = Counter()
    moves: list[PeopleMove] = []
    for before, after in changes:
        if before == after:
            continue
        if (
            before is not None
            and after is not None
            and after.case_id
            and (before.owner, before.introducer) != (after.owner, after.introducer)
        ):
            moves.append(
                PeopleMove(
                    case_id=after.case_id,
                    owner_before=before.owner,
                    introducer_before=before.introducer,
                    owner_after=after.owner,
                    introducer_after=after.introducer,
                )
            )
        for key in keys_of(before) if before is not None else ():
            deltas[(firm_id, *key)] -= 1
        for key in keys_of(after) if after is not None else ():
            deltas[(firm_id, *key)] += 1
    people_moved(firm_id=firm_id, moves=moves)
    return rollups.upsert(CaseTally, KEY, deltas)


def case_moved(
    *, firm_id: int, before: CaseState | None, after: CaseState | None
) -> int:
    """Move one case's counts from ``before`` to ``after``."""
    return cases_moved(firm_id=firm_id, changes=[(before, after)])


def _local_day(name: str) -> TruncDate:
    return TruncDate(name, tzinfo=rollups.zone())


def tally_counts(
    case_model: type[models.Model], firm_id: int, details: Mapping[str, str]
) -> Counter[Key]:
    """Return a firm's tally computed from its cases with GROUP BY queries."""
    counts: Counter[Key] = Counter()
    cases = case_model._default_manager.filter(firm_id=firm_id).order_by()
    open_cases = cases.filter(is_open=True)
    plain = open_cases.exclude(kind__in=list(details))
    groups = [plain.annotate(detail=Value(""))]
    for kind, path in details.items():
        detail = Coalesce(F(path), Value(""), output_field=models.CharField())
        groups.append(open_cases.filter(kind=kind).annotate(detail=detail))
    for qs in groups:
        rows = (
            qs.annotate(day=_local_day("created_at"))
            .values_list("kind", "status", "detail", "owner_id", "introducer_id", "day")
            .annotate(n=Count("id"))
        )
        for kind, status, detail, owner, introducer, day, n in rows.iterator():
            for key in open_keys(
                kind, status, detail, owner or 0, introducer or 0, day
            ):
                counts[key] += n
    for fact, field in ((OPENED, "created_at"), (CLOSED, "closed_at")):
        rows = (
            cases.filter(**{f"{field}__isnull": False})
            .annotate(day=_local_day(field))
            .values_list("kind", "owner_id", "introducer_id", "day")
            .annotate(n=Count("id"))
        )
        for kind, owner, introducer, day, n in rows.iterator():
            for key in event_keys(fact, kind, owner or 0, introducer or 0, day):
                counts[key] += n
    return counts


def rebuild_firm(
    *,
    firm_id: int,
    case_model: type[models.Model],
    tally_model: type[models.Model],
    details: Mapping[str, str],
) -> int:
    """Replace a firm's tally rows with a fresh count; return the rows written."""
    counts = tally_counts(case_model, firm_id, details)
    return rollups.replace_rows(
        tally_model, firm_id=firm_id, fields=KEY[1:], counts=counts
    )


def kind_details() -> dict[str, str]:
    """Return each registered kind's tally detail path, for kinds that have one."""
    return {k.value: k.tally_detail for k in kinds.all_kinds() if k.tally_detail}


def rebuild(firm_ids: Sequence[int] | None = None) -> int:
    """Recompute the tally of ``firm_ids`` (None: every firm with a case)."""
    with scopes_disabled():
        if firm_ids is None:
            firm_ids = rollups.firms_with(Case, CaseTally)
        return sum(
            rebuild_firm(
                firm_id=firm_id,
                case_model=Case,
                tally_model=CaseTally,
                details=kind_details(),
            )
            for firm_id in firm_ids
        )


def with_detail(state: CaseState, detail: str) -> CaseState:
    """Return ``state`` with another detail (a concern level changed)."""
    return replace(state, detail=detail if state.is_open else "")
