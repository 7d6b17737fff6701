"""The detail pages' reads planned once a connection (issue 21 item 4).

On PostgreSQL psycopg binds parameters on the server (settings); a view
marked ``kept_plans`` prepares a statement its connection has run
``PREPARE_THRESHOLD`` times, and PostgreSQL keeps it. Every other view
prepares nothing: generic plans made lists, searches and reports slower
(bench/NOTES.md item 41). Through PgBouncer in transaction pooling nothing is
prepared (``test_replica.py``).
"""

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.client import Client
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


def _run_probe(times: int) -> None:
    with connection.cursor() as cursor:
        for n in range(times):
            cursor.execute(PROBE, [n])
            assert cursor.fetchone() == (n + 1,)


def test_parameters_are_bound_by_the_server_and_nothing_prepared_by_default():
    assert settings.DATABASES["default"]["OPTIONS"]["server_side_binding"] is True
    assert getattr(connection.features, "uses_server_side_binding", False)
    assert settings.PREPARE_THRESHOLD > 0
    _run_probe(settings.PREPARE_THRESHOLD * 3)
    assert _threshold() is None
    assert not [s for s in _prepared() if "casework_probe" in s]


def test_inside_plans_kept_a_statement_is_prepared_once_run_often_enough():
    with plans_kept():
        assert _threshold() == settings.PREPARE_THRESHOLD
        _run_probe(settings.PREPARE_THRESHOLD)
        assert not [s for s in _prepared() if "casework_probe" in s]
        _run_probe(1)
    assert _threshold() is None
    assert [s for s in _prepared() if "casework_probe" in s] == [
        "SELECT $1::integer + 1 AS casework_probe"
    ]


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
        assert _threshold() is None  # only while the page is drawn
    prepared = _prepared()
    assert [s for s in prepared if s.startswith('SELECT "cases_case"."id"')], prepared
    # The session was read before the view: not prepared.
    assert not [s for s in prepared if "django_session" in s]


def test_the_cases_list_prepares_nothing(firm, owner_client: Client):
    make_case(firm)
    for _ in range(settings.PREPARE_THRESHOLD + 2):
        assert owner_client.get(reverse("advice:case_list")).status_code == 200
    assert _prepared() == []
