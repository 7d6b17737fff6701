"""The one event pipeline: ``events.record`` and the History card's lines."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from crm.contacts.choices import ContactEventType
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.firms.tests.factories import BranchFactory
from crm.leads.choices import LeadContactEventType, LeadEventType
from crm.leads.models import LeadEvent
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Subscribe a listener for the test and return what it hears."""
    received: list[events.RecordedEvent] = []
    events.subscribe(received.append)
    yield received
    events.unsubscribe(received.append)


def _record_move(firm, actor, lead, **extra):
    return events.record(
        firm=firm,
        actor=actor,
        subject=lead,
        type=LeadEventType.STATUS_CHANGED,
        params={"from": "new_lead", "to": "call_back", "reason": ""},
        timeline=[lead.contact],
        timeline_type=LeadContactEventType.LEAD_STATUS,
        summary="Lead moved",
        link="/leads/1/",
        timeline_params={"lead_id": lead.pk},
        verb=AuditVerb.STATUS_CHANGE,
        changes={"status": ["new_lead", "call_back"]},
        **extra,
    )


def test_record_writes_history_timeline_and_audit_rows(firm, owner):
    """One call writes the lead's history row, the client's entry and the audit."""
    lead = LeadFactory(contact__firm=firm)
    recorded = _record_move(firm, owner.user, lead)
    history = LeadEvent.objects.get(lead=lead)
    assert recorded.history == history
    assert history.type == LeadEventType.STATUS_CHANGED
    assert history.actor == owner.user
    assert history.parameters == {"from": "new_lead", "to": "call_back", "reason": ""}
    timeline = ContactEvent.objects.get(contact=lead.contact)
    assert timeline.type == LeadContactEventType.LEAD_STATUS
    assert timeline.summary == "Lead moved"
    assert timeline.link == "/leads/1/"
    assert timeline.parameters == {"lead_id": lead.pk}
    audit = AuditEvent.objects.get(object_type="leads.lead")
    assert audit.verb == AuditVerb.STATUS_CHANGE
    assert audit.object_id == str(lead.pk)
    assert audit.changes == {"status": ["new_lead", "call_back"]}


def test_record_writes_one_timeline_entry_per_contact(firm, owner):
    """Each contact given gets its own entry of the timeline type."""
    contacts = ContactFactory.create_batch(2, firm=firm)
    recorded = events.record(
        firm=firm,
        actor=owner.user,
        timeline=contacts,
        timeline_type=ContactEventType.UPDATED,
        summary="x" * 400,
    )
    rows = ContactEvent.objects.filter(firm=firm).order_by("id")
    assert [r.contact_id for r in rows] == [c.pk for c in contacts]
    assert all(len(r.summary) == 300 for r in rows)
    assert recorded.history is None
    assert recorded.audit is None


def test_record_without_history_writer_writes_only_the_audit_row(firm, owner):
    """A subject with no history (a branch) gets its audit row alone."""
    branch = BranchFactory(firm=firm)
    recorded = events.record(
        firm=firm, actor=owner.user, subject=branch, verb=AuditVerb.UPDATE
    )
    assert recorded.history is None
    assert recorded.timeline == []
    assert recorded.audit is not None
    assert recorded.audit.object_type == "firms.branch"


def test_record_refuses_an_unregistered_type_and_writes_nothing(firm, owner):
    """A type its subject never registered raises before any row is written."""
    lead = LeadFactory(contact__firm=firm)
    with pytest.raises(ValueError, match=r"lead\.exploded is not registered"):
        events.record(
            firm=firm,
            actor=owner.user,
            subject=lead,
            type="exploded",
            verb=AuditVerb.UPDATE,
        )
    with pytest.raises(ValueError, match=r"contact\.exploded is not registered"):
        events.record(
            firm=firm,
            actor=owner.user,
            timeline=[lead.contact],
            timeline_type="exploded",
        )
    assert not LeadEvent.objects.filter(lead=lead).exists()
    assert not AuditEvent.objects.filter(firm=firm).exists()


def test_record_refuses_a_contact_of_another_firm(firm, other_firm, owner):
    """The timeline writer will not put an entry on another firm's contact."""
    stranger = ContactFactory(firm=other_firm)
    with pytest.raises(ValueError, match="another firm"):
        events.record(
            firm=firm,
            actor=owner.user,
            timeline=[stranger],
            timeline_type=ContactEventType.UPDATED,
        )


