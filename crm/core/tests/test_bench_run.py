"""The benchmark runner at a tiny scale: a well-formed result and report (no timing)."""

import json

import pytest
from django.core.management import CommandError, call_command

from bench import report
from bench.generate import Plan, generate
from bench.operations import operations
from bench.runner import percentile
from bench.suite import run_suite

pytestmark = pytest.mark.django_db

TINY = Plan(
    contacts=120, leads=60, cases=40, interactions=200, tasks=60, firms=2, advisers=3
)
# Issue 13 (boards), 17 (the REST API), 18 (funder report), 19 (income, complaints).
NEW_OPERATIONS = (
    "board_mortgages",
    "board_protection",
    "income",
    "complaints",
    "leads_newest",
    "leads_open",
    "api_contacts",
    "api_cases",
    "api_case",
    "api_leads",
    "api_tasks",
)
FIGURES = {
    "p50_ms",
    "p95_ms",
    "queries_min",
    "queries_max",
    "query_ms_p50",
    "raw_ms_p50",
    "orm_raw_ratio",
    "request_query_ratio",
}


@pytest.fixture
def entry():
    generate(TINY, log=lambda line: None)
    return run_suite(requests=2, scale=0.0, load_seconds=0, log=lambda line: None)


def test_every_operation_answers_and_gets_figures(entry):
    """Each listed operation ran its requests and has every figure and a ratio."""
    names = [op["name"] for op in entry["operations"]]
    assert names[:11] == [
        "cases_open",
        "cases_newest",
        "cases_filtered",
        "search_surname",
        "search_prefix",
        "search_prefix_late",
        "search_email",
        "search_phone",
        "contact_list",
        "contact_detail",
        "case_detail",
    ]
    assert {"wizard_create", "lead_convert", "task_list"} <= set(names)
    assert set(NEW_OPERATIONS) <= set(names)
    for op in entry["operations"]:
        assert set(op) >= FIGURES
        assert op["requests"] == 2
        assert op["queries_min"] > 0
        assert op["raw_ms_p50"] > 0
    assert entry["counts"]["contacts"] == TINY.contacts
    assert entry["throughput_skipped"] == "off"


def test_results_file_and_markdown_name_every_operation(entry, tmp_path):
    """The JSON keeps one entry per database and scale; RESULTS.md has a row per
    operation."""
    path = report.save("sqlite", entry, directory=tmp_path)
    data = json.loads(path.read_text())
    key = report.entry_key("sqlite", entry["scale"])
    assert data["databases"][key]["operations"] == entry["operations"]
    markdown = report.render(data)
    for op in entry["operations"]:
        assert f"| {op['label']} |" in markdown


def test_verdict_names_what_misses_the_budget():
    """A slow page, a far-from-raw page and a varying query count are named."""
    op = {"p95_ms": 80.0, "orm_raw_ratio": 2.0, "queries_min": 5, "queries_max": 6}
    assert report.verdict("postgresql", op) == [
        "p95 over 50 ms",
        "queries over 1.5x raw SQL",
        "query count varies",
    ]
    assert report.verdict("sqlite", op) == ["query count varies"]
    search = {**op, "name": "search_email", "p95_ms": 60.0}
    assert report.verdict("sqlite", search)[0] == "p95 over 50 ms"


def test_percentile_is_nearest_rank():
    """p95 of 1..100 is 95; p50 of one value is that value."""
    assert percentile([float(n) for n in range(1, 101)], 95) == 95.0
    assert percentile([3.0], 50) == 3.0


def test_operations_cover_the_issue_list(entry):
    """The support case page and the funder report join the list once their
    URLs exist; the boards, Income, complaints and the API are always timed
    (issues 13, 17, 18, 19)."""
    from bench.context import build_context
    from bench.pages import support_case_available

    ctx = build_context(lead_count=1)
    names = {op.name for op in operations(ctx)}
    support = support_case_available() and ctx.case_id is not None
    assert ("support_case_detail" in names) is support
    assert ("support_case_list" in names) is support
    assert ("funder_report" in names) is support
    assert set(NEW_OPERATIONS) <= names


