"""Writes of the complaints register: log a complaint, record its outcome (M5)."""

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal

import holidays
from django.db import transaction

from crm.cases.models import Case, CaseApplicant
from crm.complaints.choices import ComplaintEventType, ComplaintRoute
from crm.complaints.models import Complaint, ComplaintReferenceCounter
from crm.contacts.models import Contact
from crm.core import concurrency, counters, events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, Membership, User
from crm.tasks import services as task_services
from crm.tasks.choices import TaskPriority, TaskStatus
from crm.tasks.models import Task

# FCA DISP 1.6.2: a final response within eight weeks of receipt.
FINAL_RESPONSE_WEEKS = 8
# FCA DISP 1.5: a summary resolution by the close of the third business day.
SUMMARY_BUSINESS_DAYS = 3
# The reminder task falls due this many days before a standard deadline.
REMINDER_DAYS_BEFORE = 7


@functools.cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    """Return England & Wales bank holidays of a year, substitute days included."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_business_day(day: datetime.date) -> bool:
    """Return whether ``day`` is a weekday and not an E&W bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_business_days(day: datetime.date, count: int) -> datetime.date:
    """Return the ``count``-th business day after ``day``.

    Weekends and England & Wales bank holidays are not business days.
    """
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


def deadline(received_on: datetime.date, route: str) -> datetime.date:
    """Return the final-response deadline for a complaint received on a day (M5)."""
    if route == ComplaintRoute.SUMMARY:
        return add_business_days(received_on, SUMMARY_BUSINESS_DAYS)
    return received_on + datetime.timedelta(weeks=FINAL_RESPONSE_WEEKS)


@dataclass(frozen=True)
class ComplaintData:
    """What a member records when a complaint comes in."""

    received_on: datetime.date
    category: str
    summary: str
    route: str = ComplaintRoute.STANDARD
    handler: User | None = None
    case: Case | None = None
    contact: Contact | None = None


@dataclass(frozen=True)
class ResolutionData:
    """The outcome of a complaint and its final response."""

    outcome: str
    final_response_on: datetime.date
    redress: Decimal | None = None
    resolution: str = ""


def next_number(*, firm: Firm) -> int:
    """Return the firm's next complaint number (CP-0001, CP-0002...).

    Allocated like case references (``crm.cases.services.next_reference``):
    the counter row is incremented with an UPDATE inside the caller's
    transaction, so concurrent complaints get distinct numbers.
    """
    return counters.take(
        ComplaintReferenceCounter, column="last_number", firm_id=firm.pk
    )


def refuse(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, "invalid", {"field": field})


def _main_client(firm: Firm, case: Case) -> Contact | None:
    applicant = (
        CaseApplicant.objects.filter(firm=firm, case=case)
        .select_related("contact")
        .order_by("position")
        .first()
    )
    return applicant.contact if applicant is not None else None


def check_handler(firm: Firm, handler: User | None) -> None:
    if handler is None:
        return
    if not Membership.objects.filter(firm=firm, user=handler, is_active=True).exists():
        raise refuse("Choose a member of the firm.", "handler")


def reminder_title(complaint: Complaint) -> str:
    """Return the title of the handler's reminder task, naming the deadline."""
    return f"Final response due {complaint.due_on:%d %b %Y}: {complaint.reference}"


def reminder_due(complaint: Complaint, today: datetime.date) -> datetime.date:
    """Return when the reminder falls due: a week early for a standard deadline."""
    if complaint.route != ComplaintRoute.STANDARD:
        return complaint.due_on
    return max(complaint.due_on - datetime.timedelta(days=REMINDER_DAYS_BEFORE), today)


def _reminder(
    firm: Firm, actor: User, complaint: Complaint, today: datetime.date
) -> Task:
    """Create the handler's task to send the final response before the deadline."""
    case = (
        complaint.case
        if complaint.case is not None and complaint.case.is_open
        else None
    )
    return task_services.task_create(
        firm=firm,
        actor=actor,
        title=reminder_title(complaint),
        description=f"{complaint.get_category_display()} complaint. "
        f"Record the outcome in the complaints register.",
        due_date=reminder_due(complaint, today),
        assignee=complaint.handler,
        priority=TaskPriority.HIGH,
        category=None,
        contact=None if case is not None else complaint.contact,
        case=case,
    )


