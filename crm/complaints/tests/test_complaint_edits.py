"""Correct a complaint in the register: facts, deadline, reminder, outcome (M5, A10)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from crm.cases.models import CaseEvent
from crm.complaints import services
from crm.complaints.choices import ComplaintEventType, ComplaintOutcome, ComplaintRoute
from crm.complaints.models import Complaint
from crm.complaints.services import ComplaintChanges, ResolutionData
from crm.complaints.tests.factories import make_complaint
from crm.core.concurrency import StaleVersion
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.tasks.models import Task

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
RECEIVED = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(time_machine):
    at = datetime.datetime.combine(
        datetime.date(2026, 3, 20), datetime.time(10), tzinfo=LONDON
    )
    time_machine.move_to(at, tick=False)


def _changes(complaint, **fields):
    values = {
        "received_on": complaint.received_on,
        "category": complaint.category,
        "route": complaint.route,
        "summary": complaint.summary,
        "handler": complaint.handler,
    }
    return ComplaintChanges(**{**values, **fields})


def _post(complaint, **fields):
    data = {
        "received_on": complaint.received_on.isoformat(),
        "category": complaint.category,
        "route": complaint.route,
        "handler": str(complaint.handler_id or ""),
        "summary": complaint.summary,
        "version": str(complaint.version),
    }
    return {**data, **fields}


def _resolve(complaint, owner):
    services.complaint_resolve(
        firm=complaint.firm,
        actor=owner.user,
        complaint=complaint,
        data=ResolutionData(
            outcome=ComplaintOutcome.NOT_UPHELD,
            final_response_on=datetime.date(2026, 3, 19),
        ),
        today=timezone.localdate(),
    )
    complaint.refresh_from_db()
    return complaint


# Services


def test_a_corrected_date_moves_the_deadline_and_the_reminder(firm, owner):
    """M5: a new received date and handler move the deadline and the open reminder."""
    complaint = make_complaint(
        firm, actor=owner.user, received_on=RECEIVED, handler=owner.user
    )
    handler = MembershipFactory(firm=firm, role=Role.ADVISER).user
    services.complaint_update(
        firm=firm,
        actor=owner.user,
        complaint=complaint,
        changes=_changes(
            complaint, received_on=datetime.date(2026, 3, 9), handler=handler
        ),
        today=timezone.localdate(),
        version=1,
    )
    complaint.refresh_from_db()
    assert complaint.due_on == datetime.date(2026, 5, 4)
    assert complaint.version == 2
    task = Task.objects.get(pk=complaint.reminder_task_id or 0)
    assert (task.due_date, task.assignee) == (datetime.date(2026, 4, 27), handler)
    assert "04 May 2026" in task.title
    assert CaseEvent.objects.filter(
        case=complaint.case, type=ComplaintEventType.COMPLAINT_UPDATED
    ).exists()
    audit = AuditEvent.objects.get(
        object_type="complaints.complaint", object_id=str(complaint.pk), verb="update"
    )
    assert audit.changes["received_on"] == ["2026-03-02", "2026-03-09"]
    assert audit.changes["due_on"] == ["2026-04-27", "2026-05-04"]


def test_summary_route_sets_a_three_business_day_deadline(firm, owner):
    """M5 (FCA DISP 1.5): switching to summary resolution recomputes the deadline."""
    complaint = make_complaint(firm, actor=owner.user, received_on=RECEIVED)
    services.complaint_update(
        firm=firm,
        actor=owner.user,
        complaint=complaint,
        changes=_changes(complaint, route=ComplaintRoute.SUMMARY),
        today=timezone.localdate(),
    )
    assert complaint.due_on == datetime.date(2026, 3, 5)


def test_a_resolved_complaints_outcome_can_be_corrected(firm, owner):
    """M5: the outcome and redress of a resolved complaint are corrected, audited."""
    complaint = _resolve(
        make_complaint(firm, actor=owner.user, received_on=RECEIVED), owner
    )
    resolution = ResolutionData(
        outcome=ComplaintOutcome.PARTLY_UPHELD,
        final_response_on=datetime.date(2026, 3, 19),
        redress=Decimal("50.00"),
    )
    services.complaint_update(
        firm=firm,
        actor=owner.user,
        complaint=complaint,
        changes=_changes(complaint, resolution=resolution),
        today=timezone.localdate(),
        version=complaint.version,
    )
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.redress) == ("partly_upheld", Decimal(50))
    audit = AuditEvent.objects.filter(
        object_id=str(complaint.pk), verb="update"
    ).latest("id")
    assert set(audit.changes) == {"outcome", "redress"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"received_on": datetime.date(2026, 3, 21)}, "received_on"),
        ({"summary": "   "}, "summary"),
    ],
)
def test_bad_corrections_are_refused(firm, owner, fields, field):
    """A future received date or an empty summary is refused; nothing changes."""
    complaint = make_complaint(firm, actor=owner.user, received_on=RECEIVED)
    with pytest.raises(ApplicationError) as refused:
        services.complaint_update(
            firm=firm,
            actor=owner.user,
            complaint=complaint,
            changes=_changes(complaint, **fields),
            today=timezone.localdate(),
        )
    assert refused.value.field == field
    assert Complaint.objects.get(pk=complaint.pk).version == 1


def test_a_received_date_after_the_final_response_is_refused(firm, owner):
    """M5: a resolved complaint cannot be received after its final response."""
    complaint = _resolve(
        make_complaint(firm, actor=owner.user, received_on=RECEIVED), owner
    )
    with pytest.raises(ApplicationError, match="after its final response"):
        services.complaint_update(
            firm=firm,
            actor=owner.user,
            complaint=complaint,
            changes=_changes(complaint, received_on=datetime.date(2026, 3, 20)),
            today=timezone.localdate(),
        )


def test_a_stale_correction_is_refused(firm, owner):
    """A10: a save over a newer version raises StaleVersion."""
    complaint = make_complaint(firm, actor=owner.user, received_on=RECEIVED)
    Complaint.objects.filter(pk=complaint.pk).update(version=3)
    with pytest.raises(StaleVersion):
        services.complaint_update(
            firm=firm,
            actor=owner.user,
            complaint=complaint,
            changes=_changes(complaint, summary="Changed"),
            today=timezone.localdate(),
            version=1,
        )


def test_an_edit_opened_before_the_outcome_was_recorded_is_refused(firm, owner):
    """A10, M5: recording the outcome moves the version on, so a correction form
    opened before it cannot save over the final response unawares."""
    complaint = make_complaint(firm, actor=owner.user, received_on=RECEIVED)
    opened_on = complaint.version
    stale = Complaint.objects.get(pk=complaint.pk)
    _resolve(complaint, owner)
    with pytest.raises(StaleVersion):
        services.complaint_update(
            firm=firm,
            actor=owner.user,
            complaint=stale,
            changes=_changes(stale, received_on=datetime.date(2026, 3, 19)),
            today=timezone.localdate(),
            version=opened_on,
        )
    assert Complaint.objects.get(pk=complaint.pk).received_on == RECEIVED


def test_resolving_checks_the_stored_dates_not_the_pages_copy(firm, owner):
    """M5: a received date corrected after the resolve page opened still bounds
    the final response (the checks read the row under a lock)."""
    complaint = make_complaint(
        firm, actor=owner.user, received_on=datetime.date(2026, 3, 2)
    )
    Complaint.objects.filter(pk=complaint.pk).update(
        received_on=datetime.date(2026, 3, 18)
    )
    with pytest.raises(ApplicationError, match="cannot come before"):
        services.complaint_resolve(
            firm=firm,
            actor=owner.user,
            complaint=complaint,
            data=ResolutionData(
                outcome=ComplaintOutcome.NOT_UPHELD,
                final_response_on=datetime.date(2026, 3, 10),
            ),
            today=timezone.localdate(),
        )


# Views


def test_edit_page_saves_a_correction(firm, owner, owner_client):
    """M5: the complaint page links Edit; the form saves and goes back."""
    complaint = make_complaint(firm, actor=owner.user, received_on=RECEIVED)
    page = owner_client.get(complaint.get_absolute_url()).content.decode()
    assert f'href="/complaints/{complaint.pk}/edit/"' in page
    form = owner_client.get(f"/complaints/{complaint.pk}/edit/")
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.content.decode()
    assert "outcome" not in form.context["form"].fields
    response = owner_client.post(
        f"/complaints/{complaint.pk}/edit/",
        _post(complaint, category="fees", summary="Charged twice."),
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.category, complaint.summary) == ("fees", "Charged twice.")


def test_a_resolved_complaints_form_has_its_outcome(firm, owner, owner_client):
    """M5: a resolved complaint's form also corrects the outcome and response."""
    complaint = _resolve(
        make_complaint(firm, actor=owner.user, received_on=RECEIVED), owner
    )
    form = owner_client.get(f"/complaints/{complaint.pk}/edit/").context["form"]
    assert form.initial["outcome"] == "not_upheld"
    response = owner_client.post(
        f"/complaints/{complaint.pk}/edit/",
        _post(
            complaint,
            outcome="upheld",
            final_response_on="2026-03-18",
            redress="120",
            resolution="Refunded the fee.",
        ),
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.redress) == ("upheld", Decimal(120))


