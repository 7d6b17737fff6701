"""The Leads list as it opens, its open leads and its follow-up sorts read an
index in order (issue 21, items 1 and 5).

On SQLite the plan names the index and sorts nothing in full; on PostgreSQL
the latest-follow-up-first index (which SQLite cannot declare) is checked by
its definition.
"""

import datetime

import pytest
from django.db import connection

from crm.cases.tests.factories import make_case
from crm.contacts import services as contact_services
from crm.contacts.tests.factories import ContactFactory
from crm.leads import services
from crm.leads.choices import LeadStatus, status_rank
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


@pytest.mark.parametrize("sort", ["status", "-status"])
def test_the_status_sort_reads_the_stored_rank_in_pipeline_order(firm, sort):
    """Pipeline order (not the alphabet), newest first within a status."""
    made = [
        LeadFactory(firm=firm, status=status)
        for status in (LeadStatus.MEETING, LeadStatus.NEW_LEAD, LeadStatus.CALL_BACK)
    ]
    second_new = LeadFactory(firm=firm, status=LeadStatus.NEW_LEAD)
    qs = lead_list(firm=firm, sort=sort)
    ranks = [lead.status_rank for lead in qs]
    assert ranks == sorted(ranks, reverse=sort == "-status")
    new_leads = [lead for lead in qs if lead.status == LeadStatus.NEW_LEAD]
    assert new_leads == [second_new, made[1]]
    if connection.vendor == "sqlite":
        plan = _plan(qs)
        assert "lead_firm_status_rank" in plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan


def test_the_rank_follows_every_status_change(firm, owner):
    """Made, moved by the service, and saved with only its status."""
    lead = services.lead_create(
        firm=firm, actor=owner.user, contact=ContactFactory(firm=firm)
    )
    assert lead.status_rank == status_rank(LeadStatus.NEW_LEAD) == 0
    services.lead_move(
        firm=firm, actor=owner.user, lead=lead, status=LeadStatus.APPOINTMENT_SET
    )
    lead.refresh_from_db()
    assert lead.status_rank == status_rank(LeadStatus.APPOINTMENT_SET) == 2
    lead.status = LeadStatus.MEETING
    lead.save(update_fields=["status"])
    lead.refresh_from_db()
    assert lead.status_rank == 3
    make_case(firm, applicants=[lead.contact], lead=lead)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
    assert lead.status_rank == status_rank(LeadStatus.CONVERTED) == 5


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_the_name_sort_reads_the_stored_client_name(firm, sort):
    """Each lead carries its client's sort name from the start, read in order."""
    for first, last in (("Ada", "Lovelace"), ("Alan", "Turing"), ("Grace", "Hopper")):
        LeadFactory(
            firm=firm,
            contact=ContactFactory(firm=firm, first_name=first, last_name=last),
        )
    qs = lead_list(firm=firm, sort=sort)
    names = [lead.client_sort_name for lead in qs]
    assert names == sorted(names, reverse=sort == "-name")
    assert all(lead.client_sort_name == lead.contact.sort_name for lead in qs)
    if connection.vendor == "sqlite":
        plan = _plan(qs)
        assert "lead_firm_client" in plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan


def test_renaming_a_client_renames_their_leads_only(firm, owner, other_firm):
    ada = ContactFactory(firm=firm, first_name="Ada", last_name="Lovelace")
    leads = [LeadFactory(firm=firm, contact=ada) for _ in range(2)]
    other = LeadFactory(firm=firm)
    elsewhere = LeadFactory(firm=other_firm)
    contact_services.contact_update(
        firm=firm, actor=owner.user, contact=ada, last_name="King"
    )
    for lead in [*leads, other, elsewhere]:
        lead.refresh_from_db()
    assert [lead.client_sort_name for lead in leads] == ["king ada", "king ada"]
    assert other.client_sort_name == other.contact.sort_name != "king ada"
    assert elsewhere.client_sort_name == elsewhere.contact.sort_name
