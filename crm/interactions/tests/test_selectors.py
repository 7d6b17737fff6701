"""Interaction selectors: a record's entries and the type picker (J2)."""

import datetime

import pytest
from django.utils import timezone

from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import InteractionTypeFactory
from crm.interactions import selectors
from crm.interactions.tests.factories import InteractionFactory, NoteFactory
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_list_for_a_contact_is_newest_first_and_includes_its_leads(firm):
    """The client record lists its own and its leads' entries, newest first."""
    contact = ContactFactory(firm=firm)
    lead = LeadFactory(contact=contact, firm=firm)
    now = timezone.now()
    old = InteractionFactory(contact=contact, occurred_at=now - datetime.timedelta(2))
    on_lead = InteractionFactory(
        contact=contact, lead=lead, occurred_at=now - datetime.timedelta(1)
    )
    note = NoteFactory(contact=contact, occurred_at=now)
    InteractionFactory(contact=ContactFactory(firm=firm))

    assert list(
        selectors.interaction_list_for(principal=None, firm=firm, contact=contact)
    ) == [
        note,
        on_lead,
        old,
    ]
    assert list(
        selectors.interaction_list_for(principal=None, firm=firm, lead=lead)
    ) == [on_lead]


def test_list_loads_type_and_author_in_one_query(
    firm, adviser, django_assert_num_queries
):
    """Reading each row's type and author needs no further queries (one more
    reads the client's case ids, so the list can use both indexes)."""
    contact = ContactFactory(firm=firm)
    for _ in range(3):
        InteractionFactory(contact=contact, created_by=adviser.user)
    with django_assert_num_queries(2):
        names = [
            (str(e.interaction_type), str(e.created_by))
            for e in selectors.interaction_list_for(
                principal=None, firm=firm, contact=contact
            )
        ]
    assert len(names) == 3


def test_list_never_includes_another_firms_entries(firm, other_firm):
    """Asking with this firm never returns another firm's rows."""
    theirs = InteractionFactory(contact=ContactFactory(firm=other_firm))
    assert not selectors.interaction_list_for(
        principal=None, firm=firm, contact=theirs.contact
    )


def test_list_for_needs_exactly_one_subject(firm):
    """Pass a contact or a lead, not both or neither."""
    with pytest.raises(ValueError, match="exactly one"):
        selectors.interaction_list_for(principal=None, firm=firm)


def test_type_choices_are_the_firms_active_types_by_name(firm, other_firm):
    """Archived and other firms' types are not offered."""
    visit = InteractionTypeFactory(firm=firm, name="home visit")
    call = InteractionTypeFactory(firm=firm, name="Call")
    InteractionTypeFactory(firm=firm, name="Fax", is_active=False)
    InteractionTypeFactory(firm=other_firm, name="Alpha")
    assert list(selectors.interaction_type_choices(firm=firm)) == [call, visit]


def test_recent_for_a_contact_are_the_lists_newest_rows(
    firm, other_firm, django_assert_num_queries
):
    """The record's section shows the newest rows of the contact's list: its own
    and those of every case it is on, a joint applicant's too, in two queries."""
    contact, joint = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[contact, joint])
    now = timezone.now()
    rows = [
        InteractionFactory(
            contact=(contact, joint, contact)[i % 3],
            case=case if i % 3 else None,
            occurred_at=now - datetime.timedelta(hours=i // 2),
        )
        for i in range(12)
    ]
    InteractionFactory(contact=ContactFactory(firm=firm), occurred_at=now)
    InteractionFactory(contact=ContactFactory(firm=other_firm), occurred_at=now)
    expected = list(
        selectors.interaction_list_for(principal=None, firm=firm, contact=contact)[:5]
    )
    with django_assert_num_queries(2):
        found = selectors.interaction_recent_for_contact(
            principal=None, firm=firm, contact=contact, limit=5
        )
        cases = [e.case for e in found]
    assert found == expected
    assert len(found) == 5
    assert {e.pk for e in found} <= {e.pk for e in rows}
    assert case in cases


def test_a_pages_ids_are_read_alone_in_the_index_order(firm):
    """The record's own rows and a case page's rows take their ids from the
    interactions alone, newest first, ties by id, limited: the index's first
    entries whatever plan PostgreSQL keeps (bench notes 43). The joins come
    after, on those ids only."""
    import re

    from django_scopes import scope

    with scope(firm=firm):
        reads = [
            selectors._record_rows(
                firm_id=firm.pk, contact_id=7, limit=10, theirs=False, seen="all"
            ),
            selectors._case_interactions(
                firm_id=firm.pk, case_id=7, limit=10, seen="all"
            ),
        ]
        for qs in reads:
            sql = str(qs.query)
            inner = re.search(r"IN \((SELECT U0\.\"id\".*? LIMIT 10)\)", sql)
            assert inner is not None, sql
            assert "JOIN" not in inner.group(1), sql
            assert 'ORDER BY U0."occurred_at" DESC, U0."id" DESC' in inner.group(1)
