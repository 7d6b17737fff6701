"""Writes about tasks: create, change, complete and reopen (J1).

Each service checks that everything it links belongs to the firm, writes
the task, adds an entry to the linked client's timeline where one applies,
and records the change in the audit log.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crm.cases.models import Case, CaseApplicant
from crm.contacts.models import Contact
from crm.core import events, validation
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, TaskCategory, User
from crm.leads.models import Lead
from crm.tasks.choices import (
    TaskCaseEventType,
    TaskContactEventType,
    TaskPriority,
    TaskStatus,
)
from crm.tasks.models import Task

EDITABLE_FIELDS = (
    "title",
    "description",
    "due_date",
    "duration_minutes",
    "assignee",
    "priority",
    "category",
)


def _check_assignee(firm: Firm, assignee: User | None) -> None:
    if assignee is None:
        return
    if not firm_selectors.may_own(firm=firm, user_id=assignee.pk):
        raise ApplicationError(
            "Choose an active member of this firm who may edit cases as the assignee.",
            "invalid",
            {"field": "assignee"},
        )


def _check_category(
    firm: Firm, category: TaskCategory | None, current: TaskCategory | None
) -> None:
    if category is None:
        return
    ensure_same_firm(firm, category)
    if not category.is_active and category != current:
        raise ApplicationError(
            f"The category “{category.name}” is archived; choose another.",
            "invalid",
            {"field": "category"},
        )


def _check_case_open(task: Task) -> None:
    """Refuse to change a task of a closed case: the case is read-only (I3)."""
    if task.case_id is not None and not task.case.is_open:  # type: ignore[union-attr]  # case_id is set
        raise ApplicationError(
            "This task's case is closed. Reopen the case to change it.", "case_closed"
        )


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ApplicationError("Enter a title.", "required", {"field": "title"})
    return title


def _clients(firm: Firm, task: Task) -> list[Contact]:
    """Return whose timelines show the task: a case's applicants, else its client."""
    if task.case_id is not None:
        return [
            a.contact
            for a in CaseApplicant.objects.filter(firm=firm, case_id=task.case_id)
            .select_related("contact")
            .order_by("position")
        ]
    return [task.contact] if task.contact is not None else []


def _timeline(firm: Firm, task: Task, type: TaskContactEventType) -> dict[str, Any]:
    """Return ``events.record``'s timeline arguments: the task's clients."""
    return {
        "timeline": _clients(firm, task),
        "timeline_type": type,
        "summary": task.title,
        "link": reverse("tasks:task_edit", kwargs={"task_id": task.pk}),
        "timeline_params": {
            "task_id": task.pk,
            "lead_id": task.lead_id,
            "case_id": task.case_id,
        },
    }


@transaction.atomic
def task_create(
    *,
    firm: Firm,
    actor: User,
    title: str,
    description: str,
    due_date: date | None,
    assignee: User | None,
    priority: str,
    category: TaskCategory | None,
    contact: Contact | None = None,
    lead: Lead | None = None,
    case: Case | None = None,
    duration_minutes: int | None = None,
) -> Task:
    """Create a task, optionally about a contact, a lead or a case (and so its
    client); a case must be open (I8).

    The client's timeline shows that the task was added.
    """
    title = _check_title(title)
    for obj in (contact, lead, case):
        if obj is not None:
            ensure_same_firm(firm, obj)
    if case is not None:
        if lead is not None or contact is not None:
            raise ApplicationError("Link the task to the case only.")
        if not case.is_open:
            raise ApplicationError(
                "This case is closed. Reopen it to add a task.", "case_closed"
            )
        applicant = (
            CaseApplicant.objects.filter(firm=firm, case=case)
            .select_related("contact")
            .order_by("position")
            .first()
        )
        contact = applicant.contact if applicant is not None else None
    if lead is not None:
        if contact is not None and contact.pk != lead.contact_id:
            raise ApplicationError(
                "The lead belongs to another client.", "invalid", {"field": "lead"}
            )
        contact = lead.contact
    _check_assignee(firm, assignee)
    _check_category(firm, category, None)
    task = Task(
        firm=firm,
        title=title,
        description=description.strip(),
        due_date=due_date,
        duration_minutes=duration_minutes,
        assignee=assignee,
        priority=priority or TaskPriority.NORMAL,
        category=category,
        contact=contact,
        lead=lead,
        case=case,
        created_by=actor,
    )
    task.full_clean()
    task.save()
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=TaskCaseEventType.TASK_ADDED if case is not None else "",
        params={"title": task.title, "task_id": task.pk},
        **_timeline(firm, task, TaskContactEventType.TASK_CREATED),
        verb=AuditVerb.CREATE,
        audit_obj=task,
        changes={
            name: [None, value]
            for name, value in events.snapshot(
                task, (*EDITABLE_FIELDS, "contact", "lead", "case")
            ).items()
            if value not in (None, "")
        },
    )
    return task


