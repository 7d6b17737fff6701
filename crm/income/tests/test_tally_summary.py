"""The Income page read from the income tally gives the figures the live query gave.

``_live_summary`` is ``income_summary`` as it was before the tally (one
aggregate over the lines themselves), kept here as the oracle: for income
made through the services on days spread over months, every range (open,
one-sided, both, inverted, inside a line's span), adviser, introducer,
member who sees only their own cases and position of today gives the same
summary both ways.
"""

import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from crm.cases.policies import case_child_visibility
from crm.firms.choices import Perm
from crm.firms.principals import StaffPrincipal
from crm.income import selectors
from crm.income.choices import IncomeKind
from crm.income.models import IncomeLine
from crm.income.selectors import IncomeFigures, IncomeQuery, IncomeSummary
from crm.income.tests.factories import ANY_SPLITS, BASE, SPLITS, random_income

pytestmark = pytest.mark.django_db
PENNY = Decimal("0.01")
MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=2)
SHARE: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=20, decimal_places=6)
FIGURES = (
    "expected",
    "received",
    "overdue",
    "clawed_back",
    "adviser_share",
    "introducer_share",
)
DAY = datetime.timedelta(days=1)


def _live_lines(*, firm, principal, query):
    qs = case_child_visibility(IncomeLine.objects.filter(firm=firm), principal)
    if query.owner_id is not None:
        qs = qs.filter(case__owner_id=query.owner_id)
    if query.introducer_id is not None:
        qs = qs.filter(case__introducer_id=query.introducer_id)
    if query.date_from is not None:
        qs = qs.filter(
            Q(expected_on__gte=query.date_from) | Q(received_on__gte=query.date_from)
        )
    if query.date_to is not None:
        qs = qs.filter(
            Q(expected_on__lte=query.date_to) | Q(received_on__lte=query.date_to)
        )
    return qs.order_by()


def _sum(expression, condition, field=MONEY):
    return Coalesce(
        Sum(expression, filter=condition, output_field=field),
        Value(Decimal(0)),
        output_field=field,
    )


def _live_figures(today):
    clawback = Q(kind=IncomeKind.CLAWBACK)
    received = Q(received_on__isnull=False)
    awaited = Q(received_on=None, written_off_on=None)
    introducer = ExpressionWrapper(
        F("received_amount") * F("introducer_share_pct") * Value(Decimal("0.01")),
        output_field=SHARE,
    )
    adviser = ExpressionWrapper(
        F("received_amount")
        * (Value(Decimal(100)) - F("introducer_share_pct"))
        * F("adviser_share_pct")
        * Value(Decimal("0.0001")),
        output_field=SHARE,
    )
    return {
        "expected": _sum("amount", ~clawback & Q(written_off_on=None)),
        "received": _sum("received_amount", ~clawback & received),
        "overdue": _sum("amount", awaited & Q(expected_on__lt=today)),
        "clawed_back": _sum("amount", clawback),
        "adviser_share": _sum(adviser, received, SHARE),
        "introducer_share": _sum(introducer, received, SHARE),
    }


def _money(value):
    return Decimal(value or 0).quantize(PENNY)


def _row(label, row, person_id):
    return IncomeFigures(
        label=label,
        expected=_money(row["expected"]),
        received=_money(row["received"]),
        overdue=_money(row["overdue"]),
        clawed_back=-_money(row["clawed_back"]) + 0,
        adviser_share=_money(row["adviser_share"]),
        introducer_share=_money(row["introducer_share"]),
        person_id=person_id,
    )


def _person(row):
    name = f"{row['first'] or ''} {row['last'] or ''}".strip()
    return name or row["email"] or "Unassigned"


def _add(into, key, group):
    found = into.get(key)
    if found is None:
        into[key] = {**group, **{f: Decimal(group[f] or 0) for f in FIGURES}}
        return
    for name in FIGURES:
        found[name] += Decimal(group[name] or 0)


def _last_if_none(value):
    return (value is None, "" if value is None else value)


