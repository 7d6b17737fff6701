"""Hand-written SQL for the report pages (L2): the lower bound of each report.

The reports group a firm's rows by stage, adviser, month or provider; a
person would write one GROUP BY per figure set, as below. The monthly reports
cover the last twelve months, as the pages do when no dates are chosen.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from bench.context import BenchContext
from bench.sql import Statement, case_list_choices

LONDON = ZoneInfo("Europe/London")


def _twelve_months_ago() -> datetime:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - 11
    first = date(index // 12, index % 12 + 1, 1)
    return datetime.combine(first, time.min, tzinfo=LONDON)


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column} AT TIME ZONE 'Europe/London')"
    return f"strftime('%%Y-%%m-01', {column})"


def pipeline(ctx: BenchContext) -> list[Statement]:
    """Open advice cases by stage and adviser, with the advisers' names."""
    return [
        *case_list_choices(ctx),
        (
            "SELECT c.status, c.owner_id, u.first_name, u.last_name, u.email, "
            "COUNT(c.id) FROM cases_case c LEFT JOIN firms_user u ON u.id = c.owner_id "
            "WHERE c.firm_id = %s AND c.kind IN ('mortgage', 'protection') "
            "AND c.is_open = %s GROUP BY 1, 2, 3, 4, 5",
            [ctx.firm_id, True],
        ),
    ]


def conversion(ctx: BenchContext) -> list[Statement]:
    """Leads per month received, converted and not proceeding."""
    return [
        *case_list_choices(ctx),
        (
            f"SELECT {_month('created_at')} AS m, COUNT(id), "  # noqa: S608 - fixed SQL
            "SUM(CASE WHEN status = 'converted' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'not_proceeding' THEN 1 ELSE 0 END) "
            "FROM leads_lead WHERE firm_id = %s AND created_at >= %s GROUP BY 1",
            [ctx.firm_id, _twelve_months_ago()],
        ),
    ]


def cases(ctx: BenchContext) -> list[Statement]:
    """Cases opened per month and kind, and closed per month and kind."""
    since = _twelve_months_ago()
    return [
        *case_list_choices(ctx),
        *(
            (
                f"SELECT {_month(column)} AS m, kind, COUNT(id) FROM cases_case "  # noqa: S608
                f"WHERE firm_id = %s AND {column} >= %s GROUP BY 1, 2",
                [ctx.firm_id, since],
            )
            for column in ("created_at", "closed_at")
        ),
    ]


def premiums(ctx: BenchContext) -> list[Statement]:
    """Placed protection policies by provider, with their annual premiums."""
    return [
        *case_list_choices(ctx),
        (
            "SELECT provider, "
            "SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'on_risk' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN premium_frequency = 'monthly' THEN premium * 12 "
            "ELSE premium END) AS annual FROM protection_policy "
            "WHERE firm_id = %s AND status IN ('submitted', 'on_risk') "
            "GROUP BY provider ORDER BY annual DESC",
            [ctx.firm_id],
        ),
    ]


def caseload(ctx: BenchContext) -> list[Statement]:
    """Open support cases by case manager and concern level."""
    return [
        case_list_choices(ctx)[0],
        (
            "SELECT c.owner_id, u.first_name, u.last_name, u.email, d.concern_level, "
            "COUNT(c.id) FROM cases_case c "
            "LEFT JOIN support_supportdetails d ON d.case_id = c.id "
            "LEFT JOIN firms_user u ON u.id = c.owner_id "
            "WHERE c.firm_id = %s AND c.kind = 'support' AND c.is_open = %s "
            "GROUP BY 1, 2, 3, 4, 5",
            [ctx.firm_id, True],
        ),
    ]
