"""Reports on cases of every kind and on support work: opened and closed per
month, the support caseload and the outcomes achieved."""

import datetime

from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth

from crm.cases import kinds as case_kinds
from crm.cases.policies import case_child_visibility
from crm.cases.tally.selectors import tally_counts
from crm.cases.tally.services import CLOSED, OPEN, OPENED
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.reports.selectors.base import (
    Column,
    ReportQuery,
    Row,
    Table,
    in_range,
    month_label,
    month_start,
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
    month it was closed, whatever its state now. Read from the case tally
    (``crm.cases.tally``): month rows and the partial months' day rows.
    """
    span = months_of(query, today=today)
    kinds = case_kinds.kinds_for(firm)
    counts = tally_counts(
        firm=firm,
        principal=principal,
        facts=[OPENED, CLOSED],
        kinds=[k.value for k in kinds],
        fields=("fact", "period", "kind"),
        date_from=span.date_from,
        date_to=span.date_to,
        owner_id=query.owner_id,
        introducer_id=query.introducer_id,
    )
    tallies: dict[str, dict[tuple[datetime.date, str], int]] = {
        OPENED: {},
        CLOSED: {},
    }
    for row in counts:
        cell = (month_start(row["period"]), row["kind"])
        tallies[row["fact"]][cell] = tallies[row["fact"]].get(cell, 0) + row["total"]
    opened, closed = tallies[OPENED], tallies[CLOSED]
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
    introducer, so that filter does not apply. Read from the case tally
    (``crm.cases.tally``), whose detail is the concern level.
    """
    counts = tally_counts(
        firm=firm,
        principal=principal,
        facts=[OPEN],
        kinds=[SupportKind.SUPPORT],
        fields=("owner_key", "detail"),
        date_from=query.date_from,
        date_to=query.date_to,
        owner_id=query.owner_id,
        owner_names=True,
    )
    cells: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    for r in counts:
        if not r["total"]:
            continue
        cell = cells.setdefault(r["owner_key"], {})
        cell[r["detail"]] = cell.get(r["detail"], 0) + r["total"]
        names[r["owner_key"]] = person_label(
            r["owner_first_name"], r["owner_last_name"], r["owner_email"]
        )
    rows = sorted(
        (
            Row(
                names[pk],
                (
                    *(cell.get(level, 0) for level in ConcernLevel.values),
                    sum(cell.values()),
                ),
            )
            for pk, cell in cells.items()
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