def _live_summary(*, firm, principal, query, today) -> IncomeSummary:
    """Return the Income page's figures summed from the lines (the old query)."""
    qs = _live_lines(firm=firm, principal=principal, query=query)
    groups = qs.values(
        "case__owner_id",
        "case__introducer_id",
        first=F("case__owner__first_name"),
        last=F("case__owner__last_name"),
        email=F("case__owner__email"),
        name=F("case__introducer__name"),
    ).annotate(**_live_figures(today))
    advisers: dict[Any, dict[str, Any]] = {}
    introducers: dict[Any, dict[str, Any]] = {}
    total: dict[Any, dict[str, Any]] = {None: dict.fromkeys(FIGURES, Decimal(0))}
    for group in groups:
        _add(advisers, group["case__owner_id"], group)
        _add(introducers, group["case__introducer_id"], group)
        _add(total, None, group)
    by_adviser = sorted(
        advisers.values(),
        key=lambda r: (
            _last_if_none(r["first"]),
            _last_if_none(r["last"]),
            _last_if_none(r["case__owner_id"]),
        ),
    )
    by_introducer = sorted(
        introducers.values(),
        key=lambda r: (
            _last_if_none(r["name"]),
            _last_if_none(r["case__introducer_id"]),
        ),
    )
    return IncomeSummary(
        advisers=tuple(_row(_person(r), r, r["case__owner_id"]) for r in by_adviser),
        introducers=tuple(
            _row(r["name"] or "No introducer", r, r["case__introducer_id"])
            for r in by_introducer
        ),
        total=_row("Total", total[None], None),
    )


def _restricted(firm, user):
    membership = user.memberships.get(firm=firm)
    membership.revoked = [Perm.VIEW_ALL_CASES]
    membership.granted = [Perm.VIEW_OWN_CASES]
    membership.save()
    return StaffPrincipal(membership)


def _ranges(firm):
    """Ranges of every shape, two of them inside a line's days."""
    spanning = (
        IncomeLine.objects.filter(firm=firm, received_on__gt=F("expected_on"))
        .order_by("pk")
        .first()
    )
    assert spanning is not None
    assert spanning.received_on is not None
    lo, hi = spanning.expected_on, spanning.received_on
    assert hi - lo >= 2 * DAY
    return [
        (None, None),
        (datetime.date(2026, 1, 10), None),
        (None, datetime.date(2026, 2, 20)),
        (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 17), datetime.date(2026, 4, 9)),
        (BASE, BASE),
        (datetime.date(2026, 3, 20), datetime.date(2026, 3, 10)),  # backwards
        (lo + DAY, hi - DAY),  # inside the line's span
        (hi - DAY, lo + DAY),  # backwards across it
    ]


def test_summary_from_the_tally_matches_the_live_query(firm, other_firm):
    """Income page figures: the same summary both ways, for every filter."""
    rng = random.Random(11)  # noqa: S311  (test data)
    # PostgreSQL sums exactly, so there any shares are used, half pennies too.
    exact = connection.vendor == "postgresql"
    splits = ANY_SPLITS if exact else SPLITS
    made = random_income(other_firm, rng, steps=90, splits=splits)
    random_income(firm, random.Random(12), steps=10)  # noqa: S311  (apart)
    members, introducers = made["members"], made["introducers"]
    lines = IncomeLine.objects.filter(firm=other_firm)
    assert lines.filter(received_on__lt=F("expected_on")).exists()
    assert lines.filter(case__owner=None).exists()
    assert lines.filter(case__introducer=None).exists()
    people = [
        (None, None),
        (members[0].pk, None),
        (None, introducers[0].pk),
        (members[1].pk, introducers[1].pk),
    ]
    principals = [None, _restricted(other_firm, members[2])]
    todays = [BASE - 60 * DAY, BASE, datetime.date(2026, 4, 9), BASE + 400 * DAY]
    everything = _live_summary(
        firm=other_firm, principal=None, query=IncomeQuery(), today=todays[-1]
    )
    assert all(everything.total.values())  # every figure has something
    checked = shown = 0
    for date_from, date_to in _ranges(other_firm):
        for owner_id, introducer_id in people:
            query = IncomeQuery(date_from, date_to, owner_id, introducer_id)
            for principal in principals:
                for today in todays:
                    args = {
                        "firm": other_firm,
                        "principal": principal,
                        "query": query,
                        "today": today,
                    }
                    live = _live_summary(**args)
                    assert selectors.income_summary(**args) == live, args
                    checked += 1
                    shown += not live.is_empty
    assert checked == 9 * 4 * 2 * 4
    assert shown > checked // 3
