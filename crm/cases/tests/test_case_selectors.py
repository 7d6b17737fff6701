"""Case selectors: one case, the list's filters, a client's and a lead's cases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.advice import selectors as advice_selectors
from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases import selectors
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import NotFound
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_case_get_is_not_found_for_another_firm(firm, other_firm):
    """Another firm's case raises NotFound, like a missing one."""
    case = make_case(other_firm)
    with pytest.raises(NotFound):
        selectors.case_get(firm=firm, case_id=case.pk)
    assert selectors.case_get(firm=other_firm, case_id=case.pk) == case


def test_case_list_filters_follow_up_due_and_overdue(firm):
    """Due means today, overdue means before today; both of open cases only."""
    today = timezone.localdate()
    due = make_case(firm, follow_up_date=today)
    overdue = make_case(firm, follow_up_date=today - timedelta(days=2))
    closed = make_case(firm, follow_up_date=today - timedelta(days=2))
    Case.objects.filter(pk=closed.pk).update(is_open=False)
    assert list(selectors.case_list(firm=firm, follow_up="due")) == [due]
    assert list(selectors.case_list(firm=firm, follow_up="overdue")) == [overdue]
    found = selectors.case_list(firm=firm).get(pk=overdue.pk)
    assert found.follow_up_state == "overdue"


def test_case_list_filters_by_created_range(firm):
    """Cases created outside the date range are left out."""
    old, new = make_case(firm), make_case(firm)
    Case.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    today = timezone.localdate()
    found = selectors.case_list(firm=firm, created_from=today - timedelta(days=1))
    assert list(found) == [new]
    found = selectors.case_list(firm=firm, created_to=today - timedelta(days=10))
    assert list(found) == [old]


def test_case_list_for_contact_and_lead(firm):
    """A client's cases include joint ones; a lead's cases are those opened from it."""
    ada, bob = ContactFactory(firm=firm), ContactFactory(firm=firm)
    lead = LeadFactory(contact=ada)
    single = make_case(firm, applicants=[ada], lead=lead)
    joint = make_case(firm, applicants=[bob, ada])
    make_case(firm, applicants=[bob])
    assert set(
        selectors.case_list_for_contact(firm=firm, contact=ada, principal=None)
    ) == {
        single,
        joint,
    }
    assert list(selectors.case_list_for_lead(firm=firm, lead=lead, principal=None)) == [
        single
    ]


def test_case_moves_follow_the_kind(firm):
    """Protection offers its own stages and never mortgage ones."""
    case = make_case(firm, kind=AdviceKind.PROTECTION, status=AdviceStatus.MEETING)
    moves = advice_selectors.case_moves(case)
    assert AdviceStatus.QUOTED in moves
    assert AdviceStatus.VALUATION_RECEIVED not in moves
    assert AdviceStatus.NEW_LEAD not in moves


def test_leads_without_case_skips_clients_on_a_case(firm):
    """Only clients with a lead and no case are reported."""
    with_case, without = ContactFactory(firm=firm), ContactFactory(firm=firm)
    LeadFactory(contact=with_case)
    lead = LeadFactory(contact=without)
    make_case(firm, applicants=[with_case])
    found = advice_selectors.leads_without_case(
        firm=firm, contact_ids=[with_case.pk, without.pk]
    )
    assert found == [lead]


def test_header_search_finds_cases_by_the_start_of_a_reference(firm):
    """A reference prefix (any case) is read as a range on the firm's index."""
    first = make_case(firm)
    make_case(firm, kind="protection")
    hits = selectors.case_hits(
        firm=firm, contacts=[], q=first.reference[:6].lower(), limit=5
    )
    assert [c.reference for c in hits] == [first.reference]
    assert selectors.case_hits(firm=firm, contacts=[], q="MT", limit=5) == []


def test_header_search_takes_reference_hits_then_the_clients_newest_cases(
    firm, django_assert_num_queries
):
    """The reference's prefix and the clients' cases are one statement; the
    cap keeps the reference's hits, then the clients' newest (bench notes 43)."""
    client = ContactFactory(firm=firm)
    older, newer = (
        make_case(firm, applicants=[client]),
        make_case(firm, applicants=[client]),
    )
    by_reference = make_case(firm)
    with django_assert_num_queries(3):  # ids, cases, applicants with contacts
        hits = selectors.case_hits(
            firm=firm, contacts=[client], q=by_reference.reference, limit=2
        )
    assert {c.pk for c in hits} == {by_reference.pk, newer.pk}
    assert older.pk not in {c.pk for c in hits}
    assert [a.contact for a in hits[0].applicants.all()]  # loaded with the case
    hits = selectors.case_hits(firm=firm, contacts=[client], q="zz", limit=5)
    assert [c.pk for c in hits] == [newer.pk, older.pk]
