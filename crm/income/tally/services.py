"""Keeping the income tally: each income service moves a line's sums (B2).

A service takes ``hold(line)`` before its change (the stored line and its
case's people, both rows locked) and calls ``line_changed`` after its save:
the keys of the stored state lose the line's count and sums, those of the
saved state gain them, in one upsert in the caller's transaction. A new
line takes its case's people from ``case_people`` (the case row locked).
Every income write locks its case's row first, as a change of the case's
owner or introducer does before it moves the case's lines
(``people_moved``, a ``crm.cases.people`` hook): the two never interleave.
``rebuild`` recomputes a firm's rows from the lines (the migration's
backfill, the repair command, the data loaders that bypass the services).
"""

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, F, Sum
from django_scopes import scopes_disabled

from crm.cases.models import Case
from crm.cases.people import PeopleMove
from crm.core import rollups
from crm.core.rollups import BY_INTRODUCER, BY_OWNER
from crm.income.choices import IncomeKind
from crm.income.models import IncomeLine
from crm.income.tally.models import KEY, MEASURES, IncomeTally

LO, HI = "l", "h"
BY_BOTH = "x"
# What decides a line's figures (``crm.income.selectors._figures``).
CLAWBACK, RECEIVED, WRITTEN_OFF = 1, 2, 4
ZERO = Decimal(0)
PERCENT = Decimal("0.01")
PERCENT_OF_PERCENT = Decimal("0.0001")
# The columns of a line the tally reads.
LINE_FIELDS = (
    "kind",
    "amount",
    "expected_on",
    "received_amount",
    "received_on",
    "written_off_on",
    "adviser_share_pct",
    "introducer_share_pct",
)

CASE_OWNER, CASE_INTRODUCER = F("case__owner_id"), F("case__introducer_id")

Key = tuple[Any, ...]
Sums = list[Any]


@dataclass(frozen=True)
class LineState:
    """What the tally keeps of one line (or of lines alike: ``n`` of them)."""

    lo: datetime.date
    hi: datetime.date
    flags: int
    owner: int
    introducer: int
    amount: Decimal
    received_amount: Decimal
    adviser_share: Decimal
    introducer_share: Decimal
    n: int = 1

    def measures(self) -> tuple[int | Decimal, ...]:
        """Return the sums in ``MEASURES`` order."""
        return (
            self.n,
            self.amount,
            self.received_amount,
            self.adviser_share,
            self.introducer_share,
        )


@dataclass(frozen=True)
class Held:
    """A line's stored columns and its case's people, read under a lock."""

    values: Mapping[str, Any]
    owner: int
    introducer: int


def shares_of(
    received: Decimal, adviser_pct: Decimal, introducer_pct: Decimal
) -> tuple[Decimal, Decimal]:
    """Return the adviser's and introducer's shares of ``received``, exactly.

    The live query's expressions, multiplied in the same order; linear in
    ``received``, so a sum of lines with the same percentages may be passed.
    """
    introducer = received * introducer_pct * PERCENT
    adviser = received * (Decimal(100) - introducer_pct) * adviser_pct
    return adviser * PERCENT_OF_PERCENT, introducer


def state_from(
    values: Mapping[str, Any], *, owner: int, introducer: int, n: int = 1
) -> LineState:
    """Return the state of a line (or ``n`` alike) from its ``LINE_FIELDS``.

    Amounts may be sums over the ``n`` lines; what a line had not received
    adds nothing to the received amount and the shares.
    """
    expected, received_on = values["expected_on"], values["received_on"]
    days = (expected, received_on) if received_on is not None else (expected,)
    flags = (
        (CLAWBACK if values["kind"] == IncomeKind.CLAWBACK else 0)
        | (RECEIVED if received_on is not None else 0)
        | (WRITTEN_OFF if values["written_off_on"] is not None else 0)
    )
    got = values["received_amount"] if received_on is not None else None
    got = Decimal(got) if got is not None else ZERO
    adviser, introducer_share = shares_of(
        got,
        Decimal(values["adviser_share_pct"]),
        Decimal(values["introducer_share_pct"]),
    )
    return LineState(
        lo=min(days),
        hi=max(days),
        flags=flags,
        owner=owner,
        introducer=introducer,
        amount=Decimal(values["amount"]),
        received_amount=got,
        adviser_share=adviser,
        introducer_share=introducer_share,
        n=n,
    )


def keys_of(state: LineState) -> Iterator[Key]:
    """Yield every key (after the firm) ``state`` counts under."""
    s = state
    for end, day in ((LO, s.lo), (HI, s.hi)):
        for grain, period in rollups.periods(day, all_time=end == HI):
            yield (end, grain, BY_OWNER, period, s.owner, 0, s.flags)
            yield (end, grain, BY_INTRODUCER, period, 0, s.introducer, s.flags)
            yield (end, grain, BY_BOTH, period, s.owner, s.introducer, s.flags)


def _add(into: dict[Key, Sums], key: Key, state: LineState, sign: int) -> None:
    sums = into.setdefault(key, [0, ZERO, ZERO, ZERO, ZERO])
    for index, value in enumerate(state.measures()):
        sums[index] += sign * value


