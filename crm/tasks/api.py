"""The tasks API: the Tasks list, one task, add, complete and reopen (K1)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from crm.cases.api import case_for
from crm.contacts import selectors as contact_selectors
from crm.core.api import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    CursorPage,
    LongText,
    Text200,
    cursor_page,
    principal_of,
    register_lookup,
    require,
    responses,
    user_of,
)
from crm.core.permissions import Perm
from crm.firms import selectors as firm_selectors
from crm.leads import selectors as lead_selectors
from crm.leads.selectors import adviser_get
from crm.tasks import selectors, services
from crm.tasks.choices import TaskPriority, TaskStatus
from crm.tasks.models import Task

router = Router(tags=["Tasks"])


class TaskOut(Schema):
    """A task, perhaps about a contact, a lead or a case."""

    id: int
    title: str
    description: str
    due_date: date | None
    assignee_id: int | None
    priority: TaskPriority
    status: TaskStatus
    category_id: int | None
    contact_id: int | None
    lead_id: int | None
    case_id: int | None
    completed_at: datetime | None
    created_at: datetime


class TaskFilter(Schema):
    """The Tasks page's tab and filters."""

    tab: Literal["mine", "today", "overdue", "all"] = Field(
        "all", description="'mine' is the tasks of the token's member."
    )
    assignee_id: int | None = Field(None, ge=1, le=MAX_ID)
    category_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: Literal["open", "done", "all"] = "open"
    cursor: Text200 | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class TaskIn(Schema):
    """A new task; link it to at most one of a contact, a lead or a case."""

    title: Text200
    description: LongText = ""
    due_date: date | None = None
    assignee_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="A member's user id."
    )
    priority: TaskPriority = TaskPriority.NORMAL
    category_id: int | None = Field(None, ge=1, le=MAX_ID)
    contact_id: int | None = Field(None, ge=1, le=MAX_ID)
    lead_id: int | None = Field(None, ge=1, le=MAX_ID)
    case_id: int | None = Field(None, ge=1, le=MAX_ID)


def _task(request: HttpRequest, task_id: int) -> Task:
    principal = principal_of(request)
    return selectors.task_get(firm=principal.firm, task_id=task_id, principal=principal)


register_lookup("task_id", _task)


@router.get(
    "",
    operation_id="task_list",
    summary="List tasks",
    response=responses(200, CursorPage[TaskOut]),
)
def task_list(request: HttpRequest, filters: Query[TaskFilter]) -> dict[str, Any]:
    """List the tasks of a tab of the Tasks page, oldest first."""
    principal = principal_of(request)
    query = selectors.TaskListQuery(
        tab=filters.tab,
        assignee_id=filters.assignee_id,
        category_id=filters.category_id,
        status=filters.status,
    )
    qs = selectors.task_list(
        firm=principal.firm,
        user=user_of(principal),
        principal=principal,
        **query.as_kwargs(),
    )
    items, next_cursor = cursor_page(qs, cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/{int:task_id}",
    operation_id="task_get",
    summary="Get a task",
    response=responses(200, TaskOut),
)
def task_get(request: HttpRequest, task_id: int) -> Task:
    """Return one task (a task on a case the principal may not see is 404)."""
    return _task(request, task_id)


@router.post(
    "",
    operation_id="task_create",
    summary="Add a task",
    response=responses(201, TaskOut, write=True),
)
def task_create(request: HttpRequest, data: TaskIn) -> Status[Task]:
    """Add a task; the client's timeline shows it."""
    principal = require(request, Perm.EDIT_CASES)
    firm = principal.firm
    category = None
    if data.category_id is not None:
        category = firm_selectors.task_category_get(
            firm=firm, task_category_id=data.category_id
        )
    task = services.task_create(
        firm=firm,
        actor=user_of(principal),
        title=data.title,
        description=data.description,
        due_date=data.due_date,
        assignee=(
            adviser_get(firm=firm, user_id=data.assignee_id)
            if data.assignee_id is not None
            else None
        ),
        priority=data.priority,
        category=category,
        contact=(
            contact_selectors.contact_get(firm=firm, contact_id=data.contact_id)
            if data.contact_id is not None
            else None
        ),
        lead=(
            lead_selectors.lead_get(firm=firm, lead_id=data.lead_id)
            if data.lead_id is not None
            else None
        ),
        case=case_for(request, data.case_id) if data.case_id is not None else None,
    )
    return Status(201, _task(request, task.pk))


@router.post(
    "/{int:task_id}/complete",
    operation_id="task_complete",
    summary="Mark a task done",
    response=responses(200, TaskOut, write=True),
)
def task_complete(request: HttpRequest, task_id: int) -> Task:
    """Mark an open task done (409 if it already is)."""
    principal = require(request, Perm.EDIT_CASES)
    task = _task(request, task_id)
    services.task_complete(firm=principal.firm, actor=user_of(principal), task=task)
    return _task(request, task_id)


@router.post(
    "/{int:task_id}/reopen",
    operation_id="task_reopen",
    summary="Reopen a done task",
    response=responses(200, TaskOut, write=True),
)
def task_reopen(request: HttpRequest, task_id: int) -> Task:
    """Reopen a done task (409 if it is open)."""
    principal = require(request, Perm.EDIT_CASES)
    task = _task(request, task_id)
    services.task_reopen(firm=principal.firm, actor=user_of(principal), task=task)
    return _task(request, task_id)
