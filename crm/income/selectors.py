"""Reads of income: a case's lines, the firm's split, and the totals (L3).

The totals are read from summary rows kept by the income services (the
income tally), never a loop over lines (see ``income_summary``).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from crm.cases.models import Case
from crm.cases.policies import case_child_visibility
from crm.core.exceptions import NotFound
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm, Introducer
from crm.income.choices import IncomeKind
from crm.income.models import IncomeLine, IncomeSettings, IntroducerShare
from crm.income.tally import selectors as tally_selectors
from crm.income.tally.selectors import People
from crm.protection.models import Policy

PENNY = Decimal("0.01")
MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=2)
# Extra precision for the shares, rounded to pence once summed.
SHARE: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=20, decimal_places=6)


def income_settings_get(*, firm: Firm) -> IncomeSettings:
    """Return the firm's split of income (an unsaved default if never set)."""
    found = IncomeSettings.objects.filter(firm=firm).first()
    return found if found is not None else IncomeSettings(firm=firm)


def introducer_share_of(*, firm: Firm, introducer_id: int) -> Decimal | None:
    """Return the introducer's own share (%), or None if it takes the default."""
    return (
        IntroducerShare.objects.filter(firm=firm, introducer_id=introducer_id)
        .values_list("share_pct", flat=True)
        .first()
    )


def introducer_shares(*, firm: Firm) -> list[tuple[Introducer, Decimal | None]]:
    """Return the firm's active introducers, each with its own share or None."""
    own = IntroducerShare.objects.filter(firm=firm, introducer=OuterRef("pk"))
    rows = (
        Introducer.objects.filter(firm=firm, is_active=True)
        .annotate(own_share=own.values("share_pct")[:1])
        .order_by("name", "id")
    )
    return [(row, row.own_share) for row in rows]


def case_income_lines(*, firm: Firm, case: Case) -> list[IncomeLine]:
    """Return the case's income lines, soonest expected first, with their policy.

    Read by SQL compiled once (``crm.core.prepared``).
    """
    return _CASE_LINES(firm_id=firm.pk, case_id=case.pk)


def _case_lines(*, firm_id: int, case_id: int) -> QuerySet[IncomeLine]:
    return (
        IncomeLine.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("policy")
        .order_by("expected_on", "id")
    )


_CASE_LINES = Prepared(IncomeLine, _case_lines)


def income_line_get(
    *, firm: Firm, line_id: int, principal: Principal | None = None
) -> IncomeLine:
    """Return one of the firm's income lines the principal may see, or raise."""
    qs = case_child_visibility(IncomeLine.objects.filter(firm=firm), principal)
    line = qs.select_related("case", "policy").filter(pk=line_id).first()
    if line is None:
        raise NotFound
    return line


def policy_commissions(*, firm: Firm, policy: Policy) -> QuerySet[IncomeLine]:
    """Return the commission lines of ``policy``, each with ``has_clawback``."""
    clawed = IncomeLine.objects.filter(firm=firm, clawback_of=OuterRef("pk"))
    return (
        IncomeLine.objects.filter(firm=firm, policy=policy, kind=IncomeKind.COMMISSION)
        .select_related("case")
        .annotate(has_clawback=Exists(clawed))
        .order_by("id")
    )


@dataclass(frozen=True)
class IncomeQuery:
    """The Income page's filters: a date range, an adviser, an introducer.

    The range keeps lines expected or received between the two dates.
    """

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    owner_id: int | None = None
    introducer_id: int | None = None


@dataclass(frozen=True)
class IncomeFigures:
    """One line of the Income page: a person (or the total) and their figures."""

    label: str
    expected: Decimal
    received: Decimal
    overdue: Decimal
    clawed_back: Decimal
    adviser_share: Decimal
    introducer_share: Decimal
    person_id: int | None = None

    @property
    def headline(self) -> tuple[tuple[str, Decimal], ...]:
        """Return the four totals the Income page shows first, with labels."""
        return (
            ("Expected", self.expected),
            ("Received", self.received),
            ("Overdue", self.overdue),
            ("Clawed back", self.clawed_back),
        )

    def values(self) -> tuple[Decimal, ...]:
        """Return the figures in column order."""
        return (
            self.expected,
            self.received,
            self.overdue,
            self.clawed_back,
            self.adviser_share,
            self.introducer_share,
        )


COLUMNS = (
    "Expected (£)",
    "Received (£)",
    "Overdue (£)",
    "Clawed back (£)",
    "Adviser share (£)",
    "Introducer share (£)",
)


@dataclass(frozen=True)
class IncomeSummary:
    """The Income page's figures: per adviser, per introducer and in total."""

    advisers: tuple[IncomeFigures, ...]
    introducers: tuple[IncomeFigures, ...]
    total: IncomeFigures

    @property
    def is_empty(self) -> bool:
        """Return True when no line matched."""
        return not self.advisers


