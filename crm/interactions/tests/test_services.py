"""Interaction and note services: rules, firm checks, timeline and audit (J2)."""

import datetime

import pytest
from django.utils import timezone

from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms.tests.factories import InteractionTypeFactory
from crm.interactions import services
from crm.interactions.models import Interaction
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(firm):
    return InteractionTypeFactory(firm=firm, name="Phone call")


def log(firm, actor, interaction_type, **overrides):
    """Call ``interaction_log`` with sensible defaults."""
    fields = {
        "occurred_at": timezone.now() - datetime.timedelta(hours=1),
        "interaction_type": interaction_type,
        "notes": "Talked about the remortgage.",
    }
    return services.interaction_log(firm=firm, actor=actor, **(fields | overrides))


def test_logging_on_a_contact_writes_timeline_and_audit(firm, adviser, phone):
    """The entry is saved; the timeline summary is the type and the notes' start."""
    contact = ContactFactory(firm=firm)
    entry = log(firm, adviser.user, phone, contact=contact, notes="  " + "x" * 200)

    assert entry.kind == "interaction"
    assert entry.created_by == adviser.user
    assert entry.notes == "x" * 200
    event = ContactEvent.objects.get(contact=contact)
    assert event.type == "interaction"
    assert event.summary == "Phone call: " + "x" * 120
    audit = AuditEvent.objects.get(object_type="interactions.interaction")
    assert audit.verb == "create"
    assert audit.changes["type"] == [None, "Phone call"]


def test_logging_on_a_lead_also_files_it_under_the_client(firm, adviser, phone):
    """A lead's interaction carries its contact, whose timeline shows it."""
    lead = LeadFactory(contact__firm=firm)
    entry = log(firm, adviser.user, phone, lead=lead)

    assert entry.lead == lead
    assert entry.contact == lead.contact
    assert ContactEvent.objects.get(contact=lead.contact).type == "interaction"


@pytest.mark.parametrize("given", ["neither", "both"])
def test_exactly_one_of_contact_or_lead_is_needed(firm, adviser, phone, given):
    """An entry is about one contact or one lead."""
    lead = LeadFactory(contact__firm=firm)
    subject = {} if given == "neither" else {"contact": lead.contact, "lead": lead}
    with pytest.raises(ApplicationError, match="either a contact or a lead"):
        log(firm, adviser.user, phone, **subject)
    with pytest.raises(ApplicationError, match="either a contact or a lead"):
        services.note_add(firm=firm, actor=adviser.user, notes="Hi", **subject)


@pytest.mark.parametrize("kind", ["contact", "lead"])
def test_another_firms_contact_or_lead_is_refused(
    firm, other_firm, adviser, phone, kind
):
    """Nothing is logged on another firm's records."""
    foreign = (
        ContactFactory(firm=other_firm)
        if kind == "contact"
        else LeadFactory(contact__firm=other_firm)
    )
    with pytest.raises(ApplicationError, match="not in this firm"):
        log(firm, adviser.user, phone, **{kind: foreign})
    with pytest.raises(ApplicationError, match="not in this firm"):
        services.note_add(firm=firm, actor=adviser.user, notes="Hi", **{kind: foreign})
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("which", ["other_firm", "archived"])
def test_type_must_be_one_of_the_firms_active_types(firm, other_firm, adviser, which):
    """Another firm's type and an archived type are refused on the type field."""
    kind = (
        InteractionTypeFactory(firm=other_firm)
        if which == "other_firm"
        else InteractionTypeFactory(firm=firm, is_active=False)
    )
    with pytest.raises(ApplicationError, match="interaction types") as caught:
        log(firm, adviser.user, kind, contact=ContactFactory(firm=firm))
    assert caught.value.field == "interaction_type"


def test_time_may_be_at_most_a_day_ahead(firm, adviser, phone):
    """Up to a day ahead is allowed (time zones); further is refused."""
    contact = ContactFactory(firm=firm)
    soon = timezone.now() + datetime.timedelta(hours=23)
    assert log(firm, adviser.user, phone, contact=contact, occurred_at=soon).pk
    later = timezone.now() + datetime.timedelta(days=1, minutes=5)
    with pytest.raises(ApplicationError, match="more than a day") as caught:
        log(firm, adviser.user, phone, contact=contact, occurred_at=later)
    assert caught.value.field == "occurred_at"


def test_notes_are_required(firm, adviser, phone):
    """Blank notes are refused for interactions and notes alike."""
    contact = ContactFactory(firm=firm)
    with pytest.raises(ApplicationError, match="Enter some notes"):
        log(firm, adviser.user, phone, contact=contact, notes="  ")
    with pytest.raises(ApplicationError, match="Enter some notes"):
        services.note_add(firm=firm, actor=adviser.user, notes="", contact=contact)


def test_note_is_dated_now_and_shows_on_the_timeline(firm, adviser, time_machine):
    """A note has no type; the timeline calls it a note."""
    ten_am = datetime.datetime(2025, 3, 12, 10, 0, tzinfo=datetime.UTC)
    time_machine.move_to(ten_am, tick=False)
    lead = LeadFactory(contact__firm=firm)
    note = services.note_add(
        firm=firm, actor=adviser.user, notes="Prefers e-mail.", lead=lead
    )

    assert note.kind == "note"
    assert note.interaction_type is None
    assert note.occurred_at == ten_am
    event = ContactEvent.objects.get(contact=lead.contact)
    assert (event.type, event.summary) == ("note", "Note: Prefers e-mail.")
    assert AuditEvent.objects.get().verb == "create"
