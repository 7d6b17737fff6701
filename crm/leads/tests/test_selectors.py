"""Lead selectors: one lead, the list, the board, history, follow-ups."""

from datetime import date, timedelta

import pytest
import time_machine

from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import NotFound
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.leads import selectors
from crm.leads.choices import OPEN_STATUSES, LeadSource, LeadStatus
from crm.leads.tests.factories import LeadEventFactory, LeadFactory

pytestmark = pytest.mark.django_db

TODAY = date(2030, 3, 15)


@pytest.fixture
def today():
    with time_machine.travel("2030-03-15 10:00 +0000", tick=False):
        yield TODAY


def ids(qs):
    return [lead.pk for lead in qs]


def test_lead_get_returns_the_firms_lead(firm):
    """A lead of the firm is found, with its client loaded."""
    lead = LeadFactory(contact__firm=firm)
    assert selectors.lead_get(firm=firm, lead_id=lead.pk) == lead


def test_lead_get_raises_not_found_for_another_firms_lead(firm, other_firm):
    """Another firm's lead is reported as not found."""
    lead = LeadFactory(contact__firm=other_firm)
    with pytest.raises(NotFound):
        selectors.lead_get(firm=firm, lead_id=lead.pk)


def test_lead_list_never_shows_another_firms_leads(firm, other_firm):
    """The list holds only the firm's leads."""
    ours = LeadFactory(contact__firm=firm)
    LeadFactory(contact__firm=other_firm)
    assert ids(selectors.lead_list(firm=firm)) == [ours.pk]


def test_lead_list_filters_by_status_and_open(firm):
    """A status filter keeps that status; "open" keeps every open status."""
    new = LeadFactory(contact__firm=firm, status=LeadStatus.NEW_LEAD)
    meeting = LeadFactory(contact__firm=firm, status=LeadStatus.MEETING)
    LeadFactory(contact__firm=firm, status=LeadStatus.NOT_PROCEEDING)
    assert ids(selectors.lead_list(firm=firm, status="meeting")) == [meeting.pk]
    assert set(ids(selectors.lead_list(firm=firm, status="open"))) == {
        new.pk,
        meeting.pk,
    }


def test_lead_list_filters_by_adviser_source_and_introducer(firm):
    """Adviser, source and introducer filters each narrow the list."""
    member = MembershipFactory(firm=firm)
    introducer = IntroducerFactory(firm=firm)
    mine = LeadFactory(contact__firm=firm, owner=member.user)
    web = LeadFactory(contact__firm=firm, source=LeadSource.WEBSITE)
    introduced = LeadFactory(
        contact__firm=firm, source=LeadSource.INTRODUCER, introducer=introducer
    )
    assert ids(selectors.lead_list(firm=firm, owner_id=member.user_id)) == [mine.pk]
    assert ids(selectors.lead_list(firm=firm, source="website")) == [web.pk]
    assert ids(selectors.lead_list(firm=firm, introducer_id=introducer.pk)) == [
        introduced.pk
    ]


def test_lead_list_filters_follow_ups_due_today_and_overdue(firm, today):
    """ "due" is today, "overdue" is before today; closed leads never count."""
    overdue = LeadFactory(contact__firm=firm, follow_up_date=today - timedelta(1))
    due = LeadFactory(contact__firm=firm, follow_up_date=today)
    LeadFactory(contact__firm=firm, follow_up_date=today + timedelta(1))
    LeadFactory(
        contact__firm=firm,
        follow_up_date=today - timedelta(3),
        status=LeadStatus.NOT_PROCEEDING,
    )
    assert ids(selectors.lead_list(firm=firm, follow_up="due")) == [due.pk]
    assert ids(selectors.lead_list(firm=firm, follow_up="overdue")) == [overdue.pk]


def test_lead_list_marks_each_leads_follow_up_state(firm, today):
    """Open leads carry "overdue" or "due"; closed or later ones carry ""."""
    overdue = LeadFactory(contact__firm=firm, follow_up_date=today - timedelta(1))
    due = LeadFactory(contact__firm=firm, follow_up_date=today)
    later = LeadFactory(contact__firm=firm, follow_up_date=today + timedelta(1))
    closed = LeadFactory(
        contact__firm=firm,
        follow_up_date=today - timedelta(1),
        status=LeadStatus.NOT_PROCEEDING,
    )
    states = {lead.pk: lead.follow_up_state for lead in selectors.lead_list(firm=firm)}
    assert states == {overdue.pk: "overdue", due.pk: "due", later.pk: "", closed.pk: ""}