def test_a_bad_edit_keeps_what_was_typed(firm, owner, owner_client):
    """Bad input comes back with its errors and the typed text; nothing changes."""
    complaint = make_complaint(firm, actor=owner.user, received_on=RECEIVED)
    response = owner_client.post(
        f"/complaints/{complaint.pk}/edit/",
        _post(complaint, received_on="2026-03-21", summary="Kept as typed"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kept as typed" in body
    assert "Enter today" in body
    assert Complaint.objects.get(pk=complaint.pk).summary != "Kept as typed"


def test_a_stale_edit_names_who_changed_it(firm, owner, manager, login):
    """A10: the second of two edits opened together is refused, input kept."""
    complaint = make_complaint(firm, actor=owner.user, received_on=RECEIVED)
    opened = _post(complaint, summary="Mine")
    services.complaint_update(
        firm=firm,
        actor=manager.user,
        complaint=Complaint.objects.get(pk=complaint.pk),
        changes=_changes(complaint, summary="Theirs"),
        today=timezone.localdate(),
        version=1,
    )
    response = login(owner).post(f"/complaints/{complaint.pk}/edit/", opened)
    body = response.content.decode()
    assert "Someone else saved this record" in body
    assert manager.user.get_full_name() in body
    assert "Mine" in body
    assert 'name="version" value="2"' in body
    assert Complaint.objects.get(pk=complaint.pk).summary == "Theirs"


def test_editing_needs_manage_complaints_and_the_firms_own(
    firm, other_firm, owner, adviser_client, owner_client
):
    """An adviser is refused (403); another firm's complaint is a 404."""
    complaint = make_complaint(firm, actor=owner.user)
    assert adviser_client.get(f"/complaints/{complaint.pk}/edit/").status_code == 403
    theirs = make_complaint(other_firm)
    assert owner_client.get(f"/complaints/{theirs.pk}/edit/").status_code == 404
    response = owner_client.post(
        f"/complaints/{theirs.pk}/edit/", _post(theirs, summary="x")
    )
    assert response.status_code == 404
