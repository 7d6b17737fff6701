"""Income reports (L3): the Income page's figures per adviser and per introducer.

The income app computes them (one aggregate query for both); these turn
them into report tables, so the chart, the table and the CSV read the same.
"""

import datetime

from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.income import selectors as income_selectors
from crm.income.selectors import IncomeFigures, IncomeQuery
from crm.reports.selectors.base import Column, ReportQuery, Row, Table

CHARTED = frozenset({"Expected (£)", "Received (£)"})
NOTE = (
    "Lines expected or received in the date range. Shares are of what was "
    "received, net of clawbacks."
)


def _row(figures: IncomeFigures) -> Row:
    return Row(figures.label, figures.values())


def _table(
    heading: str, rows: tuple[IncomeFigures, ...], total: IncomeFigures
) -> Table:
    return Table(
        row_heading=heading,
        columns=tuple(
            Column(label, format="money", chart=label in CHARTED)
            for label in income_selectors.COLUMNS
        ),
        rows=tuple(_row(r) for r in rows),
        total=_row(total),
        note=NOTE,
    )


def _summary(
    firm: Firm, principal: Principal | None, query: ReportQuery, today: datetime.date
) -> income_selectors.IncomeSummary:
    return income_selectors.income_summary(
        firm=firm,
        principal=principal,
        query=IncomeQuery(
            date_from=query.date_from,
            date_to=query.date_to,
            owner_id=query.owner_id,
            introducer_id=query.introducer_id,
        ),
        today=today,
    )


def income_by_adviser_report(
    *, firm: Firm, principal: Principal | None, query: ReportQuery, today: datetime.date
) -> Table:
    """Return income expected, received, overdue and clawed back per adviser."""
    summary = _summary(firm, principal, query, today)
    return _table("Adviser", summary.advisers, summary.total)


def income_by_introducer_report(
    *, firm: Firm, principal: Principal | None, query: ReportQuery, today: datetime.date
) -> Table:
    """Return income expected, received, overdue and clawed back per introducer."""
    summary = _summary(firm, principal, query, today)
    return _table("Introducer", summary.introducers, summary.total)