def lines_moved(
    *, firm_id: int, changes: Iterable[tuple[LineState | None, LineState | None]]
) -> int:
    """Move each line's count and sums from its old state to its new, in one
    statement; return the keys sent."""
    deltas: dict[Key, Sums] = {}
    for before, after in changes:
        if before == after:
            continue
        for state, sign in ((before, -1), (after, 1)):
            if state is not None:
                for key in keys_of(state):
                    _add(deltas, (firm_id, *key), state, sign)
    return rollups.upsert(
        IncomeTally, KEY, {k: tuple(v) for k, v in deltas.items()}, measures=MEASURES
    )


def case_people(case: Case) -> tuple[int, int]:
    """Return the case's owner and introducer (0: none), its row locked."""
    owner, introducer = (
        Case.objects.select_for_update()
        .filter(firm_id=case.firm_id, pk=case.pk)
        .values_list("owner_id", "introducer_id")
        .get()
    )
    return owner or 0, introducer or 0


def hold(line: IncomeLine) -> Held | None:
    """Return the stored line and its case's people, both rows locked (None:
    the line is gone)."""
    row = (
        IncomeLine.objects.select_for_update()
        .filter(firm_id=line.firm_id, pk=line.pk)
        .values(*LINE_FIELDS, owner_key=CASE_OWNER, introducer_key=CASE_INTRODUCER)
        .first()
    )
    if row is None:
        return None
    return Held(
        values=row, owner=row["owner_key"] or 0, introducer=row["introducer_key"] or 0
    )


def line_added(*, firm_id: int, line: IncomeLine, people: tuple[int, int]) -> int:
    """Count a new line under its case's ``people`` (from ``case_people``)."""
    values = {name: getattr(line, name) for name in LINE_FIELDS}
    after = state_from(values, owner=people[0], introducer=people[1])
    return lines_moved(firm_id=firm_id, changes=[(None, after)])


def line_changed(
    *,
    firm_id: int,
    held: Held | None,
    line: IncomeLine | None,
    fields: Sequence[str] = (),
) -> int:
    """Move a line from its ``held`` state to the one saved: the held columns
    with ``fields`` taken from ``line`` (``line`` None: the line was deleted)."""
    if held is None:
        return 0  # nothing stored: the service's save fails and rolls back
    before = state_from(held.values, owner=held.owner, introducer=held.introducer)
    after = None
    if line is not None:
        saved = {
            **held.values,
            **{name: getattr(line, name) for name in fields if name in LINE_FIELDS},
        }
        after = state_from(saved, owner=held.owner, introducer=held.introducer)
    return lines_moved(firm_id=firm_id, changes=[(before, after)])


def people_moved(*, firm_id: int, moves: list[PeopleMove]) -> int:
    """Move the lines of cases whose owner or introducer changed (a
    ``crm.cases.people`` hook, in the case service's transaction)."""
    by_case = {move.case_id: move for move in moves}
    rows = (
        IncomeLine.objects.filter(firm_id=firm_id, case_id__in=list(by_case))
        .order_by()
        .values("case_id", *LINE_FIELDS)
    )
    changes = []
    for row in rows:
        move = by_case[row["case_id"]]
        before = state_from(
            row, owner=move.owner_before, introducer=move.introducer_before
        )
        after = replace(
            before, owner=move.owner_after, introducer=move.introducer_after
        )
        changes.append((before, after))
    return lines_moved(firm_id=firm_id, changes=changes)


def tally_sums(line_model: type[models.Model], firm_id: int) -> dict[Key, Sums]:
    """Return a firm's tally computed from its lines with one GROUP BY.

    Lines are grouped by everything their keys and shares depend on; the
    money sums are whole pence, and the shares are worked out from them
    (linear in the amount received) exactly as the services do.
    """
    sums: dict[Key, Sums] = {}
    rows = (
        line_model._default_manager.filter(firm_id=firm_id)
        .order_by()
        .values(
            *(
                name
                for name in LINE_FIELDS
                if name not in ("amount", "received_amount")
            ),
            owner_key=CASE_OWNER,
            introducer_key=CASE_INTRODUCER,
        )
        .annotate(
            lines=Count("id"),
            amount=Sum("amount"),
            received_amount=Sum("received_amount"),
        )
    )
    penny = Decimal("0.01")
    for row in rows.iterator():
        values = {
            **row,
            "amount": Decimal(row["amount"]).quantize(penny),
            "received_amount": (
                Decimal(row["received_amount"]).quantize(penny)
                if row["received_amount"] is not None
                else None
            ),
        }
        state = state_from(
            values,
            owner=row["owner_key"] or 0,
            introducer=row["introducer_key"] or 0,
            n=row["lines"],
        )
        for key in keys_of(state):
            _add(sums, key, state, 1)
    return sums


def rebuild_firm(
    *,
    firm_id: int,
    line_model: type[models.Model],
    tally_model: type[models.Model],
) -> int:
    """Replace a firm's tally rows with fresh sums; return the rows written."""
    sums = tally_sums(line_model, firm_id)
    return rollups.replace_rows(
        tally_model,
        firm_id=firm_id,
        fields=KEY[1:],
        counts={key: tuple(value) for key, value in sums.items()},
        measures=MEASURES,
    )


def rebuild(firm_ids: Sequence[int] | None = None) -> int:
    """Recompute the tally of ``firm_ids`` (None: every firm with a line)."""
    with scopes_disabled():
        if firm_ids is None:
            firm_ids = rollups.firms_with(IncomeLine, IncomeTally)
        return sum(
            rebuild_firm(
                firm_id=firm_id, line_model=IncomeLine, tally_model=IncomeTally
            )
            for firm_id in firm_ids
        )