def test_record_strips_nul_characters_from_audit_changes(firm, owner):
    """PostgreSQL's JSON cannot hold NUL, so audit changes lose them."""
    branch = BranchFactory(firm=firm)
    recorded = events.record(
        firm=firm,
        actor=owner.user,
        subject=branch,
        verb=AuditVerb.UPDATE,
        changes={"name": ["A\x00B", "C"]},
    )
    assert recorded.audit is not None
    recorded.audit.refresh_from_db()
    assert recorded.audit.changes == {"name": ["AB", "C"]}


def test_record_keeps_no_anonymous_actor(firm):
    """An anonymous actor is stored as no actor (system)."""
    lead = LeadFactory(contact__firm=firm)
    recorded = _record_move(firm, AnonymousUser(), lead)
    assert recorded.history is not None
    assert recorded.history.actor_id is None
    assert recorded.event.actor_id is None


def test_subscribers_hear_the_event_once_the_transaction_commits(
    firm, owner, heard, django_capture_on_commit_callbacks
):
    """Subscribers are called on commit with a frozen summary of the event."""
    lead = LeadFactory(contact__firm=firm)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _record_move(firm, owner.user, lead)
        assert heard == []
    for callback in callbacks:
        callback()
    assert heard == [
        events.RecordedEvent(
            firm_id=firm.pk,
            subject="lead",
            subject_id=str(lead.pk),
            type=LeadEventType.STATUS_CHANGED,
            params={"from": "new_lead", "to": "call_back", "reason": ""},
            changes={"status": ["new_lead", "call_back"]},
            actor_id=owner.user.pk,
        )
    ]


def test_subscribers_hear_nothing_of_a_rolled_back_event(
    firm, owner, heard, django_capture_on_commit_callbacks
):
    """An event whose transaction rolls back is never delivered."""
    lead = LeadFactory(contact__firm=firm)

    @transaction.atomic
    def move_then_fail():
        _record_move(firm, owner.user, lead)
        raise RuntimeError

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        move_then_fail()
    assert callbacks == []
    assert heard == []
    assert not LeadEvent.objects.filter(lead=lead).exists()


def test_writers_are_called_inside_the_transaction_with_the_subject(
    firm, owner, django_capture_on_commit_callbacks
):
    """A writer (the webhooks) runs at once, in the transaction, with the subject."""
    lead = LeadFactory(contact__firm=firm)
    written: list[tuple[str, object]] = []

    def writer(event, subject):
        written.append((event.type, subject))

    events.register_writer(writer)
    try:
        with django_capture_on_commit_callbacks(execute=False):
            _record_move(firm, owner.user, lead)
            assert written == [(LeadEventType.STATUS_CHANGED, lead)]
    finally:
        events.unregister_writer(writer)
    _record_move(firm, owner.user, lead)
    assert len(written) == 1


def test_history_entries_use_the_registered_formatter(firm):
    """The lead's History card words a move with its formatter."""
    lead = LeadFactory(contact__firm=firm)
    row = LeadEvent(
        firm=firm,
        lead=lead,
        type=LeadEventType.STATUS_CHANGED,
        parameters={"from": "new_lead", "to": "call_back", "reason": "No answer"},
    )
    [entry] = events.history_entries([row], subject="lead")
    assert entry.title == "Moved from New Lead to Call Back"
    assert entry.reason == "No answer"
    assert entry.event is row


def test_history_entries_fall_back_to_the_label():
    """A type without a formatter shows its label."""
    row = LeadEvent(type=LeadEventType.CONVERTED, parameters={})
    [entry] = events.history_entries([row], subject="lead")
    assert entry.title == "Converted to a case"


def test_a_variant_formatter_overrides_the_subjects_own():
    """A case kind may word the kernel's entries its own way."""
    assert events.describe("case", "created", {"status": "new_lead"}).title == (
        "Case opened at New Lead"
    )
    assert events.describe("case", "created", {}, variant="support").title == (
        "Case opened"
    )


def test_registering_a_type_twice_with_another_label_is_refused():
    """Two apps may not give one stored value two meanings."""
    with pytest.raises(ValueError, match="registered twice"):
        events.register("lead", LeadEventType.CREATED, "Something else")


def test_a_formatter_for_an_unknown_type_is_refused():
    """A formatter must belong to a type its app registered."""
    with pytest.raises(ValueError, match="not registered"):
        events.register_formatter("case", "exploded", lambda p: "Boom")
