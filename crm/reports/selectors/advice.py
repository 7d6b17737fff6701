"""Advice reports: the pipeline, lead conversion, premiums, Concert Hub sends."""

import datetime
from decimal import Decimal

from django.db.models import Count

from crm.advice.selectors import ADVICE_KINDS
from crm.cases import kinds as case_kinds
from crm.cases.policies import case_child_visibility
from crm.cases.tally.selectors import tally_counts
from crm.cases.tally.services import OPEN
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import Submission
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.leads.tally import selectors as lead_tally
from crm.leads.tally.services import CONVERTED, LOST
from crm.protection.tally.selectors import premium_totals
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
    rate,
)

PENNY = Decimal("0.01")


def _open_stages(firm: Firm) -> list[tuple[str, str]]:
    """Return the open stages of the firm's advice kinds, in pipeline order."""
    stages: dict[str, str] = {}
    for kind in case_kinds.kinds_for(firm):
        if kind.value not in ADVICE_KINDS:
            continue
        for value, label in kind.statuses:
            if value not in kind.closed_statuses:
                stages.setdefault(value, str(label))
    return list(stages.items())


def pipeline_report(
    *, firm: Firm, principal: Principal | None, query: ReportQuery
) -> Table:
    """Return open advice cases by stage (rows) and adviser (columns).

    The date range bounds when the cases were opened. Read from the case
    tally (``crm.cases.tally``): stages x advisers x the range's months and
    partial-month days, whatever the number of cases.
    """
    counts = tally_counts(
        firm=firm,
        principal=principal,
        facts=[OPEN],
        kinds=list(ADVICE_KINDS),
        fields=("status", "owner_key"),
        date_from=query.date_from,
        date_to=query.date_to,
        owner_id=query.owner_id,
        introducer_id=query.introducer_id,
        owner_names=True,
    )
    cells: dict[tuple[str, int | None], int] = {}
    advisers: dict[int | None, str] = {}
    for row in counts:
        if not row["total"]:
            continue
        pk = row["owner_key"] or None
        cells[row["status"], pk] = cells.get((row["status"], pk), 0) + row["total"]
        advisers[pk] = person_label(
            row["owner_first_name"], row["owner_last_name"], row["owner_email"]
        )
    order = sorted(advisers, key=lambda pk: (pk is None, advisers[pk].lower()))
    rows = []
    for value, label in _open_stages(firm):
        figures = [cells.get((value, pk), 0) for pk in order]
        rows.append(Row(label, (*figures, sum(figures))))
    totals = [
        sum(cells.get((v, pk), 0) for v, _l in _open_stages(firm)) for pk in order
    ]
    return Table(
        row_heading="Stage",
        columns=(
            *(Column(advisers[pk]) for pk in order),
            Column("Total", chart=True),
        ),
        rows=tuple(rows),
        total=Row("Total", (*totals, sum(totals))),
    )


def conversion_report(
    *, firm: Firm, principal: Principal | None, query: ReportQuery, today: datetime.date
) -> Table:
    """Return leads received per month, how many became cases, and the rate.

    Each lead counts in the month it was received, converted or not yet.
    Read from the lead tally (``crm.leads.tally``): month rows and the
    partial months' day rows.
    """
    span = months_of(query, today=today)
    received = lead_tally.received_counts(
        firm=firm,
        date_from=span.date_from,
        date_to=span.date_to,
        owner_id=query.owner_id,
        introducer_id=query.introducer_id,
    )
    counts: dict[datetime.date, dict[str, int]] = {}
    for (month, outcome), n in received.items():
        row = counts.setdefault(month, {"leads": 0, "converted": 0, "lost": 0})
        row["leads"] += n
        if outcome == CONVERTED:
            row["converted"] += n
        elif outcome == LOST:
            row["lost"] += n
    rows = []
    for month in span.months:
        row = counts.get(month, {})
        leads, converted = row.get("leads", 0), row.get("converted", 0)
        lost = row.get("lost", 0)
        rows.append(
            Row(month_label(month), (leads, converted, lost, rate(converted, leads)))
        )
    leads = sum(r.get("leads", 0) for r in counts.values())
    converted = sum(r.get("converted", 0) for r in counts.values())
    lost = sum(r.get("lost", 0) for r in counts.values())
    return Table(
        row_heading="Month received",
        columns=(
            Column("Leads", chart=True),
            Column("Converted to a case", chart=True),
            Column("Not proceeding"),
            Column("Conversion rate (%)", format="percent"),
        ),
        rows=tuple(rows),
        total=Row("Total", (leads, converted, lost, rate(converted, leads))),
        note=span.note,
    )


def premiums_report(
    *, firm: Firm, principal: Principal | None, query: ReportQuery
) -> Table:
    """Return placed protection policies (submitted or on risk) by provider.

    The annual premium counts a monthly premium twelve times; the date range
    bounds when the policies were added. Read from the policy tally
    (``crm.protection.tally``): providers x the range's months and
    partial-month days, whatever the number of policies.
    """
    rows = premium_totals(
        firm=firm,
        principal=principal,
        date_from=query.date_from,
        date_to=query.date_to,
        owner_id=query.owner_id,
        introducer_id=query.introducer_id,
    )
    lines = [
        Row(
            r["provider"] or "Provider not given",
            (r["submitted"], r["on_risk"], (r["annual"] or Decimal(0)).quantize(PENNY)),
        )
        for r in rows
    ]
    return Table(
        row_heading="Provider",
        columns=(
            Column("Submitted"),
            Column("On risk"),
            Column("Annual premium (£)", format="money", chart=True),
        ),
        rows=tuple(lines),
        total=Row(
            "Total",
            tuple(sum((line.values[i] or 0 for line in lines), 0) for i in range(3)),
        ),
    )


def submissions_report(
    *, firm: Firm, principal: Principal | None, query: ReportQuery
) -> Table:
    """Return the cases' latest Concert Hub submissions by status.

    The date range bounds when each case was first sent.
    """
    qs = case_child_visibility(
        Submission.objects.filter(firm=firm, is_latest=True), principal
    )
    qs = for_people(
        in_range(qs, "created_at", query.date_from, query.date_to), query, via="case"
    )
    counts = dict(
        qs.order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    rows = tuple(
        Row(str(label), (counts.get(value, 0),))
        for value, label in SubmissionStatus.choices
    )
    return Table(
        row_heading="Status",
        columns=(Column("Cases", chart=True),),
        rows=rows,
        total=Row("Total", (sum(counts.values()),)),
    )
