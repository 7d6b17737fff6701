"""Reads about tasks: one, the Tasks page tabs, a record's tasks, counts (J1)."""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, TypedDict

from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone

from crm.cases.models import Case as CaseModel
from crm.cases.models import CaseApplicant
from crm.cases.policies import (
    case_child_visibility,
    child_visibility_as,
    child_visibility_of,
)
from crm.contacts.models import Contact
from crm.core.exceptions import NotFound
from crm.core.pagination import COUNT_CAP
from crm.core.prepared import Prepared
from crm.core.prepared_count import PreparedCount
from crm.core.principals import Principal
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, TaskCategory, User
from crm.leads.models import Lead
from crm.tasks.choices import TABS as TABS
from crm.tasks.choices import TaskStatus
from crm.tasks.choices import TaskStatusFilter as TaskStatusFilter
from crm.tasks.choices import TaskTab as TaskTab
from crm.tasks.listing import task_list as task_list  # the Tasks page's list
from crm.tasks.models import Task

RELATED = ("assignee", "category", "contact", "lead__contact", "case")
# What a record's task section shows (``tasks/_record_tasks.html``): the
# assignee, the category and the task's case. Leaving out the client and the
# lead's client (38 columns each) halves the Python cost of compiling and
# reading the query.
RECORD_RELATED = ("assignee", "category", "case")


class TaskTabCounts(TypedDict):
    """Open-task counts for the Tasks page tabs.

    ``mine`` is every open task assigned to the member; ``today`` and
    ``overdue`` are the firm's (narrowed by any filters).
    """

    mine: int
    today: int
    overdue: int


class TaskCounts(TypedDict):
    """The dashboard's task tile: the member's open tasks (``mine``), and of
    those the ones due today (``mine_today``) and overdue (``mine_overdue``)."""

    mine: int
    mine_today: int
    mine_overdue: int


@dataclass(frozen=True)
class TaskListQuery:
    """The Tasks page's tab and filters, parsed once from the query string.

    Built by ``crm.tasks.filters.TaskFilterSet``; the page and a one-click
    complete (which re-counts the tabs) pass it to ``task_list`` and
    ``task_tab_counts``.
    """

    tab: TaskTab = "mine"
    assignee_id: int | None = None
    category_id: int | None = None
    status: TaskStatusFilter = "open"

    def as_kwargs(self) -> dict[str, Any]:
        """Return the query as ``task_list``'s keyword arguments."""
        return asdict(self)

    def count_kwargs(self) -> dict[str, Any]:
        """Return the filters ``task_tab_counts`` narrows the tab counts by."""
        return {"assignee_id": self.assignee_id, "category_id": self.category_id}


def _tasks(
    firm: Firm, principal: Principal | None, related: tuple[str, ...] = RELATED
) -> QuerySet[Task]:
    """Return the firm's tasks ``principal`` may see: a task on a case follows it."""
    return case_child_visibility(
        Task.objects.filter(firm_id=firm.pk), principal
    ).select_related(*related)


def task_get(*, firm: Firm, task_id: int, principal: Principal | None) -> Task:
    """Return one of the firm's tasks with what its row shows, or raise ``NotFound``.

    A task on a case ``principal`` may not see is ``NotFound`` too.
    """
    try:
        return _tasks(firm, principal).get(pk=task_id)
    except Task.DoesNotExist as exc:
        raise NotFound from exc


def task_list_for(
    *,
    firm: Firm,
    principal: Principal | None,
    contact: Contact | None = None,
    lead: Lead | None = None,
    case: CaseModel | None = None,
) -> QuerySet[Task]:
    """Return the tasks about a contact, a lead or a case.

    A contact's include its leads' and those of every case it is on (a joint
    applicant's too); a case's are its own only. Open tasks come first,
    soonest due; then finished ones, latest first. Each task comes with
    what a record's task section shows (``RECORD_RELATED``); a case's tasks
    are given that case instead of joining it again.
    """
    if sum(x is not None for x in (contact, lead, case)) != 1:
        msg = "Pass exactly one of contact, lead or case."
        raise ValueError(msg)
    qs = case_child_visibility(Task.objects.filter(firm=firm), principal)
    if lead is not None:
        qs = qs.filter(lead=lead).select_related(*RECORD_RELATED)
    elif case is not None:
        qs = qs.filter(case=case).select_related("assignee", "category")
    else:
        # The client's few case ids as values, not a subquery: with a list,
        # PostgreSQL combines the contact and case indexes; with a subquery
        # it walked the firm's whole table in date order (0.7 s at 3M rows).
        on_cases = list(
            CaseApplicant.objects.filter(firm=firm, contact=contact).values_list(
                "case_id", flat=True
            )
        )
        qs = qs.filter(Q(contact=contact) | Q(case_id__in=on_cases)).select_related(
            *RECORD_RELATED
        )
    return _record_order(qs)


