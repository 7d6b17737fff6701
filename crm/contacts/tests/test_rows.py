"""The Clients list's rows drawn in Python read as its templates draw them."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.contacts.views.contacts import CONTACT_LIST
from crm.core.tests.rows import both_ways

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'


def test_rows_drawn_in_python_match_the_templates(owner_client, firm, monkeypatch):
    """People, organisations, members of one, and missing details draw alike."""
    surgery = OrganisationFactory(firm=firm, organisation_name=NASTY)
    contacts = [
        surgery,
        OrganisationFactory(firm=firm, email="", mobile=""),
        ContactFactory(firm=firm, first_name=NASTY, town=NASTY, organisation=surgery),
        ContactFactory(firm=firm, mobile="", other_phone="<01632> & 960"),
        ContactFactory(firm=firm, mobile="", other_phone="", email="", town=""),
        ContactFactory(firm=firm, first_name="", last_name="", email="a&b@x.org"),
        ContactFactory(firm=firm, mobile="07700 900&1", town="Leeds"),
    ]
    for i, contact in enumerate(contacts):
        created = datetime(2024, 1 + 2 * i % 12, 28, 23, 30, tzinfo=UTC)
        Contact.objects.filter(pk=contact.pk).update(created_at=created)
    for sort in ("", "-created"):
        url = reverse("contacts:contact_list") + f"?sort={sort}"
        drawn, templated = both_ways(owner_client, url, monkeypatch)
        assert CONTACT_LIST.row_drawer is not None
        assert drawn == templated
        assert drawn[1].count("<tr>") == len(contacts) + 1
        assert "Organisation</span>" in drawn[1]
        assert "· &lt;b&gt;O&#x27;Brien" in drawn[1]
