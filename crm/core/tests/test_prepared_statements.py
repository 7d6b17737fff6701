"""The detail pages' reads planned once a connection (issue 21 item 4).

On PostgreSQL a view marked ``kept_plans`` binds its parameters on the server
and prepares a statement its connection has run ``PREPARE_THRESHOLD`` times,
and PostgreSQL keeps it. Every other view keeps Django's defaults
(client-side binding, nothing prepared): generic plans made lists, searches
and reports slower (bench/NOTES.md item 41). Through PgBouncer in transaction
pooling nothing is prepared (``test_replica.py``).
"""

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.client import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from crm.cases.tests.factories import make_case
from crm.core.kept_plans import KEPT_PLANS_ATTR, plans_kept

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
    ),
]

PROBE = "SELECT %s::integer + 1 AS casework_probe"


def _prepared() -> list[str]:
    """The text of each statement prepared on this connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _threshold() -> object:
    return connection.connection.prepare_threshold


def _binding() -> str:
    """The name of the cursor class the connection makes (Django's two)."""
    return str(connection.connection.cursor_factory.__name__)


def _run_probe(times: int) -> None:
    with connection.cursor() as cursor:
        for n in range(times):
            cursor.execute(PROBE, [n])
            assert cursor.fetchone() == (n + 1,)


def test_by_default_parameters_are_bound_by_the_client_and_nothing_prepared():
    assert "server_side_binding" not in settings.DATABASES["default"].get("OPTIONS", {})
    assert settings.PREPARE_THRESHOLD > 0
    _run_probe(settings.PREPARE_THRESHOLD * 3)
    assert _binding() == "Cursor"
    assert _threshold() is None
    assert not [s for s in _prepared() if "casework_probe" in s]


def test_inside_plans_kept_a_statement_is_prepared_once_run_often_enough():
    with plans_kept():
        assert _binding() == "ServerBindingCursor"
        assert getattr(connection.features, "uses_server_side_binding", False)
        assert _threshold() == settings.PREPARE_THRESHOLD
        _run_probe(settings.PREPARE_THRESHOLD)
        assert not [s for s in _prepared() if "casework_probe" in s]
        _run_probe(1)
    assert (_binding(), _threshold()) == ("Cursor", None)
    assert not getattr(connection.features, "uses_server_side_binding", False)
    assert [s for s in _prepared() if "casework_probe" in s] == [
        "SELECT $1::integer + 1 AS casework_probe"
    ]


def test_a_refused_or_missing_page_gives_the_connection_back_as_it_was(
    firm, owner_client: Client
):
    url = reverse("advice:case_detail", kwargs={"case_id": 10**9})
    assert owner_client.get(url).status_code == 404
    assert (_binding(), _threshold()) == ("Cursor", None)
    case = make_case(firm)
    url = reverse("advice:case_detail", kwargs={"case_id": case.pk})
    assert owner_client.post(url).status_code == 405
    assert (_binding(), _threshold()) == ("Cursor", None)


@pytest.mark.parametrize(
    ("name", "kwargs", "kept"),
    [
        ("advice:case_detail", {"case_id": 1}, True),
        ("contacts:contact_detail", {"contact_id": 1}, True),
        ("support:case_detail", {"case_id": 1}, True),
        ("advice:case_list", None, False),
        ("support:case_list", None, False),
        ("contacts:contact_list", None, False),
        ("contacts:search", None, False),
    ],
)
def test_the_detail_pages_are_marked_and_the_lists_are_not(
    name: str, kwargs: dict[str, Any] | None, kept: bool
):
    view = resolve(reverse(name, kwargs=kwargs)).func
    assert getattr(view, KEPT_PLANS_ATTR, False) is kept


def test_the_case_page_runs_its_reads_as_prepared_statements(
    firm, owner_client: Client
):
    case = make_case(firm)
    url = reverse("advice:case_detail", kwargs={"case_id": case.pk})
    for _ in range(settings.PREPARE_THRESHOLD + 2):
        response = owner_client.get(url)
        assert response.status_code == 200
        assert case.reference in response.content.decode()
        # Only while the page is drawn.
        assert (_binding(), _threshold()) == ("Cursor", None)
    prepared = _prepared()
    assert [s for s in prepared if s.startswith('SELECT "cases_case"."id"')], prepared
    # Captured as Django shows any statement: with its values, not $1.
    with CaptureQueriesContext(connection) as captured:
        owner_client.get(url)
    reads = [q["sql"] for q in captured if 'FROM "cases_case"' in q["sql"]]
    assert reads
    assert not [sql for sql in reads if "$1" in sql]
    assert [sql for sql in reads if f'"cases_case"."id" = {case.pk}' in sql]
    # The session was read before the view: not prepared.
    assert not [s for s in prepared if "django_session" in s]


def test_the_cases_list_prepares_nothing(firm, owner_client: Client):
    make_case(firm)
    before = _prepared()
    for _ in range(settings.PREPARE_THRESHOLD + 2):
        assert owner_client.get(reverse("advice:case_list")).status_code == 200
    assert _prepared() == before
