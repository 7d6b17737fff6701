"""Reports on cases of every kind and on support work: opened and closed per
month, the support caseload and the outcomes achieved."""

import datetime

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth

from crm.cases import kinds as case_kinds
from crm.cases.models import Case
from crm.cases.policies import case_child_visibility, case_visibility
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.reports.selectors.base import (
    Column,
    ReportQuery,
    Row,
    Table,
    for_people,
    in_range,
    month_label,
    months_of,
    person_label,
)
from crm.support.choices import ConcernLevel, ItemKind, SupportKind
from crm.support.models import SupportItem


def cases_report(
    *, firm: Firm, principal: Principal | None, query: ReportQuery, today: datetime.date
) -> Table:
    """Return cases opened and closed per month, by kind of case.

    A case counts as opened in the month it was created and as closed in the
    month it was closed, whatever its state now.
    """
    span = months_of(query, today=today)
    kinds = case_kinds.kinds_for(firm)
    cases = for_people(
        case_visibility(
            Case.objects.filter(firm=firm, kind__in=[k.value for k in kinds]),
            principal,
        ),
        query,
    ).order_by()
    tallies: dict[str, dict[tuple[datetime.date, str], int]] = {}
    for name in ("created_at", "closed_at"):
        rows = (
            in_range(cases, name, span.date_from, span.date_to)
            .annotate(month=TruncMonth(name, output_field=DateField()))
            .values("month", "kind")
            .annotate(n=Count("id"))
        )
        tallies[name] = {(r["month"], r["kind"]): r["n"] for r in rows}
    opened, closed = tallies["created_at"], tallies["closed_at"]
    lines = []
    for month in span.months:
        figures: list[int] = []
        for kind in kinds:
            figures += [
                opened.get((month, kind.value), 0),
                closed.get((month, kind.value), 0),
            ]
        lines.append(
            Row(month_label(month), (*figures, sum(figures[0::2]), sum(figures[1::2])))
        )
    columns = [
        Column(f"{kind.label} {verb}")
        for kind in kinds
        for verb in ("opened", "closed")
    ]
    if len(kinds) == 1:
        # One kind of case: its columns would repeat the totals.
        columns = []
        lines = [Row(line.label, line.values[2:]) for line in lines]
    width = len(columns) + 2
    total = tuple(sum(int(line.values[i] or 0) for line in lines) for i in range(width))
    return Table(
        row_heading="Month",
        columns=(
            *columns,
            Column("Opened", chart=True),
            Column("Closed", chart=True),
        ),
        rows=tuple(lines),
        total=Row("Total", total),
        note=span.note,
    )


def caseload_report(
    *, firm: Firm, principal: Principal | None, query: ReportQuery
) -> Table:
    """Return open support cases by case manager and concern level.

    The date range bounds when the cases were opened; support cases have no
    introducer, so that filter does not apply.
    """
    visible = case_visibility(
        Case.objects.filter(firm=firm, kind=SupportKind.SUPPORT, is_open=True),
        principal,
    )
    qs = in_range(visible, "created_at", query.date_from, query.date_to)
    if query.owner_id is not None:
        qs = qs.filter(owner_id=query.owner_id)
    counts = (
        qs.order_by()
        .values("owner_id", "owner__first_name", "owner__last_name", "owner__email")
        .annotate(
            **{
                level: Count("id", filter=Q(support__concern_level=level))
                for level in ConcernLevel.values
            },
            total=Count("id"),
        )
    )
    rows = sorted(
        (
            Row(
                person_label(
                    r["owner__first_name"], r["owner__last_name"], r["owner__email"]
                ),
                (*(r[level] for level in ConcernLevel.values), r["total"]),
            )
            for r in counts
        ),
        key=lambda row: (row.label == "Unassigned", row.label.lower()),
    )
    width = len(ConcernLevel.values) + 1
    return Table(
        row_heading="Case manager",
        columns=(
            *(Column(f"{label} concern") for label in ConcernLevel.labels),
            Column("Open cases", chart=True),
        ),
        rows=tuple(rows),
        total=Row(
            "Total",
            tuple(sum(int(row.values[i] or 0) for row in rows) for i in range(width)),
        ),
    )


def outcomes_report(
    *, firm: Firm, principal: Principal | None, query: ReportQuery, today: datetime.date
) -> Table:
    """Return desired outcomes set and outcomes achieved, per month.

    An outcome counts as set in the month it was added and as achieved in the
    month of its achieved date; the adviser filter is the case manager.
    """
    span = months_of(query, today=today)
    qs = case_child_visibility(
        SupportItem.objects.filter(firm=firm, kind=ItemKind.OUTCOME), principal
    )
    if query.owner_id is not None:
        qs = qs.filter(case__owner_id=query.owner_id)
    qs = qs.order_by()
    set_rows = (
        in_range(qs, "created_at", span.date_from, span.date_to)
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("month")
        .annotate(n=Count("id"))
    )
    achieved_rows = (
        qs.filter(achieved_on__gte=span.date_from, achieved_on__lte=span.date_to)
        .annotate(month=TruncMonth("achieved_on"))
        .values("month")
        .annotate(n=Count("id"))
    )
    set_per_month = {r["month"]: r["n"] for r in set_rows}
    achieved = {r["month"]: r["n"] for r in achieved_rows}
    rows = tuple(
        Row(month_label(m), (set_per_month.get(m, 0), achieved.get(m, 0)))
        for m in span.months
    )
    return Table(
        row_heading="Month",
        columns=(
            Column("Outcomes set", chart=True),
            Column("Outcomes achieved", chart=True),
        ),
        rows=rows,
        total=Row("Total", (sum(set_per_month.values()), sum(achieved.values()))),
        note=span.note,
    )
