"""Correct a complaint in the register: its facts, and its outcome once resolved (M5).

A complaint is a regulatory record (FCA DISP 1.9: kept at least three
years), so it is corrected, never deleted; the audit log keeps every old value.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from crm.complaints.choices import ComplaintEventType
from crm.complaints.models import Complaint
from crm.complaints.services.register import (
    ResolutionData,
    check_handler,
    deadline,
    refuse,
    reminder_due,
    reminder_title,
)
from crm.core import concurrency, events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.tasks import services as task_services
from crm.tasks.choices import TaskStatus
from crm.tasks.models import Task

FACT_FIELDS = ("received_on", "category", "route", "handler", "summary", "due_on")
OUTCOME_FIELDS = ("outcome", "final_response_on", "redress", "resolution")


@dataclass(frozen=True)
class ComplaintChanges:
    """A complaint's facts as corrected, and its outcome if it has one."""

    received_on: datetime.date
    category: str
    route: str
    summary: str
    handler: User | None = None
    resolution: ResolutionData | None = None


def _check(
    complaint: Complaint, changes: ComplaintChanges, today: datetime.date
) -> None:
    if changes.received_on > today:
        raise refuse("Enter today's date or an earlier one.", "received_on")
    if not changes.summary.strip():
        raise refuse("Say what the client complained about.", "summary")
    resolution = changes.resolution
    if resolution is not None and complaint.is_open:
        raise ApplicationError("Record the outcome with Save outcome on its page.")
    if resolution is None:
        sent = complaint.final_response_on
        if sent is not None and sent < changes.received_on:
            raise refuse(
                "The complaint cannot be received after its final response.",
                "received_on",
            )
        return
    if resolution.final_response_on > today:
        raise refuse("Enter today's date or an earlier one.", "final_response_on")
    if resolution.final_response_on < changes.received_on:
        raise refuse(
            "The final response cannot come before the complaint was received.",
            "final_response_on",
        )
    if resolution.redress is not None and resolution.redress < 0:
        raise refuse("Enter an amount of zero or more.", "redress")


def _follow_reminder(
    firm: Firm, actor: User, complaint: Complaint, today: datetime.date
) -> None:
    """Move the handler's open reminder to the new deadline and handler."""
    if complaint.reminder_task_id is None:
        return
    task = (
        Task.objects.filter(
            firm=firm, pk=complaint.reminder_task_id, status=TaskStatus.OPEN
        )
        .select_related("case", "category")
        .first()
    )
    if task is None or (task.case is not None and not task.case.is_open):
        return
    task_services.task_update(
        firm=firm,
        actor=actor,
        task=task,
        title=reminder_title(complaint),
        description=task.description,
        due_date=reminder_due(complaint, today),
        assignee=complaint.handler,
        priority=task.priority,
        category=task.category,
        duration_minutes=task.duration_minutes,
    )


@transaction.atomic
def complaint_update(
    *,
    firm: Firm,
    actor: User,
    complaint: Complaint,
    changes: ComplaintChanges,
    today: datetime.date,
    version: int | None = None,
) -> Complaint:
    """Correct a complaint's facts (and its outcome once resolved) (M5, A7, A10).

    The deadline follows the received date and handling route; an open
    complaint's reminder task follows the deadline and the handler.
    ``version`` is the one the form was opened on: a save over a newer one
    raises ``StaleVersion`` naming who changed what.
    """
    ensure_same_firm(firm, complaint)
    _check(complaint, changes, today)
    if changes.handler != complaint.handler:
        check_handler(firm, changes.handler)
    resolution = changes.resolution
    fields = FACT_FIELDS + (OUTCOME_FIELDS if resolution is not None else ())
    before = events.snapshot(complaint, fields)
    complaint.received_on = changes.received_on
    complaint.category = changes.category
    complaint.route = changes.route
    complaint.handler = changes.handler
    complaint.summary = changes.summary.strip()
    complaint.due_on = deadline(changes.received_on, changes.route)
    if resolution is not None:
        complaint.outcome = resolution.outcome
        complaint.final_response_on = resolution.final_response_on
        complaint.redress = resolution.redress
        complaint.resolution = resolution.resolution.strip()
    complaint.full_clean()
    diff = events.diff(before, complaint)
    if not diff:
        return complaint
    concurrency.claim_version(firm=firm, instance=complaint, version=version)
    complaint.save(update_fields=list(diff))
    if complaint.is_open and {"due_on", "handler"} & set(diff):
        _follow_reminder(firm, actor, complaint, today)
    events.record(
        firm=firm,
        actor=actor,
        subject=complaint.case,
        type=ComplaintEventType.COMPLAINT_UPDATED if complaint.case else "",
        params={"reference": complaint.reference},
        verb=AuditVerb.UPDATE,
        audit_obj=complaint,
        changes=diff,
    )
    return complaint