def test_lead_list_searches_part_of_the_name_and_start_of_the_email(firm):
    """Search matches any part of the client's name, any case, or e-mail start."""
    ada = LeadFactory(
        contact=ContactFactory(
            firm=firm, first_name="Ada", last_name="Lovelace", email="ada@x.example"
        )
    )
    LeadFactory(
        contact=ContactFactory(
            firm=firm, first_name="Alan", last_name="Turing", email="alan@x.example"
        )
    )
    assert ids(selectors.lead_list(firm=firm, q="LOVEL")) == [ada.pk]
    assert ids(selectors.lead_list(firm=firm, q="ada@")) == [ada.pk]
    assert ids(selectors.lead_list(firm=firm, q="nobody")) == []


def test_lead_list_sorts_by_each_column(firm, today):
    """Client name, status, follow-up (blanks last) and created sort both ways."""
    b = LeadFactory(
        contact=ContactFactory(firm=firm, first_name="Bea", last_name="Brown"),
        status=LeadStatus.MEETING,
        follow_up_date=today,
    )
    a = LeadFactory(
        contact=ContactFactory(firm=firm, first_name="Ann", last_name="Adams"),
        status=LeadStatus.CALL_BACK,
        follow_up_date=None,
    )
    c = LeadFactory(
        contact=ContactFactory(firm=firm, first_name="Cy", last_name="Cole"),
        status=LeadStatus.NEW_LEAD,
        follow_up_date=today - timedelta(2),
    )
    assert ids(selectors.lead_list(firm=firm, sort="name")) == [a.pk, b.pk, c.pk]
    assert ids(selectors.lead_list(firm=firm, sort="-name")) == [c.pk, b.pk, a.pk]
    assert ids(selectors.lead_list(firm=firm, sort="status")) == [c.pk, a.pk, b.pk]
    assert ids(selectors.lead_list(firm=firm, sort="-status")) == [b.pk, a.pk, c.pk]
    assert ids(selectors.lead_list(firm=firm, sort="follow_up")) == [c.pk, b.pk, a.pk]
    assert ids(selectors.lead_list(firm=firm, sort="-follow_up")) == [b.pk, c.pk, a.pk]
    assert ids(selectors.lead_list(firm=firm, sort="created")) == [b.pk, a.pk, c.pk]
    assert ids(selectors.lead_list(firm=firm)) == [c.pk, a.pk, b.pk]
    assert ids(selectors.lead_list(firm=firm, sort="bogus")) == [c.pk, a.pk, b.pk]


def test_lead_board_has_a_column_per_open_status_with_exact_counts(firm, other_firm):
    """Columns follow the pipeline; counts include only the firm's open leads."""
    LeadFactory.create_batch(3, contact__firm=firm, status=LeadStatus.CALL_BACK)
    LeadFactory(contact__firm=firm, status=LeadStatus.MEETING)
    LeadFactory(contact__firm=firm, status=LeadStatus.CONVERTED)
    LeadFactory(contact__firm=other_firm, status=LeadStatus.CALL_BACK)
    board = selectors.lead_board(firm=firm)
    assert [c.status for c in board] == list(OPEN_STATUSES)
    assert [c.count for c in board] == [0, 3, 0, 1]
    assert [len(c.leads) for c in board] == [0, 3, 0, 1]


def test_lead_board_limits_cards_per_column_but_counts_them_all(firm, today):
    """Each column shows the first cards, soonest follow-up first, and the total."""
    later = LeadFactory(contact__firm=firm, follow_up_date=today + timedelta(5))
    none = LeadFactory(contact__firm=firm, follow_up_date=None)
    soon = LeadFactory(contact__firm=firm, follow_up_date=today)
    LeadFactory(contact__firm=firm, status=LeadStatus.MEETING)
    column = selectors.lead_board(firm=firm, per_column=2)[0]
    assert column.count == 3
    assert [lead.pk for lead in column.leads] == [soon.pk, later.pk]
    assert column.more == 1
    assert none.pk not in [lead.pk for lead in column.leads]


