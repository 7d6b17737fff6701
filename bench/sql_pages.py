"""Hand-written SQL for the boards, the funder report, Income, complaints, Tasks.

Each function is the lower bound of one page: what a person would write to
read the same rows, one statement per figure set (issues 13, 18 and 19).
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from bench.context import BenchContext
from bench.sql import Statement, case_list_choices, my_tasks
from crm.advice.choices import CLOSED_STATUSES
from crm.advice.selectors.board import (
    BOARD_CARDS_PER_COLUMN,
    RECENT_DAYS,
    board_stages,
)
from crm.core.pagination import COUNT_CAP
from crm.leads.choices import OPEN_STATUSES as OPEN_LEAD_STATUSES

PAGE = 25


def _in(values: list[str]) -> str:
    return ", ".join(["%s"] * len(values))


def board(ctx: BenchContext, kind: str) -> list[Statement]:
    """A board: its stage counts, then each stage's first cards with clients.

    What a person would write for the same rows: each stage's count capped as
    the page caps it (a LIMIT per stage), all in one statement, then one
    statement for the cards: each stage's first ids (an index range with a
    LIMIT), joined to the adviser, the loan and the applicants' names; on the
    Protection board, the premiums of those cards.
    """
    stages = [str(s) for s in board_stages(kind)]
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    base = "c.firm_id = %s AND c.kind = %s"
    cap = COUNT_CAP + BOARD_CARDS_PER_COLUMN + 1
    counted: list[str] = []
    count_params: list[Any] = []
    parts: list[str] = []
    params: list[Any] = []
    for i, stage in enumerate(stages):
        if stage in CLOSED_STATUSES:
            where, order = "NOT c.is_open AND c.closed_at >= %s", "c.closed_at"
            stage_params = [ctx.firm_id, kind, stage, since]
        else:
            where, order = "c.is_open", "c.created_at"
            stage_params = [ctx.firm_id, kind, stage]
        # Each LIMIT inside its own subquery: SQLite takes none in a compound.
        counted.append(
            f"SELECT {i}, COUNT(*) FROM (SELECT c.id FROM cases_case c "  # noqa: S608
            f"WHERE {base} AND c.status = %s AND {where} LIMIT %s) n{i}"
        )
        count_params += [*stage_params, cap]
        parts.append(
            f"SELECT s{i}.id FROM (SELECT c.id FROM cases_case c "  # noqa: S608
            f"WHERE {base} AND c.status = %s AND {where} "
            f"ORDER BY {order} DESC, c.id DESC LIMIT %s) s{i}"
        )
        params += [*stage_params, BOARD_CARDS_PER_COLUMN]
    counts = " UNION ALL ".join(counted)
    first = " UNION ALL ".join(parts)
    cards = (
        "SELECT c.id, c.kind, c.reference, c.status, c.follow_up_date, "  # noqa: S608
        "c.created_at, c.closed_at, u.first_name, u.last_name, u.email, "
        "m.loan_amount, ct.kind, ct.organisation_name, ct.first_name, "
        "ct.last_name, ct.email "
        f"FROM ({first}) f JOIN cases_case c ON c.id = f.id "
        "LEFT JOIN firms_user u ON u.id = c.owner_id "
        "LEFT JOIN advice_mortgagedetails m ON m.case_id = c.id "
        "LEFT JOIN cases_caseapplicant a ON a.case_id = c.id "
        "LEFT JOIN contacts_contact ct ON ct.id = a.contact_id "
        "ORDER BY c.id, a.position"
    )
    statements = [
        *case_list_choices(ctx),
        (counts, count_params),
        (cards, params),
    ]
    if kind == "protection":
        statements.append(
            (
                "SELECT p.case_id, p.premium, p.premium_frequency "  # noqa: S608
                f"FROM protection_policy p WHERE p.case_id IN ({first}) "
                "AND p.firm_id = %s AND p.premium IS NOT NULL "
                "AND p.status NOT IN ('not_taken_up', 'cancelled', 'lapsed')",
                [*params, ctx.firm_id],
            )
        )
    return statements


def funder_report(ctx: BenchContext) -> list[Statement]:
    """The scales and pathways to filter by, then the latest sets per scale."""
    return [
        (
            "SELECT id, name FROM support_outcomescale WHERE firm_id = %s "
            "ORDER BY name, id",
            [ctx.firm_id],
        ),
        (
            "SELECT id, name, is_active FROM support_pathway WHERE firm_id = %s "
            "ORDER BY is_active DESC, lower(name), id",
            [ctx.firm_id],
        ),
        (
            "SELECT s.scale_id, o.name, o.min_score, o.max_score, p.name, "
            "COUNT(s.id), AVG(s.baseline), AVG(s.average), "
            "SUM(CASE WHEN s.average > s.baseline THEN 1 ELSE 0 END) "
            "FROM support_scoreset s "
            "JOIN support_outcomescale o ON o.id = s.scale_id "
            "LEFT JOIN support_supportdetails d ON d.case_id = s.case_id "
            "LEFT JOIN support_pathway p ON p.id = d.pathway_id "
            "WHERE s.firm_id = %s AND s.is_latest = %s AND s.scorer = %s "
            "GROUP BY 1, 2, 3, 4, 5 ORDER BY 2, 1, 5",
            [ctx.firm_id, True, "case_manager"],
        ),
    ]


INCOME_SUMS = (
    "SUM(CASE WHEN l.kind <> 'clawback' AND l.written_off_on IS NULL "
    "THEN l.amount END), "
    "SUM(CASE WHEN l.kind <> 'clawback' AND l.received_on IS NOT NULL "
    "THEN l.received_amount END), "
    "SUM(CASE WHEN l.received_on IS NULL AND l.written_off_on IS NULL "
    "AND l.expected_on < %s THEN l.amount END), "
    "SUM(CASE WHEN l.kind = 'clawback' THEN l.amount END), "
    "SUM(CASE WHEN l.received_on IS NOT NULL THEN l.received_amount "
    "* (100 - l.introducer_share_pct) * l.adviser_share_pct / 10000 END), "
    "SUM(CASE WHEN l.received_on IS NOT NULL THEN l.received_amount "
    "* l.introducer_share_pct / 100 END)"
)


def income(ctx: BenchContext) -> list[Statement]:
    """The Income page: the sums per adviser and introducer pair, in one pass.

    The page adds the pairs up into its adviser, introducer and total rows.
    """
    today = timezone.localdate()
    return [
        *case_list_choices(ctx),
        (
            f"SELECT c.owner_id, u.first_name, u.last_name, u.email, "  # noqa: S608 - fixed SQL
            f"c.introducer_id, i.name, {INCOME_SUMS} "
            "FROM income_incomeline l JOIN cases_case c ON c.id = l.case_id "
            "LEFT JOIN firms_user u ON u.id = c.owner_id "
            "LEFT JOIN firms_introducer i ON i.id = c.introducer_id "
            "WHERE l.firm_id = %s GROUP BY 1, 2, 3, 4, 5, 6",
            [today, ctx.firm_id],
        ),
    ]


def complaints(ctx: BenchContext) -> list[Statement]:
    """The complaints register: the members, a page by due date, the counts."""
    today = timezone.localdate()
    return [
        case_list_choices(ctx)[0],
        (
            "SELECT k.*, c.reference, c.title, ct.first_name, ct.last_name, "
            "u.first_name, u.last_name FROM complaints_complaint k "
            "LEFT JOIN cases_case c ON c.id = k.case_id "
            "LEFT JOIN contacts_contact ct ON ct.id = k.contact_id "
            "LEFT JOIN firms_user u ON u.id = k.handler_id "
            "WHERE k.firm_id = %s ORDER BY k.due_on, k.id LIMIT %s",
            [ctx.firm_id, PAGE + 1],
        ),
        (
            "SELECT SUM(CASE WHEN final_response_on IS NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN final_response_on IS NULL AND due_on <= %s "
            "THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN final_response_on IS NULL AND due_on < %s "
            "THEN 1 ELSE 0 END) FROM complaints_complaint WHERE firm_id = %s",
            [today + timedelta(days=7), today, ctx.firm_id],
        ),
    ]


def tasks_page(ctx: BenchContext) -> list[Statement]:
    """The Tasks page: member and category choices, the member's open tasks,
    the tab counts and the My follow-ups count.

    The counts are the page's own design, each capped at ``COUNT_CAP + 1``
    rows through its own index ("1,000+"); the bound makes the same five
    counts by hand (one conditional aggregate reads every open task that is
    the member's or due by today instead: 60 ms on the bench firm).
    """
    today = timezone.localdate()
    cap = COUNT_CAP + 1
    members, _introducers = case_list_choices(ctx)
    open_tasks = (
        "SELECT count(*) FROM (SELECT 1 FROM tasks_task WHERE firm_id = %s "
        "AND status = 'open' AND {} LIMIT %s) t"
    )
    counts: list[tuple[str, list[Any]]] = [
        ("assignee_id = %s", [ctx.user_id]),
        ("due_date = %s", [today]),
        ("due_date < %s", [today]),
        ("assignee_id = %s AND due_date = %s", [ctx.user_id, today]),
        ("assignee_id = %s AND due_date < %s", [ctx.user_id, today]),
    ]
    statuses = [str(s) for s in OPEN_LEAD_STATUSES]
    follow_ups = (
        "SELECT count(*) FROM (SELECT id FROM leads_lead WHERE firm_id = %s "  # noqa: S608
        f"AND owner_id = %s AND follow_up_date <= %s AND status IN ({_in(statuses)}) "
        "UNION ALL SELECT id FROM cases_case WHERE firm_id = %s AND owner_id = %s "
        "AND is_open AND follow_up_date <= %s LIMIT %s) f"
    )
    leads = [ctx.firm_id, ctx.user_id, today, *statuses]
    cases = [ctx.firm_id, ctx.user_id, today, cap]
    return [
        members,
        (
            "SELECT id, name, is_active FROM firms_taskcategory WHERE firm_id = %s "
            "ORDER BY is_active DESC, lower(name), id",
            [ctx.firm_id],
        ),
        my_tasks(ctx),
        *(
            (open_tasks.format(where), [ctx.firm_id, *params, cap])
            for where, params in counts
        ),
        (follow_ups, [*leads, *cases]),
    ]


def leads_list(ctx: BenchContext, *, open_only: bool) -> list[Statement]:
    """The Leads list's first page, newest first: every lead, or the open ones."""
    statuses = [str(s) for s in OPEN_LEAD_STATUSES] if open_only else []
    status = f" AND l.status IN ({_in(statuses)})" if open_only else ""
    return [
        (
            "SELECT l.id, l.status, l.source, l.follow_up_date, l.created_at, "  # noqa: S608 - placeholders only
            "c.id, c.kind, c.organisation_name, c.first_name, c.last_name, c.email, "
            "i.name, u.first_name, u.last_name, u.email FROM leads_lead l "
            "JOIN contacts_contact c ON c.id = l.contact_id "
            "LEFT JOIN firms_introducer i ON i.id = l.introducer_id "
            "LEFT JOIN firms_user u ON u.id = l.owner_id "
            f"WHERE l.firm_id = %s{status} "
            "ORDER BY l.created_at DESC, l.id DESC LIMIT %s",
            [ctx.firm_id, *statuses, PAGE + 1],
        )
    ]