def _record_order(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Open tasks first, soonest due; then finished ones, latest first."""
    is_done = Case(
        When(status=TaskStatus.DONE, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return qs.order_by(
        is_done,
        F("due_date").asc(nulls_last=True),
        F("completed_at").desc(nulls_last=True),
        "id",
    )


def _case_tasks(
    *, firm_id: int, case_id: int, limit: int, seen: str, viewer_id: int | None = None
) -> QuerySet[Task]:
    qs = child_visibility_as(
        Task.objects.filter(firm_id=firm_id), seen=seen, viewer_id=viewer_id
    )
    qs = qs.filter(case_id=case_id).select_related("assignee", "category")
    return _record_order(qs)[:limit]


_CASE_TASKS = Prepared(Task, _case_tasks, shapes=("limit",))


def contact_task_rows(
    *,
    firm: Firm,
    contact: Contact,
    principal: Principal | None,
    limit: int,
    fields: tuple[str, ...],
) -> list[Task]:
    """Return the first ``limit`` of ``task_list_for(contact=contact)``, compiled once.

    The client record's task section, each row reading only ``fields``
    (``crm.core.prepared``: the same two statements).
    """
    on_cases = _ON_CASES(firm_id=firm.pk, contact_id=contact.pk)
    return _CONTACT_TASKS(
        firm_id=firm.pk,
        contact_id=contact.pk,
        case_ids=[a.case_id for a in on_cases],
        limit=limit,
        fields=fields,
        **child_visibility_of(principal),
    )


def _on_cases(*, firm_id: int, contact_id: int) -> QuerySet[CaseApplicant]:
    return CaseApplicant.objects.filter(firm_id=firm_id, contact_id=contact_id).only(
        "case_id"
    )


def _contact_tasks(
    *,
    firm_id: int,
    contact_id: int,
    case_ids: list[int],
    limit: int,
    fields: tuple[str, ...],
    seen: str,
    viewer_id: int | None = None,
) -> QuerySet[Task]:
    qs = child_visibility_as(
        Task.objects.filter(firm_id=firm_id), seen=seen, viewer_id=viewer_id
    )
    qs = qs.filter(Q(contact_id=contact_id) | Q(case_id__in=case_ids))
    return _record_order(qs.select_related(*RECORD_RELATED)).only(*fields)[:limit]


_ON_CASES = Prepared(CaseApplicant, _on_cases)
_CONTACT_TASKS = Prepared(Task, _contact_tasks, shapes=("limit", "fields"))


def case_task_rows(
    *, firm: Firm, case: CaseModel, principal: Principal | None, limit: int
) -> list[Task]:
    """Return the first ``limit`` of ``task_list_for(case=case)``, compiled once.

    The case page's task section (``crm.core.prepared``: the same SQL).
    """
    return _CASE_TASKS(
        firm_id=firm.pk, case_id=case.pk, limit=limit, **child_visibility_of(principal)
    )


def _capped_counts(
    *,
    firm: Firm,
    user: User,
    principal: Principal | None,
    assignee_id: int | None,
    category_id: int | None,
    today: date | None,
    names: tuple[str, ...],
) -> dict[str, int]:
    """Count open tasks under each named condition, one capped query each.

    Each count's condition is either the member's own or due by today, so no
    "mine or due by today" filter is added: with that OR, PostgreSQL combined
    two bitmaps and read every task due today in the firm before the cap
    (5,538 index entries at 2.5M tasks) instead of 1,001 in order.
    """
    args = {
        "firm_id": firm.pk,
        "user_id": user.pk,
        "assignee_id": assignee_id,
        "category_id": category_id,
        "today": today or timezone.localdate(),
        **child_visibility_of(principal),
    }
    return {name: _OPEN_COUNT(**args, name=name, cap=COUNT_CAP + 1) for name in names}


def _open_count(
    *,
    firm_id: int,
    user_id: int,
    assignee_id: int | None,
    category_id: int | None,
    today: date,
    name: str,
    cap: int,
    seen: str,
    viewer_id: int | None = None,
) -> QuerySet[Task]:
    """The open tasks counted under condition ``name``, capped (``_capped_counts``)."""
    mine = Q(assignee_id=user_id)
    firm_wide = Q(assignee_id=assignee_id) if assignee_id is not None else Q()
    due_today = Q(due_date=today)
    overdue = Q(due_date__lt=today)
    conditions = {
        "mine": mine,
        "today": firm_wide & due_today,
        "overdue": firm_wide & overdue,
        "mine_today": mine & due_today,
        "mine_overdue": mine & overdue,
    }
    qs = child_visibility_as(
        Task.objects.filter(firm_id=firm_id, status=TaskStatus.OPEN),
        seen=seen,
        viewer_id=viewer_id,
    )
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    return qs.filter(conditions[name]).order_by()[:cap]


# Counted by SQL compiled once a process (``crm.core.prepared_count``).
_OPEN_COUNT = PreparedCount(Task, _open_count, shapes=("cap",))


def task_tab_counts(
    *,
    firm: Firm,
    user: User,
    principal: Principal | None,
    assignee_id: int | None = None,
    category_id: int | None = None,
    today: date | None = None,
) -> TaskTabCounts:
    """Count open tasks for the Tasks page tabs: three capped queries.

    ``assignee_id`` narrows ``today`` and ``overdue`` as it narrows those
    tabs; ``category_id`` narrows every count. Each count is read through its
    own index and capped at ``COUNT_CAP + 1`` rows, so a firm with hundreds
    of thousands of tasks counts in a millisecond; the templates show a count
    over the cap as "1,000+" (``count_cap``).
    """
    counts = _capped_counts(
        firm=firm,
        user=user,
        principal=principal,
        assignee_id=assignee_id,
        category_id=category_id,
        today=today,
        names=("mine", "today", "overdue"),
    )
    return TaskTabCounts(
        mine=counts["mine"], today=counts["today"], overdue=counts["overdue"]
    )


def task_counts(
    *,
    firm: Firm,
    user: User,
    principal: Principal | None,
    today: date | None = None,
) -> TaskCounts:
    """Count the member's open tasks for the dashboard: the three numbers its
    tile shows, one capped query each (see ``task_tab_counts``)."""
    counts = _capped_counts(
        firm=firm,
        user=user,
        principal=principal,
        assignee_id=None,
        category_id=None,
        today=today,
        names=("mine", "mine_today", "mine_overdue"),
    )
    return TaskCounts(
        mine=counts["mine"],
        mine_today=counts["mine_today"],
        mine_overdue=counts["mine_overdue"],
    )


def task_assignee_choices(
    *, firm: Firm, current_id: int | None = None
) -> QuerySet[User]:
    """Return the users of active members who may own work, for the assignee picker.

    ``current_id`` keeps a task's current assignee on offer after they left.
    """
    wanted = Q(
        memberships__firm=firm,
        memberships__is_active=True,
        memberships__role__in=firm_selectors.OWNER_ROLES,
    )
    if current_id is not None:
        wanted |= Q(pk=current_id, memberships__firm=firm)
    return User.objects.filter(wanted).order_by(
        Lower("first_name"), Lower("last_name"), "id"
    )


def task_category_choices(
    *, firm: Firm, current_id: int | None = None
) -> QuerySet[TaskCategory]:
    """Return the firm's active task categories, by name, for the category picker.

    ``current_id`` keeps an archived category a task already has on offer.
    """
    wanted = Q(is_active=True)
    if current_id is not None:
        wanted |= Q(pk=current_id)
    return (
        TaskCategory.objects.filter(firm=firm)
        .filter(wanted)
        .order_by(Lower("name"), "id")
    )
