"""Logging interactions and adding notes from a contact or a lead (J2)."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import InteractionTypeFactory
from crm.interactions import selectors
from crm.interactions.models import Interaction
from crm.interactions.tests.factories import InteractionFactory, NoteFactory
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _now(time_machine):
    """Pin now to 12 March 2025, 09:41:27 in London."""
    time_machine.move_to(
        datetime.datetime(2025, 3, 12, 9, 41, 27, tzinfo=LONDON), tick=False
    )


@pytest.fixture
def contact(firm):
    return ContactFactory(firm=firm, first_name="Ada", last_name="Byron")


@pytest.fixture
def visit(firm):
    return InteractionTypeFactory(firm=firm, name="Home visit")


def text(response):
    return response.content.decode()


# Logging an interaction


def test_form_starts_at_now_with_the_firms_active_types(
    adviser_client, firm, other_firm, contact, visit
):
    """Date and time default to now (to the minute); only active types are offered."""
    InteractionTypeFactory(firm=firm, name="Fax", is_active=False)
    InteractionTypeFactory(firm=other_firm, name="Carrier pigeon")
    html = text(adviser_client.get("/interactions/new/", {"contact": contact.pk}))
    assert 'type="datetime-local"' in html
    assert 'value="2025-03-12T09:41"' in html
    assert "Home visit" in html
    assert "Fax" not in html
    assert "Carrier pigeon" not in html
    assert '<label for="id_occurred_at">' in html
    assert '<label for="id_interaction_type">' in html
    assert '<label for="id_notes">' in html
    assert f'<input type="hidden" name="contact" value="{contact.pk}">' in html
    assert "Ada Byron" in html


def test_logging_saves_and_returns_to_next(adviser_client, adviser, contact, visit):
    """Saving logs the entry with its time in London and returns to next."""
    response = adviser_client.post(
        "/interactions/new/",
        {
            "contact": contact.pk,
            "occurred_at": "2025-03-11T16:30",
            "interaction_type": visit.pk,
            "notes": "Heating fixed.",
            "next": f"/clients/{contact.pk}/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{contact.pk}/"
    entry = Interaction.objects.get()
    assert entry.occurred_at == datetime.datetime(2025, 3, 11, 16, 30, tzinfo=LONDON)
    assert entry.created_by == adviser.user
    event = ContactEvent.objects.get(contact=contact)
    assert event.summary == "Home visit: Heating fixed."


def test_logging_on_a_lead_returns_to_the_lead(adviser_client, firm, visit):
    """Without next, the lead page is where the member came from."""
    lead = LeadFactory(contact__firm=firm)
    response = adviser_client.post(
        "/interactions/new/",
        {
            "lead": lead.pk,
            "occurred_at": "2025-03-12T09:00",
            "interaction_type": visit.pk,
            "notes": "Call about the offer.",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == f"/leads/{lead.pk}/"
    assert Interaction.objects.get().lead == lead


def test_logging_errors_keep_what_was_typed(adviser_client, contact, visit):
    """A time too far ahead is explained on its field; the rest is kept."""
    response = adviser_client.post(
        "/interactions/new/",
        {
            "contact": contact.pk,
            "occurred_at": "2025-03-20T10:00",
            "interaction_type": visit.pk,
            "notes": "Planned visit",
        },
    )
    html = text(response)
    assert response.status_code == 200
    assert "more than a day in the future" in html
    assert 'value="2025-03-20T10:00"' in html
    assert "Planned visit" in html
    assert f'<option value="{visit.pk}" selected>' in html
    assert not Interaction.objects.exists()


def test_missing_fields_are_explained(adviser_client, contact):
    """Empty type and notes are marked on their fields."""
    html = text(
        adviser_client.post(
            "/interactions/new/",
            {"contact": contact.pk, "occurred_at": "2025-03-12T09:00"},
        )
    )
    assert "The interaction was not saved" in html
    assert html.count("This field is required.") == 2


# Adding a note


def test_adding_a_note_returns_to_the_contact(adviser_client, contact):
    """Without next, a contact's note returns to the client record."""
    response = adviser_client.post(
        "/interactions/notes/new/", {"contact": contact.pk, "notes": "Prefers e-mail."}
    )
    assert response["Location"] == f"/clients/{contact.pk}/"
    note = Interaction.objects.get()
    assert (note.kind, note.contact) == ("note", contact)
    assert ContactEvent.objects.get(contact=contact).type == "note"


def test_note_form_shows_errors_and_keeps_the_subject(adviser_client, firm):
    """A blank note is refused; the lead is still carried."""
    lead = LeadFactory(contact__firm=firm)
    html = text(adviser_client.post("/interactions/notes/new/", {"lead": lead.pk}))
    assert "The note was not saved" in html
    assert f'<input type="hidden" name="lead" value="{lead.pk}">' in html


# Who and what may be used


