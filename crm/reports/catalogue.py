"""The reports the Reports page offers (L2), in menu order.

Each report names the module a firm needs for it, what its date range bounds,
and the selector that computes it. Reports sit at the top layer, so this list
may name every app's selectors; lower apps never learn that reports exist.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.reports import selectors
from crm.reports.selectors import ReportQuery, Table

Build = Callable[[Firm, Principal | None, ReportQuery, datetime.date], Table]


@dataclass(frozen=True)
class Report:
    """One report: its address, title, what it shows and how it is computed."""

    key: str
    title: str
    summary: str
    dates: str
    build: Build
    module: str = ""
    introducer: bool = True


REPORTS: tuple[Report, ...] = (
    Report(
        key="pipeline",
        title="Pipeline by stage and adviser",
        summary="Open mortgage and protection cases at each stage, per adviser.",
        dates="Cases opened between",
        build=lambda f, p, q, t: selectors.pipeline_report(
            firm=f, principal=p, query=q
        ),
        module="advice",
    ),
    Report(
        key="conversion",
        title="Lead-to-case conversion",
        summary="Leads received each month and how many became cases.",
        dates="Leads received between",
        build=lambda f, p, q, t: selectors.conversion_report(
            firm=f, principal=p, query=q, today=t
        ),
        module="advice",
    ),
    Report(
        key="cases",
        title="Cases opened and closed",
        summary="Cases opened and closed each month, by kind of case.",
        dates="Opened or closed between",
        build=lambda f, p, q, t: selectors.cases_report(
            firm=f, principal=p, query=q, today=t
        ),
    ),
    Report(
        key="premiums",
        title="Protection premiums by provider",
        summary="Policies submitted or on risk, and their annual premiums.",
        dates="Policies added between",
        build=lambda f, p, q, t: selectors.premiums_report(
            firm=f, principal=p, query=q
        ),
        module="advice",
    ),
    Report(
        key="income",
        title="Income by adviser",
        summary="Fees and commission expected, received, overdue and clawed back.",
        dates="Expected or received between",
        build=lambda f, p, q, t: selectors.income_by_adviser_report(
            firm=f, principal=p, query=q, today=t
        ),
        module="advice",
    ),
    Report(
        key="income-introducers",
        title="Income by introducer",
        summary="Fees and commission from each introducer's cases, and their share.",
        dates="Expected or received between",
        build=lambda f, p, q, t: selectors.income_by_introducer_report(
            firm=f, principal=p, query=q, today=t
        ),
        module="advice",
    ),
    Report(
        key="submissions",
        title="Concert Hub submissions by status",
        summary="Where each case's latest Concert Hub submission stands.",
        dates="First sent between",
        build=lambda f, p, q, t: selectors.submissions_report(
            firm=f, principal=p, query=q
        ),
        module="advice",
    ),
    Report(
        key="caseload",
        title="Support caseload",
        summary="Open support cases per case manager, by concern level.",
        dates="Cases opened between",
        build=lambda f, p, q, t: selectors.caseload_report(
            firm=f, principal=p, query=q
        ),
        module="support",
        introducer=False,
    ),
    Report(
        key="outcomes",
        title="Support outcomes achieved",
        summary="Desired outcomes set and achieved each month.",
        dates="Set or achieved between",
        build=lambda f, p, q, t: selectors.outcomes_report(
            firm=f, principal=p, query=q, today=t
        ),
        module="support",
        introducer=False,
    ),
)


def reports_for(firm: Firm) -> list[Report]:
    """Return the reports ``firm`` gets, given its modules."""
    return [r for r in REPORTS if firm.has_module(r.module)]


def report_for(firm: Firm, key: str) -> Report | None:
    """Return the report ``key`` if ``firm`` gets it, else None."""
    return next((r for r in reports_for(firm) if r.key == key), None)
