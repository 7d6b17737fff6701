"""Demo contacts (issue 14 item 9): addresses read as one line each."""

import pytest

from crm.contacts import demo
from crm.contacts.models import Contact
from crm.firms import demo as firms_demo

pytestmark = pytest.mark.django_db

ADDRESS_FIELDS = ("address_line1", "address_line2", "town", "county", "postcode")


def test_no_address_line_has_a_line_break():
    """A street wrapped in the source ("St\\nMichael's Hill") is one line."""
    demo.seed(firms_demo.seed())

    contacts = Contact.objects.all()
    assert contacts.count() > 100
    for field in ADDRESS_FIELDS:
        for value in contacts.values_list(field, flat=True).distinct():
            assert "\n" not in value, (field, value)
            assert "\r" not in value, (field, value)
            assert value == " ".join(value.split()), (field, value)
    assert "St Michael's Hill" in demo.STREETS
    assert contacts.filter(address_line1__endswith="St Michael's Hill").exists()


def test_seed_twice_changes_nothing():
    """Running the contacts demo again adds no contacts."""
    firms = firms_demo.seed()
    demo.seed(firms)
    before = Contact.objects.count()

    demo.seed(firms)

    assert Contact.objects.count() == before
