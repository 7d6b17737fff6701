"""The operations the bench times, each with its hand-written SQL lower bound.

An operation is one request (GET, or the POST that does the work) plus the
untimed requests that set it up (the wizard's earlier steps), and the SQL a
person would write to read or write the same rows on the same database. A
page added later gets one more :class:`Operation` in :func:`operations`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse

from bench import (
    sql,
    sql_api,
    sql_detail,
    sql_pages,
    sql_reports,
    sql_search,
    sql_writes,
)
from bench.context import SURNAME_PREFIX_LATE, BenchContext
from bench.pages import support_case_available, support_case_url

Statement = tuple[str, list[Any]]
HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass(frozen=True)
class Operation:
    """One timed request and its lower bound."""

    name: str
    label: str
    path: Callable[[BenchContext, int], str]
    raw: Callable[[BenchContext, int], list[Statement]]
    method: str = "GET"
    data: Callable[[BenchContext, int], dict[str, Any]] | None = None
    prepare: Callable[[Client, BenchContext, int], None] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expect: int = 200
    writes: bool = False
    bearer: bool = False


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs or None)


def _wizard_step(client: Client, step: str, data: dict[str, Any]) -> None:
    response = client.post(_url("advice:wizard_step", step=step), data)
    if response.status_code != 302:
        msg = f"wizard step {step} answered {response.status_code}"
        raise RuntimeError(msg)


def _new_case_steps(client: Client, ctx: BenchContext, i: int) -> None:
    client.get(_url("advice:wizard_start") + "?restart=1")
    _wizard_step(client, "product", sql.MORTGAGE_PRODUCT)
    _wizard_step(client, "main", sql.new_client(i))
    _wizard_step(client, "introducer", {})


def _lead_steps(client: Client, ctx: BenchContext, i: int) -> None:
    lead_id, contact_id = ctx.leads[i % len(ctx.leads)]
    client.get(_url("advice:wizard_start") + f"?contact={contact_id}&lead={lead_id}")
    _wizard_step(client, "product", sql.MORTGAGE_PRODUCT)
    _wizard_step(client, "introducer", {})


def _adviser_step(ctx: BenchContext, i: int) -> dict[str, Any]:
    return {"owner": ctx.user_id, "status": "call_back", "action": "next"}


RawStatements = Callable[[BenchContext, int], list[Statement]]


def with_request_context(raw: RawStatements) -> RawStatements:
    def statements(ctx: BenchContext, i: int) -> list[Statement]:
        return [*sql.request_context(ctx), *raw(ctx, i)]

    return statements


REPORTS = (
    ("pipeline", "Report: pipeline by stage and adviser", sql_reports.pipeline),
    ("conversion", "Report: lead-to-case conversion", sql_reports.conversion),
    ("cases", "Report: cases opened and closed", sql_reports.cases),
    ("premiums", "Report: protection premiums by provider", sql_reports.premiums),
)


def _report_path(key: str) -> Callable[[BenchContext, int], str]:
    return lambda c, i: _url("reports:report_detail", key=key)


def _report_raw(
    raw: Callable[[BenchContext], list[Statement]],
) -> Callable[[BenchContext, int], list[Statement]]:
    return lambda c, i: raw(c)


def _report_operations() -> list[Operation]:
    """Return the report pages (L2): each a few GROUP BYs over the firm's rows."""
    return [
        Operation(f"report_{key}", label, _report_path(key), _report_raw(raw))
        for key, label, raw in REPORTS
    ]


def _page_operations() -> list[Operation]:
    """Return the boards (issue 13), Income, complaints and the Leads list."""
    return [
        Operation(
            "board_mortgages",
            "Mortgages board: every stage, 10 cards each",
            lambda c, i: _url("advice:mortgage_board"),
            lambda c, i: sql_pages.board(c, "mortgage"),
        ),
        Operation(
            "board_protection",
            "Protection board: every stage, with premiums",
            lambda c, i: _url("advice:protection_board"),
            lambda c, i: sql_pages.board(c, "protection"),
        ),
        Operation(
            "income",
            "Income page: totals, by adviser, by introducer",
            lambda c, i: _url("income:income_page"),
            lambda c, i: sql_pages.income(c),
        ),
        Operation(
            "complaints",
            "Complaints register: first page and counts",
            lambda c, i: _url("complaints:complaint_list"),
            lambda c, i: sql_pages.complaints(c),
        ),
        Operation(
            "leads_newest",
            "Leads list: newest first (as it opens)",
            lambda c, i: _url("leads:lead_list"),
            lambda c, i: sql_pages.leads_list(c, open_only=False),
        ),
        Operation(
            "leads_open",
            "Leads list: open leads, newest first",
            lambda c, i: _url("leads:lead_list") + "?status=open",
            lambda c, i: sql_pages.leads_list(c, open_only=True),
        ),
    ]


API = (
    ("api_contacts", "API: GET /api/v1/contacts", "contacts", sql_api.contacts),
    ("api_cases", "API: GET /api/v1/cases", "cases", sql_api.cases),
    ("api_case", "API: GET /api/v1/cases/{id}", "cases/{case}", sql_api.case),
    ("api_leads", "API: GET /api/v1/leads", "leads", sql_api.leads),
    ("api_tasks", "API: GET /api/v1/tasks", "tasks", sql_api.tasks),
)


def _api_path(resource: str) -> Callable[[BenchContext, int], str]:
    return lambda c, i: "/api/v1/" + resource.format(case=c.case_id)