def test_lead_board_filters_by_adviser(firm):
    """With an adviser chosen, cards and counts are that adviser's only."""
    member = MembershipFactory(firm=firm)
    mine = LeadFactory(contact__firm=firm, owner=member.user)
    LeadFactory(contact__firm=firm)
    column = selectors.lead_board(firm=firm, owner_id=member.user_id)[0]
    assert column.count == 1
    assert column.leads == [mine]


@pytest.mark.parametrize("rows", [3, 9])
def test_lead_board_uses_two_queries_whatever_the_number_of_leads(
    firm, rows, django_assert_num_queries
):
    """One aggregate for the counts and one windowed query for every card."""
    for status in OPEN_STATUSES:
        LeadFactory.create_batch(rows, contact__firm=firm, status=status)
    with django_assert_num_queries(2):
        board = selectors.lead_board(firm=firm)
        for column in board:
            for lead in column.leads:
                str(lead.contact.display_name)
                str(lead.owner)
                str(lead.introducer)
    assert [c.count for c in board] == [rows] * 4


def test_allowed_moves_follow_the_table_in_pipeline_order():
    """Moves come in pipeline order, never Converted; open_only drops closed ones."""
    assert selectors.allowed_moves(LeadStatus.NEW_LEAD) == [
        LeadStatus.CALL_BACK,
        LeadStatus.APPOINTMENT_SET,
        LeadStatus.MEETING,
        LeadStatus.NOT_PROCEEDING,
    ]
    assert selectors.allowed_moves(LeadStatus.MEETING, open_only=True) == [
        LeadStatus.CALL_BACK,
        LeadStatus.APPOINTMENT_SET,
    ]
    assert selectors.allowed_moves(LeadStatus.CONVERTED) == []


def test_lead_history_is_newest_first_and_firm_scoped(firm):
    """History lists the lead's events, newest first."""
    lead = LeadFactory(contact__firm=firm)
    first = LeadEventFactory(lead=lead)
    second = LeadEventFactory(lead=lead, type="status_changed")
    LeadEventFactory()
    assert list(selectors.lead_history(firm=firm, lead=lead)) == [second, first]


def test_lead_list_for_contact_returns_only_that_clients_leads(firm):
    """The client record shows the client's own leads, newest first."""
    contact = ContactFactory(firm=firm)
    older = LeadFactory(contact=contact)
    newer = LeadFactory(contact=contact)
    LeadFactory(contact__firm=firm)
    assert ids(selectors.lead_list_for_contact(firm=firm, contact=contact)) == [
        newer.pk,
        older.pk,
    ]


def test_lead_follow_up_list_returns_open_leads_due_by_the_date(firm, today):
    """Open leads due by the date, earliest first, optionally for one adviser."""
    member = MembershipFactory(firm=firm)
    overdue = LeadFactory(
        contact__firm=firm, follow_up_date=today - timedelta(2), owner=member.user
    )
    due = LeadFactory(contact__firm=firm, follow_up_date=today)
    LeadFactory(contact__firm=firm, follow_up_date=today + timedelta(1))
    LeadFactory(contact__firm=firm, follow_up_date=None)
    LeadFactory(
        contact__firm=firm, follow_up_date=today, status=LeadStatus.NOT_PROCEEDING
    )
    everyone = selectors.lead_follow_up_list(firm=firm, owner_id=None, due_by=today)
    assert ids(everyone) == [overdue.pk, due.pk]
    states = [lead.follow_up_state for lead in everyone]
    assert states == ["overdue", "due"]
    mine = selectors.lead_follow_up_list(
        firm=firm, owner_id=member.user_id, due_by=today
    )
    assert ids(mine) == [overdue.pk]


def test_lead_status_counts_count_only_open_leads(
    firm, other_firm, django_assert_num_queries
):
    """Every status is a key; closed statuses count 0, in one query."""
    LeadFactory(contact__firm=firm, status=LeadStatus.CONVERTED)
    LeadFactory(contact__firm=firm, status=LeadStatus.NOT_PROCEEDING)
    LeadFactory(contact__firm=firm, status=LeadStatus.MEETING)
    LeadFactory(contact__firm=other_firm, status=LeadStatus.MEETING)
    with django_assert_num_queries(1) as captured:
        counts = selectors.lead_status_counts(firm=firm)
    assert counts == dict.fromkeys(LeadStatus.values, 0) | {"meeting": 1}
    sql = captured.captured_queries[0]["sql"]
    assert '"status" IN' in sql
