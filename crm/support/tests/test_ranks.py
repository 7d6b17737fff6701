"""Stored ranks of support cases follow their concern level and status."""

from datetime import date

import pytest
from django.db import connection

from crm.cases import kinds
from crm.cases.models import Case
from crm.core import keyset
from crm.support import services
from crm.support.choices import ConcernLevel, SupportStatus
from crm.support.models import SupportDetails
from crm.support.selectors import support_case_list
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db


def test_concern_rank_is_the_level_place_lowest_first():
    """Low is 0 (the column's default), Urgent the highest."""
    assert [level.rank for level in ConcernLevel] == [0, 1, 2, 3]


def test_concern_rank_follows_create_and_every_change(support_firm):
    """A new case stores its level's rank; each concern change stores the new one."""
    case = make_support_case(support_firm)
    details = SupportDetails.objects.get(firm=support_firm, case=case)
    assert details.concern_rank == ConcernLevel.LOW.rank
    actor = case.owner
    assert actor is not None
    for level in (ConcernLevel.URGENT, ConcernLevel.MEDIUM, ConcernLevel.HIGH):
        services.concern_change(
            firm=support_firm, actor=actor, case=case, level=level, reason="Seen"
        )
        details.refresh_from_db()
        assert details.concern_rank == level.rank


def test_status_rank_follows_close_and_reopen_of_a_support_case(support_firm):
    """Closing and reopening go through the case kernel, which keeps the rank."""
    case = make_support_case(support_firm)
    actor = case.owner
    assert actor is not None
    services.support_case_close(firm=support_firm, actor=actor, case=case)
    rank = Case.objects.filter(firm=support_firm, pk=case.pk).values_list(
        "status_rank", flat=True
    )
    assert rank[0] == kinds.status_rank(SupportStatus.CLOSED)
    services.support_case_reopen(
        firm=support_firm, actor=actor, case=case, reason="Back"
    )
    assert rank.all()[0] == kinds.status_rank(SupportStatus.OPEN)


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("concern", "support_concern_rank"),
        ("-concern", "support_concern_rank_desc"),
        ("start", "support_start_case"),
        ("-start", "support_start_case"),
    ],
)
def test_sorts_on_the_details_read_their_firm_first_index(support_firm, sort, index):
    """I1, issue 21: a sort on the details filters the details' own firm, so
    the database reads their (firm, ...) index in order and stops after a page
    (the case's firm alone made it join and sort every support case)."""
    cases = [
        make_support_case(support_firm, start_date=date(2026, 1, day) if day else None)
        for day in (3, 1, 2, 0)
    ]
    # A case opened without a date starts today; an undated one is older data.
    SupportDetails.objects.filter(case=cases[3]).update(start_date=None)
    actor = cases[1].owner
    assert actor is not None
    services.concern_change(
        firm=support_firm,
        actor=actor,
        case=cases[1],
        level=ConcernLevel.HIGH,
        reason="Seen",
    )
    qs = support_case_list(firm=support_firm, sort=sort)
    assert '"support_supportdetails"."firm_id" =' in str(qs.query)
    expected = {
        "concern": [cases[3], cases[2], cases[0], cases[1]],
        "-concern": [cases[1], cases[3], cases[2], cases[0]],
        # Undated last, both ways.
        "start": [cases[1], cases[2], cases[0], cases[3]],
        "-start": [cases[0], cases[2], cases[1], cases[3]],
    }[sort]
    assert list(qs) == expected
    plan = qs.all()[:25].explain()
    if connection.vendor == "sqlite":
        # The index gives the order (SQLite still sorts each run of equal
        # (level, case) keys for the case's id: runs of one row).
        assert index in plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan
    pages = [keyset.fetch(qs.all(), limit=2)]
    pages.append(keyset.fetch(qs.all(), limit=2, after=pages[0].next_cursor or ""))
    assert [c.pk for p in pages for c in p.rows] == [c.pk for c in expected]
    back = keyset.fetch(qs.all(), limit=2, before=pages[1].previous_cursor or "")
    assert [c.pk for c in back.rows] == [c.pk for c in expected[:2]]


def test_postgresql_has_the_newest_start_first_index(support_firm):
    """Issue 21: "-start" (undated last) reads its own index on PostgreSQL,
    which SQLite cannot declare and does not need."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'support_start_desc'"
        )
        (definition,) = cursor.fetchone()
    assert "start_date DESC NULLS LAST, case_id DESC" in definition
