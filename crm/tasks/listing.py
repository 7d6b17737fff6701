"""The Tasks page's list: its tabs and filters, read by key (J1).

``task_list`` is the list's queryset (the API and the tests read it; offered
by ``crm.tasks.selectors`` too); the page reads its rows through
``task_page``, whose statements ``crm.core.keyset_prepared`` keeps per tab and
filter: the same rows and cursors as ``keyset_paginate(task_list(...))``.
"""

from datetime import date
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from crm.cases.policies import child_visibility_as, child_visibility_of
from crm.contacts.models import NAME_FIELDS
from crm.core.keyset_prepared import PreparedPages
from crm.core.pagination import Page
from crm.core.principals import Principal
from crm.firms.models import Firm, User
from crm.tasks.choices import TaskStatus, TaskStatusFilter, TaskTab
from crm.tasks.models import Task

# What a list of tasks shows (the Tasks page, the dashboard, the API): a task
# about a lead carries the lead's client as its own ``contact`` (the services
# set it), so the lead's client is not joined a second time. That second
# join of the contacts table took PostgreSQL's planning of the Tasks page's
# list from 1.9 ms to 10.4 ms (0.5 ms to run it).
LIST_RELATED = ("assignee", "category", "contact", "case")
# What a row of the Tasks page reads (``crm.tasks.rows``): a few of the
# task's own columns and the names of what it links to. The client and the
# case are 38 and 26 columns wide; reading them whole, and the assignee's
# password and dates, was a fifth of the page's Python calls.
ROW_FIELDS = (
    "title",
    "description",
    "due_date",
    "duration_minutes",
    "priority",
    "status",
    "lead_id",
    "assignee__first_name",
    "assignee__last_name",
    "category__name",
    *(f"contact__{name}" for name in NAME_FIELDS),
    "case__kind",
    "case__reference",
)


def task_list(
    *,
    firm: Firm,
    tab: TaskTab,
    user: User,
    principal: Principal | None,
    assignee_id: int | None = None,
    category_id: int | None = None,
    status: TaskStatusFilter = "open",
    today: date | None = None,
    row_only: bool = False,
) -> QuerySet[Task]:
    """Return the tasks of one tab of the Tasks page, soonest due first.

    ``mine`` is the member's tasks (the assignee filter does not apply);
    ``today`` and ``overdue`` are the firm's open tasks due today or before
    today; ``all`` is every task. ``status`` narrows ``mine``, ``today`` and
    ``all``; finished tasks are listed most recently completed first. With
    ``row_only`` the tasks and what they link to carry only what a row of
    the page shows (``ROW_FIELDS``): reading anything else costs a query.
    """
    return task_filtered(
        firm_id=firm.pk,
        tab=tab,
        user_id=user.pk,
        assignee_id=assignee_id,
        category_id=category_id,
        status=status,
        today=today or timezone.localdate(),
        row_only=row_only,
        **child_visibility_of(principal),
    )


def task_filtered(
    *,
    firm_id: int,
    seen: str,
    viewer_id: int | None = None,
    tab: TaskTab,
    user_id: int,
    assignee_id: int | None,
    category_id: int | None,
    status: TaskStatusFilter,
    today: date,
    row_only: bool,
) -> QuerySet[Task]:
    """Return ``task_list``'s tasks from ids, a day and shapes (prepared reads)."""
    qs = child_visibility_as(
        Task.objects.filter(firm_id=firm_id), seen=seen, viewer_id=viewer_id
    ).select_related(*LIST_RELATED)
    if row_only:
        qs = qs.only(*ROW_FIELDS)
    if tab == "mine":
        qs = qs.filter(assignee_id=user_id)
    elif assignee_id is not None:
        qs = qs.filter(assignee_id=assignee_id)
    if tab == "today":
        qs = qs.filter(due_date=today)
    elif tab == "overdue":
        qs = qs.filter(due_date__lt=today)
        status = "open"
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    if status == "done":
        return qs.filter(status=TaskStatus.DONE).order_by(
            F("completed_at").desc(nulls_last=True), "-id"
        )
    if status == "open":
        qs = qs.filter(status=TaskStatus.OPEN)
    return qs.order_by(F("due_date").asc(nulls_last=True), "id")


_TASK_PAGES = PreparedPages(Task, task_filtered)


def task_page(
    *,
    firm: Firm,
    user: User,
    principal: Principal | None,
    today: date,
    params: Any,
    per_page: int,
    **query: Any,
) -> Page[Task]:
    """Return a page of one tab's rows (``row_only``), read by key."""
    return _TASK_PAGES.page(
        firm_id=firm.pk,
        params=params,
        per_page=per_page,
        user_id=user.pk,
        today=today,
        row_only=True,
        **query,
        **child_visibility_of(principal),
    )
