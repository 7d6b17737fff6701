"""Run the whole suite on the configured database and return its results entry."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled

from bench import load, operations, ops_paging
from bench.context import BenchContext, build_context
from bench.generate import bench_user
from bench.loader import analyse
from bench.pages import support_case_available
from bench.runner import run_operation
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core.middleware import SESSION_FIRM_KEY
from crm.interactions.models import Interaction
from crm.tasks.models import Task

THROUGHPUT_PATH = "/cases/?tab=open&sort=follow_up"
# The other hot pages of issue 21 item 1, each loaded for half as long: the
# lists, the case pages and the client record (operations of that name).
HOT_PAGES = (
    "contact_list",
    "support_case_list",
    "leads_newest",
    "task_list",
    "case_detail",
    "contact_detail",
    "support_case_detail",
)


def logged_in_client(ctx: BenchContext) -> Client:
    """Return a test client with the bench member's session on the large firm."""
    client = Client()
    client.force_login(bench_user())
    session = client.session
    session[SESSION_FIRM_KEY] = ctx.firm_id
    session.save()
    return client


def _counts(firm_id: int) -> dict[str, int]:
    with scopes_disabled():
        return {
            "contacts": Contact.objects.filter(firm_id=firm_id).count(),
            "cases": Case.objects.filter(firm_id=firm_id).count(),
            "interactions": Interaction.objects.filter(firm_id=firm_id).count(),
            "tasks": Task.objects.filter(firm_id=firm_id).count(),
        }


def run_suite(
    *,
    requests: int,
    scale: float,
    only: list[str] | None = None,
    load_seconds: int = 20,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Time every operation (and the load test unless ``load_seconds`` is 0).

    Statistics are refreshed first, as a maintained database's would be: the
    data may predate indexes a later migration added, and SQLite's planner
    misjudges an index that has no statistics beside ones that have.
    """
    analyse()
    ctx = build_context(lead_count=requests + 10)
    client = logged_in_client(ctx)
    # The API's operations come as an integration would: a bearer key, no session.
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ctx.api_key}")
    counts = _counts(ctx.firm_id)
    results = []
    for op in [*operations.operations(ctx), *ops_paging.paging_operations(ctx)]:
        if only and op.name not in only:
            continue
        if op.name == "lead_convert" and len(ctx.leads) < requests:
            log(f"  {op.name}: skipped, only {len(ctx.leads)} open leads left")
            continue
        result = run_operation(api if op.bearer else client, op, ctx, requests)
        results.append(result.as_dict())
        log(
            f"  {op.label:<46} p50 {result.p50_ms:7.2f} p95 {result.p95_ms:7.2f} ms "
            f"q {result.queries_min:>2} {result.query_ms_p50:6.2f} ms "
            f"raw {result.raw_ms_p50:6.2f} ms ({result.orm_raw_ratio:4.1f}x, "
            f"{result.request_query_ratio:4.1f}x)"
        )
    entry: dict[str, Any] = {
        "vendor": connection.vendor,
        "scale": scale,
        "requests": requests,
        "counts": counts,
        "operations": results,
    }
    if not support_case_available():
        entry["skipped"] = ["support_case_detail: the support case page is not built"]
    run_load(entry, client, load_seconds=load_seconds, log=log, ctx=ctx)
    return entry


def run_load(
    entry: dict[str, Any],
    client: Client,
    *,
    load_seconds: int,
    log: Callable[[str], None] = print,
    ctx: BenchContext | None = None,
) -> None:
    """Load the Cases list, then each hot page, through gunicorn into ``entry``."""
    entry.pop("throughput", None)
    entry.pop("throughput_skipped", None)
    entry.pop("throughput_pages", None)
    if not load_seconds or load.wrk_path() is None:
        entry["throughput_skipped"] = "wrk not installed" if load_seconds else "off"
        return
    session = client.cookies["sessionid"].value
    result = load.measure(THROUGHPUT_PATH, session, seconds=load_seconds)
    entry["throughput"] = result.as_dict()
    _log_load("Cases list", result, log)
    if ctx is None:
        return
    paths = {
        op.name: op.path(ctx, 0)
        for op in operations.operations(ctx)
        if op.name in HOT_PAGES and op.method == "GET"
    }
    pages = []
    for name in HOT_PAGES:
        if name not in paths:
            continue
        found = load.measure(paths[name], session, seconds=max(load_seconds // 2, 1))
        pages.append({"name": name, **found.as_dict()})
        _log_load(name, found, log)
    entry["throughput_pages"] = pages


def _log_load(name: str, result: load.Throughput, log: Callable[[str], None]) -> None:
    log(
        f"  throughput {name}: {result.requests_per_second:.0f} req/s "
        f"({result.per_core:.0f}/core; workers {result.worker_cpu_ms:.1f} ms CPU "
        f"a request, {result.web_per_core:.0f}/web core), p95 {result.p95_ms:.1f} ms, "
        f"{result.timeouts} timeouts"
    )


def run_load_only(
    entry: dict[str, Any], *, load_seconds: int, log: Callable[[str], None] = print
) -> None:
    """Measure only the throughput, into an earlier run's ``entry``."""
    ctx = build_context(lead_count=0)
    run_load(entry, logged_in_client(ctx), load_seconds=load_seconds, log=log, ctx=ctx)