def _lines(
    *, firm: Firm, principal: Principal | None, query: IncomeQuery
) -> QuerySet[IncomeLine]:
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


def _sum(
    expression: Any, condition: Q, field: "DecimalField[Decimal, Decimal]" = MONEY
) -> Coalesce:
    return Coalesce(
        Sum(expression, filter=condition, output_field=field),
        Value(Decimal(0)),
        output_field=field,
    )


def _figures(today: datetime.date) -> dict[str, Any]:
    """Return the aggregates of one group of lines.

    Percentages are applied by multiplying (never dividing), as SQLite keeps
    whole amounts as integers and would divide them as integers.

    Expected counts every fee and commission not written off; received, what
    came in; overdue, what is still awaited past its date; clawed back, the
    clawbacks (as a positive sum). The shares are of what was received, net
    of clawbacks: the introducer's share of each line, then the adviser's
    share of the rest.
    """
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


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(PENNY)


FIGURES = (
    "expected",
    "received",
    "overdue",
    "clawed_back",
    "adviser_share",
    "introducer_share",
)


def _row(label: str, row: dict[str, Any], person_id: int | None) -> IncomeFigures:
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


def _person(row: dict[str, Any]) -> str:
    name = f"{row['first'] or ''} {row['last'] or ''}".strip()
    return name or row["email"] or "Unassigned"


def _last_if_none(value: Any) -> tuple[bool, Any]:
    """Sort key putting None after every value, as ``NULLS LAST`` does."""
    return (value is None, "" if value is None else value)


def _spanning(
    *, firm: Firm, principal: Principal | None, query: IncomeQuery, today: datetime.date
) -> tuple[People, People]:
    """Return the figures per adviser and introducer from the lines themselves.

    Only for a range that runs backwards (the filter forms refuse one): the
    lines received on one side of the gap and expected on the other count
    in it, which the summary rows cannot tell apart.
    """
    groups = (
        _lines(firm=firm, principal=principal, query=query)
        .values(
            owner_key=F("case__owner_id"),
            introducer_key=F("case__introducer_id"),
            first=F("case__owner__first_name"),
            last=F("case__owner__last_name"),
            email=F("case__owner__email"),
            name=F("case__introducer__name"),
        )
        .annotate(n=Count("id"), **_figures(today))
    )
    advisers: People = {}
    introducers: People = {}
    for group in groups:
        figures = {name: group[name] for name in ("n", *FIGURES)}
        names = {name: group[name] for name in ("first", "last", "email")}
        tally_selectors.add_to(advisers, group["owner_key"], names, figures)
        names = {"name": group["name"]}
        tally_selectors.add_to(introducers, group["introducer_key"], names, figures)
    return advisers, introducers


def income_summary(
    *,
    firm: Firm,
    principal: Principal | None,
    query: IncomeQuery,
    today: datetime.date,
) -> IncomeSummary:
    """Return expected, received, overdue and clawed-back income (L3).

    Read from the income tally's summary rows (``crm.income.tally``) in one
    query: per adviser and per introducer, whatever the number of lines;
    the firm's figures are the advisers' added up, exactly (Decimals), and
    a person shows when a line of theirs is in range.
    """
    start, end = query.date_from, query.date_to
    if start is not None and end is not None and start > end:
        advisers, introducers = _spanning(
            firm=firm, principal=principal, query=query, today=today
        )
    else:
        advisers, introducers = tally_selectors.tally_people(
            firm=firm,
            principal=principal,
            date_from=start,
            date_to=end,
            owner_id=query.owner_id,
            introducer_id=query.introducer_id,
            today=today,
        )
    shown = {k: r for k, r in advisers.items() if r["n"] > 0}
    total: dict[str, Any] = dict.fromkeys(FIGURES, Decimal(0))
    for row in shown.values():
        for name in FIGURES:
            total[name] += row[name]
    by_adviser = sorted(
        shown.items(),
        key=lambda item: (
            _last_if_none(item[1]["first"]),
            _last_if_none(item[1]["last"]),
            _last_if_none(item[0]),
        ),
    )
    by_introducer = sorted(
        ((k, r) for k, r in introducers.items() if r["n"] > 0),
        key=lambda item: (_last_if_none(item[1]["name"]), _last_if_none(item[0])),
    )
    return IncomeSummary(
        advisers=tuple(_row(_person(r), r, pk) for pk, r in by_adviser),
        introducers=tuple(
            _row(r["name"] or "No introducer", r, pk) for pk, r in by_introducer
        ),
        total=_row("Total", total, None),
    )