def test_api_operations_send_the_bench_token_and_no_session(entry):
    """The API's operations go with a bearer key of a read token of the bench
    member; their lower bound reads that token, not a session (issue 17)."""
    from django_scopes import scopes_disabled

    from bench.context import build_context
    from crm.api.models import ApiToken

    ctx = build_context(lead_count=1)
    with scopes_disabled():
        token = ApiToken.objects.select_related("membership").get(
            prefix=ctx.api_key[:10]
        )
    assert token.scope == "read"
    assert token.membership.user_id == ctx.user_id
    ops = operations(ctx)
    api = [op for op in ops if op.name.startswith("api_")]
    assert [op.name for op in api] == [
        n for n in NEW_OPERATIONS if n.startswith("api_")
    ]
    assert [op.name for op in ops if op.bearer] == [op.name for op in api]
    for op in api:
        assert "api_apitoken" in op.raw(ctx, 0)[0][0]
        assert "django_session" not in " ".join(sql for sql, _ in op.raw(ctx, 0))


def test_command_refuses_a_database_not_named_bench():
    """Timings are only taken on a bench database."""
    with pytest.raises(CommandError, match="lacks 'bench'"):
        call_command("bench_run", "--requests", "1")


def test_results_show_concert_hub_deliveries_against_their_budget():
    """``bench_deliveries`` figures get their own table and verdict (issue 16)."""
    data = {
        "date": "2026-12-05",
        "deliveries": {
            "postgresql": {
                "messages": 2000,
                "workers": 2,
                "finished_rows": 250_000,
                "per_second": 240.0,
                "per_second_with_finished": 230.0,
                "cpu_ms_per_delivery": {
                    "workers": 5.5,
                    "simulator": 0.9,
                    "database": 0.6,
                    "total": 7.0,
                },
            },
            "sqlite": {
                "messages": 2000,
                "workers": 2,
                "finished_rows": 250_000,
                "per_second": 120.0,
                "per_second_with_finished": 60.0,
            },
        },
    }
    markdown = report.render(data)
    assert "## Concert Hub deliveries" in markdown
    assert (
        "| postgresql | 2,000 | 2 | 240 | 230 (250,000 rows, 96%) | pass |" in markdown
    )
    assert (
        "| sqlite | 2,000 | 2 | 120 | 60 (250,000 rows, 50%) | **under budget** |"
        in (markdown)
    )
    # CPU per delivery, where the run measured it: 2,000 ms / 7 ms = 286/s.
    assert "| postgresql | 5.5 | 0.9 | 0.6 | 7.0 | 286 |" in markdown
    assert "| sqlite | " not in markdown.split("CPU milliseconds")[1]


def test_results_show_the_replica_runs_side_by_side():
    """``bench_replica`` figures get a table: one row per set-up (issue 21 item 6)."""
    run = {
        "path": "/clients/",
        "workers": 4,
        "connections": 8,
        "seconds": 10,
        "per_core": 50.0,
        "cores": 2,
        "non_2xx": 0,
        "timeouts": 0,
    }
    data = {
        "date": "2026-12-06",
        "replica": {
            "path": "/clients/",
            "counts": {"contacts": 10_000},
            "runs": [
                {
                    **run,
                    "setup": "primary only",
                    "requests_per_second": 100.0,
                    "p95_ms": 80.0,
                    "standby_transactions": 0,
                },
                {
                    **run,
                    "setup": "primary + replica",
                    "requests_per_second": 98.0,
                    "p95_ms": 82.5,
                    "standby_transactions": 2_940,
                },
            ],
        },
    }
    markdown = report.render(data)
    assert "## Read replica and PgBouncer" in markdown
    assert "contacts 10,000" in markdown
    assert "| primary only | 100 | 80.0 | 0 | 0 |" in markdown
    assert "| primary + replica | 98 | 82.5 | 0 | 2,940 |" in markdown
