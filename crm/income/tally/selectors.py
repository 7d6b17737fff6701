"""Reading the income tally for the Income page and reports (see ``crm.income.tally``).

``tally_people`` answers the page's filters from summary rows: the lines in
a range are those keyed by their later day from its start on, less those
keyed by their earlier day after its end; the overdue ones (awaited, so
both days are the expected one) likewise with the end moved before today.
The adviser and the principal's visibility are an owner key, the
introducer an introducer key, each read from the grouping set made for the
combination. One query for the sums, its rows set by the dates' spread and
the people, never by the number of lines (the two ends are summed apart and
taken one from the other here, in Decimals: SQLite sums its numbers as
floats), and one for the names of the people shown.
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Q, QuerySet, Sum, Value, When

from crm.cases.policies import visible_owner
from crm.core import rollups
from crm.core.rollups import BY_INTRODUCER, BY_OWNER
from crm.firms.models import Introducer
from crm.income.tally.models import IncomeTally
from crm.income.tally.services import (
    BY_BOTH,
    CLAWBACK,
    HI,
    LO,
    RECEIVED,
    WRITTEN_OFF,
)

if TYPE_CHECKING:
    from crm.core.principals import Principal
    from crm.firms.models import Firm

ONE_DAY = datetime.timedelta(days=1)
# Flags of lines still awaited (neither received nor written off).
AWAITED = (0, CLAWBACK)
SUMS = {
    "lines": "n",
    "money": "amount",
    "got": "received_amount",
    "to_adviser": "adviser_share",
    "to_introducer": "introducer_share",
}

People = dict[int | None, dict[str, Any]]


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    """Return one group's figures, signed by its end, as the live query sums
    them (``crm.income.selectors._figures``).

    The later end's rows are all the range's; the earlier end's are taken
    off the range's lines when after its end (``after_range``), and off the
    overdue figure when after its end or yesterday (``after_due``).
    """
    flags, zero = row["flags"], Decimal(0)
    later = row["end"] == HI
    sign = 1 if later else -1
    value = {name: sign * Decimal(row[name] or 0) for name in SUMS}
    due = value["money"] if later or row["after_due"] else zero
    if not (later or row["after_range"]):
        value = dict.fromkeys(SUMS, zero)
    kept = not flags & CLAWBACK
    received = bool(flags & RECEIVED)
    awaited = not flags & (RECEIVED | WRITTEN_OFF)
    return {
        "n": value["lines"],
        "expected": value["money"] if kept and not flags & WRITTEN_OFF else zero,
        "received": value["got"] if kept and received else zero,
        "overdue": due if awaited else zero,
        "clawed_back": zero if kept else value["money"],
        "adviser_share": value["to_adviser"] if received else zero,
        "introducer_share": value["to_introducer"] if received else zero,
    }


def add_to(
    into: People, key: int | None, names: dict[str, Any], figures: dict[str, Any]
) -> None:
    """Add one group's figures to the person's (a new entry takes ``names``)."""
    found = into.get(key)
    if found is None:
        into[key] = {**names, **{k: Decimal(v or 0) for k, v in figures.items()}}
        return
    for name, value in figures.items():
        found[name] += Decimal(value or 0)


def _wanted(
    sets: list[str],
    date_from: datetime.date | None,
    after: datetime.date | None,
    due_after: datetime.date | None,
) -> tuple[Q, Q, Q]:
    """Return the rows to read; of them, the earlier end's rows after the
    range (from ``after`` on); and its rows of awaited lines from
    ``due_after`` on. The last two overlap, at different grains."""
    later = earlier = due = Q(pk__in=[])
    for by in sets:
        later |= rollups.range_q(date_from, None, all_time=True, end=HI, by=by)
        if after is not None:
            earlier |= rollups.range_q(after, None, end=LO, by=by)
        if due_after is not None:
            due |= rollups.range_q(due_after, None, end=LO, by=by, flags__in=AWAITED)
    return later | earlier | due, earlier, due


def _marks(rows: Q) -> Case:
    """Return 1 for ``rows``, else 0."""
    return Case(When(rows, then=Value(1)), default=Value(0))


def tally_people(
    *,
    firm: "Firm",
    principal: "Principal | None",
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    owner_id: int | None,
    introducer_id: int | None,
    today: datetime.date,
) -> tuple[People, People]:
    """Return the figures per adviser and per introducer of the lines in range.

    Each person's entry has ``n`` (its lines in range, which may be 0), the
    unrounded figures and the names (``first``, ``last``, ``email`` for an
    adviser, ``name`` for an introducer); None is no adviser or introducer.
    The range must not run backwards.
    """
    visible, owner = visible_owner(principal, owner_id)
    if not visible:
        return {}, {}
    by_adviser = BY_BOTH if introducer_id is not None else BY_OWNER
    by_introducer = BY_BOTH if owner is not None else BY_INTRODUCER
    # Overdue: expected before today and by the range's end (none when that
    # is before its start).
    due_to = min(date_to, today - ONE_DAY) if date_to is not None else today - ONE_DAY
    overdue = date_from is None or due_to >= date_from
    wanted, earlier, due = _wanted(
        sorted({by_adviser, by_introducer}),
        date_from,
        date_to + ONE_DAY if date_to is not None else None,
        due_to + ONE_DAY if overdue else None,
    )
    qs = IncomeTally.objects.filter(firm=firm).filter(wanted)
    if owner is not None:
        qs = qs.filter(owner_key=owner)
    if introducer_id is not None:
        qs = qs.filter(introducer_key=introducer_id)
    # Of the earlier end's rows, those after the range (taken off its lines)
    # and those of awaited lines after yesterday (taken off the overdue).
    rows = (
        qs.order_by()
        .annotate(after_range=_marks(earlier), after_due=_marks(due))
        .values(
            "by",
            "end",
            "owner_key",
            "introducer_key",
            "flags",
            "after_range",
            "after_due",
        )
        .annotate(**{alias: Sum(name) for alias, name in SUMS.items()})
    )
    advisers: People = {}
    introducers: People = {}
    for row in rows:
        figures = _figures(row)
        if not overdue:
            figures["overdue"] = Decimal(0)
        if row["by"] == by_adviser:
            add_to(advisers, row["owner_key"] or None, {}, figures)
        if row["by"] == by_introducer:
            add_to(introducers, row["introducer_key"] or None, {}, figures)
    _name(firm, advisers, introducers)
    return advisers, introducers


def _name(firm: "Firm", advisers: People, introducers: People) -> None:
    """Give each person with lines in range their names, in one query.

    Looked up once the sums are in: as a subquery per summed row the names
    raised PostgreSQL's estimate of the sums' query past its JIT threshold,
    whose compiling took longer than the query.
    """
    for entry in advisers.values():
        entry.update(first=None, last=None, email=None)
    for entry in introducers.values():
        entry["name"] = None
    text: CharField[str, str] = CharField()
    parts: list[QuerySet[Any, tuple[Any, ...]]] = []
    owner_ids = [pk for pk, entry in advisers.items() if pk and entry["n"] > 0]
    if owner_ids:
        users = get_user_model().objects.filter(pk__in=owner_ids).order_by()
        parts.append(
            users.values_list(
                "pk", Value(BY_OWNER, text), "first_name", "last_name", "email"
            )
        )
    introducer_ids = [pk for pk, entry in introducers.items() if pk and entry["n"] > 0]
    if introducer_ids:
        found = Introducer.objects.filter(firm=firm, pk__in=introducer_ids).order_by()
        parts.append(
            found.values_list(
                "pk",
                Value(BY_INTRODUCER, text),
                "name",
                Value("", text),
                Value("", text),
            )
        )
    if not parts:
        return
    names = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for pk, kind, first, last, email in names:
        if kind == BY_OWNER:
            advisers[pk].update(first=first, last=last, email=email)
        else:
            introducers[pk]["name"] = first