def api_operations() -> list[Operation]:
    """Return the REST API's main reads (issue 17), sent with a bearer token.

    No session: the lower bound reads the token, not the session and user.
    """
    return [
        Operation(name, label, _api_path(resource), _report_raw(raw), bearer=True)
        for name, label, resource, raw in API
    ]


def operations(ctx: BenchContext) -> list[Operation]:
    """Return every operation the bench measures, in report order."""
    ops = [
        Operation(
            "cases_open",
            "Cases list: Open tab, by follow-up, 25 rows",
            lambda c, i: _url("advice:case_list") + "?tab=open&sort=follow_up",
            lambda c, i: [*sql.case_list_choices(c), sql.cases_open(c)],
        ),
        Operation(
            "cases_newest",
            "Cases list: All tab, newest first (as it opens)",
            lambda c, i: _url("advice:case_list"),
            lambda c, i: [*sql.case_list_choices(c), sql.cases_newest(c)],
        ),
        Operation(
            "cases_filtered",
            "Cases list: one adviser, one status",
            lambda c, i: (
                _url("advice:case_list") + f"?owner={c.adviser_id}&status={c.status}"
            ),
            lambda c, i: [*sql.case_list_choices(c), sql.cases_filtered(c)],
        ),
        Operation(
            "search_surname",
            "Header search: part of a surname",
            lambda c, i: _url("contacts:search") + f"?q={c.surname_part}",
            lambda c, i: sql_search.header_search(c, c.surname_part),
            headers=HTMX,
        ),
        Operation(
            "search_prefix",
            "Header search: start of a surname",
            lambda c, i: _url("contacts:search") + f"?q={c.surname_prefix}",
            lambda c, i: sql_search.header_search(c, c.surname_prefix),
            headers=HTMX,
        ),
        Operation(
            "search_prefix_late",
            "Header search: start of a surname late in the alphabet",
            lambda c, i: _url("contacts:search") + f"?q={SURNAME_PREFIX_LATE}",
            lambda c, i: sql_search.header_search(c, SURNAME_PREFIX_LATE),
            headers=HTMX,
        ),
        Operation(
            "search_email",
            "Header search: part of an e-mail",
            lambda c, i: _url("contacts:search") + f"?q={c.email_part}",
            lambda c, i: sql_search.header_search(c, c.email_part),
            headers=HTMX,
        ),
        Operation(
            "search_phone",
            "Header search: a phone fragment",
            lambda c, i: _url("contacts:search") + f"?q={c.phone_part}",
            lambda c, i: sql_search.header_search(c, c.phone_part),
            headers=HTMX,
        ),
        Operation(
            "contact_list",
            "Clients list: first page",
            lambda c, i: _url("contacts:contact_list"),
            lambda c, i: [sql.contact_list(c)],
        ),
        Operation(
            "contact_detail",
            "Client record page",
            lambda c, i: _url("contacts:contact_detail", contact_id=c.contact_id),
            lambda c, i: sql_detail.contact_page(c),
        ),
        Operation(
            "case_detail",
            "Case page",
            lambda c, i: _url("advice:case_detail", case_id=c.case_id),
            lambda c, i: sql_detail.advice_case_page(c, c.case_id),
        ),
        Operation(
            "wizard_create",
            "New Case wizard: Create Case",
            lambda c, i: _url("advice:wizard_step", step="adviser"),
            lambda c, i: sql_writes.case_insert(c, i, lead=None),
            method="POST",
            data=_adviser_step,
            prepare=_new_case_steps,
            expect=302,
            writes=True,
        ),
        Operation(
            "lead_convert",
            "Lead to case conversion",
            lambda c, i: _url("advice:wizard_step", step="adviser"),
            lambda c, i: sql_writes.case_insert(c, i, lead=c.leads[i % len(c.leads)]),
            method="POST",
            data=_adviser_step,
            prepare=_lead_steps,
            expect=302,
            writes=True,
        ),
        *_report_operations(),
        Operation(
            "task_list",
            "Tasks page: my tasks",
            lambda c, i: _url("tasks:task_list"),
            lambda c, i: sql_pages.tasks_page(c),
        ),
        *_page_operations(),
    ]
    # Every page first reads the session, the user and their memberships:
    # the lower bound reads them too, so the ratio compares like with like.
    ops = [replace(op, raw=with_request_context(op.raw)) for op in ops]
    ops += api_operations()
    if support_case_available() and ctx.support_case_id is not None:
        ops.append(
            Operation(
                "report_caseload",
                "Report: support caseload",
                _report_path("caseload"),
                with_request_context(lambda c, i: sql_reports.caseload(c)),
            )
        )
        ops.append(
            Operation(
                "support_case_list",
                "Support cases list: Open tab, 25 rows",
                lambda c, i: _url("support:case_list") + "?tab=open",
                with_request_context(lambda c, i: sql.support_cases_open(c)),
            )
        )
        ops.append(
            Operation(
                "support_case_detail",
                "Support case page",
                lambda c, i: support_case_url(c.support_case_id or 0) or "",
                with_request_context(
                    lambda c, i: sql_detail.support_case_page(c, c.support_case_id or 0)
                ),
            )
        )
        ops.append(
            Operation(
                "funder_report",
                "Funder report: latest outcome scores by scale",
                lambda c, i: _url("support:funder_report"),
                with_request_context(lambda c, i: sql_pages.funder_report(c)),
            )
        )
    return ops


def vendor() -> str:
    """Return the database vendor the operations run against."""
    return connection.vendor
