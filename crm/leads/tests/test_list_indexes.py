"""The Leads list as it opens, its open leads and its follow-up sorts read an
index in order (issue 21, items 1 and 5).

On SQLite the plan names the index and sorts nothing in full; on PostgreSQL
the latest-follow-up-first index (which SQLite cannot declare) is checked by
its definition.
"""

import datetime

import pytest
from django.db import connection

from crm.leads.choices import LeadStatus
from crm.leads.selectors import lead_list
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def _plan(qs):
    return qs.all()[:26].explain()


@pytest.mark.parametrize(
    ("status", "sort", "index"),
    [
        (None, "-created", "lead_firm_created"),
        (None, "created", "lead_firm_created"),
        # SQLite may read every lead's index and skip the closed ones: in
        # order either way (PostgreSQL takes the open leads' own index).
        ("open", "-created", "lead_firm_"),
        (None, "follow_up", "lead_firm_follow_up"),
        (None, "-follow_up", "lead_firm_follow_up"),
    ],
)
def test_the_list_reads_its_index_in_order(firm, status, sort, index):
    dates = [TODAY, None, TODAY + datetime.timedelta(days=3)]
    leads = [LeadFactory(firm=firm, follow_up_date=d) for d in dates]
    closed = LeadFactory(firm=firm, status=LeadStatus.NOT_PROCEEDING)
    qs = lead_list(firm=firm, status=status, sort=sort)
    found = list(qs)
    if status == "open":
        assert closed not in found
    if sort.endswith("follow_up"):
        dated = [leads[0], leads[2]]
        expected = dated if sort == "follow_up" else dated[::-1]
        assert found[:2] == expected
        assert found[-1].follow_up_date is None or found[-1] == closed
    if connection.vendor == "sqlite":
        plan = _plan(qs)
        assert index in plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan


def test_postgresql_has_the_latest_follow_up_first_index(firm):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE indexname = 'lead_firm_follow_up_desc'"
        )
        (definition,) = cursor.fetchone()
    assert "follow_up_date DESC NULLS LAST, id DESC" in definition