@transaction.atomic
def task_update(
    *,
    firm: Firm,
    actor: User,
    task: Task,
    title: str,
    description: str,
    due_date: date | None,
    assignee: User | None,
    priority: str,
    category: TaskCategory | None,
    duration_minutes: int | None = None,
) -> Task:
    """Change a task's details; the audit log keeps the old and new values."""
    ensure_same_firm(firm, task)
    _check_case_open(task)
    title = _check_title(title)
    if assignee != task.assignee:
        _check_assignee(firm, assignee)
    _check_category(firm, category, task.category)
    before = events.snapshot(task, EDITABLE_FIELDS)
    task.title = title
    task.description = description.strip()
    task.due_date = due_date
    task.duration_minutes = duration_minutes
    task.assignee = assignee
    task.priority = priority
    task.category = category
    # A new assignee and category were checked above; the rest is the task's.
    validation.clean_changed(
        task,
        fields=("title", "description", "due_date", "duration_minutes", "priority"),
    )
    changes = events.diff(before, task)
    if changes:
        task.save(update_fields=list(changes))
        events.record(
            firm=firm, actor=actor, subject=task, verb=AuditVerb.UPDATE, changes=changes
        )
    return task


@transaction.atomic
def task_complete(*, firm: Firm, actor: User, task: Task) -> Task:
    """Mark an open task done; the client's timeline shows it was completed."""
    ensure_same_firm(firm, task)
    _check_case_open(task)
    if task.status != TaskStatus.OPEN:
        raise ApplicationError("This task is already done.", "invalid_status")
    task.status = TaskStatus.DONE
    task.completed_at = timezone.now()
    task.completed_by = actor  # the acting member, checked by the view's policy
    validation.clean_changed(task, fields=("status", "completed_at"))
    task.save(update_fields=["status", "completed_at", "completed_by"])
    events.record(
        firm=firm,
        actor=actor,
        subject=task,
        **_timeline(firm, task, TaskContactEventType.TASK_COMPLETED),
        verb=AuditVerb.STATUS_CHANGE,
        changes={"status": [TaskStatus.OPEN, TaskStatus.DONE]},
    )
    return task


@transaction.atomic
def task_cancel(*, firm: Firm, actor: User, task: Task) -> Task:
    """Cancel an open task that no longer needs doing (closing its case, say)."""
    ensure_same_firm(firm, task)
    _check_case_open(task)
    if task.status != TaskStatus.OPEN:
        raise ApplicationError("Only an open task can be cancelled.", "invalid_status")
    task.status = TaskStatus.CANCELLED
    validation.clean_changed(task, fields=("status",))
    task.save(update_fields=["status"])
    events.record(
        firm=firm,
        actor=actor,
        subject=task,
        verb=AuditVerb.STATUS_CHANGE,
        changes={"status": [TaskStatus.OPEN, TaskStatus.CANCELLED]},
    )
    return task


@transaction.atomic
def task_reopen(*, firm: Firm, actor: User, task: Task) -> Task:
    """Open a done or cancelled task again, for when that was a mistake."""
    ensure_same_firm(firm, task)
    _check_case_open(task)
    if task.status == TaskStatus.OPEN:
        raise ApplicationError("This task is already open.", "invalid_status")
    old = task.status
    task.status = TaskStatus.OPEN
    task.completed_at = None
    task.completed_by = None
    validation.clean_changed(task, fields=("status", "completed_at", "completed_by"))
    task.save(update_fields=["status", "completed_at", "completed_by"])
    events.record(
        firm=firm,
        actor=actor,
        subject=task,
        verb=AuditVerb.STATUS_CHANGE,
        changes={"status": [old, TaskStatus.OPEN]},
    )
    return task