@transaction.atomic
def complaint_log(
    *, firm: Firm, actor: User, data: ComplaintData, today: datetime.date
) -> Complaint:
    """Log a complaint about a case or a client, with its deadline and reminder (M5).

    A complaint about a case is also about the case's main client. The
    handler gets a task a week before a standard deadline (on the day for a
    summary resolution).
    """
    ensure_same_firm(firm, data.case, data.contact)
    if data.case is None and data.contact is None:
        raise ApplicationError("Choose the case or client the complaint is about.")
    if data.received_on > today:
        raise refuse("Enter today's date or an earlier one.", "received_on")
    if not data.summary.strip():
        raise refuse("Say what the client complained about.", "summary")
    check_handler(firm, data.handler)
    contact = data.contact
    if contact is None and data.case is not None:
        contact = _main_client(firm, data.case)
    complaint = Complaint(
        firm=firm,
        number=next_number(firm=firm),
        case=data.case,
        contact=contact,
        received_on=data.received_on,
        category=data.category,
        route=data.route,
        handler=data.handler,
        summary=data.summary.strip(),
        due_on=deadline(data.received_on, data.route),
        created_by=actor,
    )
    complaint.full_clean()
    complaint.save()
    task = _reminder(firm, actor, complaint, today)
    complaint.reminder_task_id = task.pk
    complaint.save(update_fields=["reminder_task_id"])
    events.record(
        firm=firm,
        actor=actor,
        subject=data.case,
        type=ComplaintEventType.COMPLAINT_LOGGED if data.case is not None else "",
        params={"reference": complaint.reference, "due": complaint.due_on.isoformat()},
        verb=AuditVerb.CREATE,
        audit_obj=complaint,
        changes={
            "category": [None, complaint.category],
            "route": [None, complaint.route],
            "received_on": [None, complaint.received_on.isoformat()],
            "due_on": [None, complaint.due_on.isoformat()],
        },
    )
    return complaint


@transaction.atomic
def complaint_resolve(
    *,
    firm: Firm,
    actor: User,
    complaint: Complaint,
    data: ResolutionData,
    today: datetime.date,
) -> Complaint:
    """Record a complaint's outcome, redress and final response; close it (M5).

    The handler's reminder task, if still open, is completed. The checks read
    the stored dates under a row lock (the page's copy may predate a colleague's
    correction), and the version moves on, so an edit form opened before the
    outcome was recorded cannot save over it unawares (A10).
    """
    ensure_same_firm(firm, complaint)
    stored = (
        Complaint.objects.select_for_update()
        .filter(firm=firm, pk=complaint.pk)
        .values_list("received_on", "final_response_on")
        .first()
    )
    if stored is not None:
        complaint.received_on, complaint.final_response_on = stored
    if not complaint.can_resolve():
        raise ApplicationError("This complaint already has its final response.")
    if data.final_response_on > today:
        raise refuse("Enter today's date or an earlier one.", "final_response_on")
    if data.final_response_on < complaint.received_on:
        raise refuse(
            "The final response cannot come before the complaint was received.",
            "final_response_on",
        )
    if data.redress is not None and data.redress < 0:
        raise refuse("Enter an amount of zero or more.", "redress")
    complaint.outcome = data.outcome
    complaint.final_response_on = data.final_response_on
    complaint.redress = data.redress
    complaint.resolution = data.resolution.strip()
    complaint.full_clean()
    concurrency.claim_version(firm=firm, instance=complaint, version=None)
    complaint.save(
        update_fields=["outcome", "final_response_on", "redress", "resolution"]
    )
    task = (
        Task.objects.filter(
            firm=firm, pk=complaint.reminder_task_id, status=TaskStatus.OPEN
        ).first()
        if complaint.reminder_task_id is not None
        else None
    )
    if task is not None and (task.case is None or task.case.is_open):
        task_services.task_complete(firm=firm, actor=actor, task=task)
    events.record(
        firm=firm,
        actor=actor,
        subject=complaint.case,
        type=ComplaintEventType.COMPLAINT_RESOLVED if complaint.case else "",
        params={"reference": complaint.reference, "outcome": complaint.outcome},
        verb=AuditVerb.UPDATE,
        audit_obj=complaint,
        changes={
            "outcome": ["", complaint.outcome],
            "final_response_on": [None, complaint.final_response_on.isoformat()],
            "redress": [None, str(complaint.redress) if complaint.redress else None],
        },
    )
    return complaint
