"""The Cases lists' sorts read an index in order (issue 21, item 3).

On SQLite the plan names the index and sorts nothing in full; PostgreSQL has
the same indexes (and one SQLite cannot declare), checked by name.
"""

import datetime

import pytest
from django.db import connection

from crm.cases.models import Case
from crm.cases.selectors import case_list
from crm.cases.tests.factories import make_case
from crm.support.selectors import support_case_list
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def full_sort(qs):
    return "USE TEMP B-TREE FOR ORDER BY" in qs.all()[:25].explain()


@pytest.mark.parametrize("sort", ["follow_up", "-follow_up"])
def test_every_tab_by_follow_up_reads_an_index_undated_last(firm, sort):
    """Any tab by follow-up date, undated last both ways."""
    dates = [TODAY, None, TODAY + datetime.timedelta(days=3)]
    cases = [make_case(firm, follow_up_date=d) for d in dates]
    Case.objects.filter(pk=cases[0].pk).update(is_open=False)
    qs = case_list(firm=firm, sort=sort)
    expected = [cases[0], cases[2]] if sort == "follow_up" else [cases[2], cases[0]]
    assert list(qs) == [*expected, cases[1]]
    if connection.vendor == "sqlite":
        assert "case_firm_follow_up" in qs.all()[:25].explain()
        assert full_sort(qs) is False


@pytest.mark.parametrize("sort", ["status", "title", "-title"])
def test_a_support_list_by_status_or_title_reads_an_index(support_firm, sort):
    """A one-kind list (support) by status or title walks the kind's index."""
    for title in ("Benefits", "Advocacy", "Housing"):
        make_support_case(support_firm, title=title)
    qs = support_case_list(firm=support_firm, sort=sort)
    if sort.endswith("title"):
        titles = [c.title for c in qs]
        assert titles == sorted(titles, reverse=sort.startswith("-"))
    if connection.vendor == "sqlite":
        index = "case_firm_kind_status_rank" if sort == "status" else "title"
        assert index in qs.all()[:25].explain()
        assert full_sort(qs) is False


def test_postgresql_has_the_latest_follow_up_first_index(firm):
    """ "-follow_up" (undated last) reads its own index on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE indexname = 'case_firm_follow_up_desc'"
        )
        (definition,) = cursor.fetchone()
    assert "follow_up_date DESC NULLS LAST, id DESC" in definition


def test_the_dashboards_recent_activity_reads_the_firms_newest_events(firm, owner):
    """The newest events of the member's open cases, read newest first from
    ``case_event_recent``: without it PostgreSQL read and sorted every event of
    the firm (24 ms at 300,000 events)."""
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from crm.cases.selectors import recent_activity

    cases = [make_case(firm, owner=owner.user) for _ in range(3)]
    since = timezone.now() - datetime.timedelta(days=14)
    with CaptureQueriesContext(connection) as captured:
        events = recent_activity(
            firm=firm, owner_id=owner.user_id, since=since, limit=6
        )
    assert {event.case_id for event in events} == {case.pk for case in cases}
    (query,) = captured.captured_queries
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "case_event_recent" in plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE indexname = 'case_event_recent'"
            )
            assert cursor.fetchone() is not None