@pytest.mark.parametrize("url", ["/interactions/new/", "/interactions/notes/new/"])
@pytest.mark.parametrize("kind", ["contact", "lead"])
def test_another_firms_contact_or_lead_is_not_found(
    adviser_client, other_firm, url, kind
):
    """Another firm's ids answer 404 on GET and POST alike."""
    pk = (
        ContactFactory(firm=other_firm).pk
        if kind == "contact"
        else LeadFactory(contact__firm=other_firm).pk
    )
    assert adviser_client.get(url, {kind: pk}).status_code == 404
    assert adviser_client.post(url, {kind: pk, "notes": "x"}).status_code == 404
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("url", ["/interactions/new/", "/interactions/notes/new/"])
@pytest.mark.parametrize("query", [{}, {"contact": "x1"}, {"contact": 1, "lead": 1}])
def test_a_missing_or_ambiguous_subject_is_not_found(adviser_client, url, query):
    """Exactly one numeric contact or lead id is needed."""
    assert adviser_client.get(url, query).status_code == 404


@pytest.mark.parametrize("url", ["/interactions/new/", "/interactions/notes/new/"])
@pytest.mark.parametrize("kind", ["contact", "lead"])
@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-1", "0"])
def test_an_invalid_id_is_not_found(adviser_client, url, kind, value):
    """A non-ASCII digit, a sign, zero or an id above 2**63 - 1 answers 404."""
    assert adviser_client.get(url, {kind: value}).status_code == 404
    assert adviser_client.post(url, {kind: value, "notes": "x"}).status_code == 404
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("url", ["/interactions/new/", "/interactions/notes/new/"])
def test_read_only_member_is_refused(read_only, login, contact, url):
    """Logging needs EDIT_CASES."""
    client = login(read_only)
    assert client.get(url, {"contact": contact.pk}).status_code == 403
    assert client.post(url, {"contact": contact.pk, "notes": "x"}).status_code == 403
    assert not Interaction.objects.exists()


# The partials other pages include


@pytest.fixture
def staff_request(adviser):
    request: Any = RequestFactory().get("/leads/1/")
    request.user = adviser.user
    request.membership = adviser
    request.firm = adviser.firm
    return request


@pytest.mark.parametrize("rows", [3, 9])
def test_contact_partial_renders_in_one_query(
    rows, firm, adviser, staff_request, django_assert_num_queries
):
    """Type, time, author and notes of each entry, from one query."""
    contact = ContactFactory(firm=firm)
    lead = LeadFactory(contact=contact, firm=firm)
    for i in range(rows):
        InteractionFactory(
            contact=contact, created_by=adviser.user, lead=lead if i % 2 else None
        )
    NoteFactory(contact=contact, created_by=None)
    entries = selectors.interaction_list_for(principal=None, firm=firm, contact=contact)
    with django_assert_num_queries(1):
        html = render_to_string(
            "interactions/_for_contact.html",
            {"request": staff_request, "contact": contact, "interactions": entries},
        )
    assert html.count("<li>") == rows + 1
    assert "a former member" in html
    assert f'href="/leads/{lead.pk}/"' in html
    assert f"/interactions/new/?contact={contact.pk}" in html
    assert f"/interactions/notes/new/?contact={contact.pk}" in html


@pytest.mark.parametrize("rows", [3, 9])
def test_lead_partial_renders_in_one_query(
    rows, firm, adviser, staff_request, django_assert_num_queries
):
    """The lead page's list needs one query whatever its length."""
    lead = LeadFactory(contact__firm=firm)
    for _ in range(rows):
        InteractionFactory(contact=lead.contact, lead=lead, created_by=adviser.user)
    entries = selectors.interaction_list_for(principal=None, firm=firm, lead=lead)
    with django_assert_num_queries(1):
        html = render_to_string(
            "interactions/_for_lead.html",
            {"request": staff_request, "lead": lead, "interactions": entries},
        )
    assert html.count("<li>") == rows
    assert f"/interactions/new/?lead={lead.pk}&amp;next=/leads/1/" in html


def test_partials_have_an_empty_state_and_hide_links_from_read_only(
    firm, read_only, staff_request
):
    """No entries: a sentence; read-only members see no add links."""
    staff_request.membership = read_only
    lead = LeadFactory(contact__firm=firm)
    html = render_to_string(
        "interactions/_for_lead.html",
        {"request": staff_request, "lead": lead, "interactions": []},
    )
    assert "No interactions or notes on this lead yet." in html
    assert "Log interaction" not in html


@pytest.mark.parametrize("url", ["/interactions/new/", "/interactions/notes/new/"])
def test_forms_load_in_a_fixed_number_of_queries(
    adviser_client, contact, visit, url, django_assert_num_queries
):
    """Session, user with memberships, the contact and (for interactions) the types."""
    with django_assert_num_queries(4 if url == "/interactions/new/" else 3):
        response = adviser_client.get(url, {"contact": contact.pk})
    assert response.status_code == 200
