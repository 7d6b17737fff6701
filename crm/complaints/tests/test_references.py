"""Complaint references: numbered per firm, like case references (SPEC M5)."""

import pytest

from crm.complaints import services
from crm.complaints.models import ComplaintReferenceCounter
from crm.complaints.tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def test_each_firm_numbers_its_own_complaints_from_one(firm, other_firm):
    """Another firm's complaints do not use up this firm's numbers."""
    first = make_complaint(firm)
    elsewhere = [make_complaint(other_firm), make_complaint(other_firm)]
    second = make_complaint(firm)
    assert [first.reference, second.reference] == ["CP-0001", "CP-0002"]
    assert [c.reference for c in elsewhere] == ["CP-0001", "CP-0002"]
    assert str(second) == "Complaint CP-0002"


def test_the_reference_is_the_firms_number_not_the_database_id(firm, other_firm):
    """The reference shown in the register and the history is the firm's number."""
    make_complaint(other_firm)
    complaint = make_complaint(firm)
    assert complaint.pk != complaint.number
    assert complaint.reference == "CP-0001"


def test_numbers_follow_the_counter(firm):
    """A firm whose counter is past some numbers (complaints logged before the
    numbering) goes on from the counter."""
    ComplaintReferenceCounter.objects.create(firm=firm, last_number=41)
    assert services.next_number(firm=firm) == 42
    assert make_complaint(firm).reference == "CP-0043"


def test_a_number_is_one_query_once_the_counter_exists(firm, django_assert_num_queries):
    """The counter's UPDATE returns the number (three queries before: the
    counter read or made, the UPDATE, the read)."""
    first = services.next_number(firm=firm)
    with django_assert_num_queries(1):
        assert services.next_number(firm=firm) == first + 1
