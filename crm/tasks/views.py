"""The Tasks page, adding and editing tasks, and one-click complete (J1, C4)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.cases import selectors as case_selectors
from crm.cases.models import Case
from crm.contacts import selectors as contact_selectors
from crm.contacts.models import Contact
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.forms_errors import apply_error
from crm.core.http import parse_id, safe_next_url
from crm.core.listing import Column, ListSpec, list_context, tab_links
from crm.core.pagination import page_of, page_offset
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.leads import selectors as lead_selectors
from crm.leads.models import Lead
from crm.tasks import follow_ups, listing, rows, selectors, services
from crm.tasks.filters import TaskFilterSet
from crm.tasks.forms import TaskForm
from crm.tasks.models import Task

PER_PAGE = 25
FOLLOW_UPS = "follow_ups"
# Each tab says whose items it lists and counts: the member's or the firm's.
TASK_TABS = (
    ("mine", "My tasks"),
    ("today", "Firm: due today"),
    ("overdue", "Firm: overdue"),
    ("all", "Firm: all tasks"),
)
TABS = (*TASK_TABS, (FOLLOW_UPS, "My follow-ups"))


TASK_LIST = ListSpec(
    id="task",
    title="Tasks",
    caption="Tasks",
    filter_label="Filter tasks",
    no_match="No tasks match these filters",
    tabs=TABS,
    tabs_label="Task views",
    tab_count_label="open",
    columns=(
        Column("Task"),
        Column("About"),
        Column("Due", classes="nowrap"),
        Column("Assigned to"),
        Column("Category"),
        Column("Status"),
        Column("Actions", hide_label=True),
    ),
    row_template="tasks/task_list.html#row",
    draw_row=rows.row,
    empty_template="tasks/task_list.html#empty",
    no_match_template="tasks/task_list.html#no_match",
)

FOLLOW_UP_LIST = ListSpec(
    id="task",
    title="Tasks",
    caption="My lead and case follow-ups due today or overdue, earliest first",
    filter_label="Filter tasks",
    no_match="No follow-ups are due",
    tabs=TABS,
    tabs_label="Task views",
    tab_count_label="open",
    columns=(
        Column("Follow up"),
        Column("Client"),
        Column("About"),
        Column("Stage"),
    ),
    row_template="tasks/task_list.html#follow_up_row",
    draw_row=rows.follow_up_row,
    empty_template="tasks/task_list.html#follow_up_empty",
)


def _tab_context(
    request: StaffRequest, filterset: TaskFilterSet, today: date
) -> dict[str, Any]:
    """Return the tabs, each with its capped count (J1, C4), and the caption.

    My follow-ups is a tab of advice firms, whose leads and cases carry
    follow-up dates.
    """
    query = filterset.query()
    counts = selectors.task_tab_counts(
        firm=request.firm,
        user=request.user,
        principal=request.principal,
        today=today,
        **query.count_kwargs(),
    )
    tab_counts = {
        "mine": counts["mine"],
        "today": counts["today"],
        "overdue": counts["overdue"],
    }
    tabs: tuple[tuple[str, str], ...] = TASK_TABS
    if request.firm.has_advice:
        tabs = TABS
        tab_counts[FOLLOW_UPS] = follow_ups.follow_up_count(
            firm=request.firm,
            user=request.user,
            principal=request.principal,
            today=today,
        )
    return {
        "list": TASK_LIST,
        "tabs": tab_links(filterset.params(), filterset.tab, tabs, tab_counts),
        "caption": dict(TABS)[filterset.tab],
        "today": today,
    }


def _follow_up_list(
    request: StaffRequest, filterset: TaskFilterSet, today: date
) -> TemplateResponse:
    """Show the member's lead and case follow-ups due by today, one list (C4)."""
    rows = follow_ups.follow_up_list(
        firm=request.firm,
        user=request.user,
        principal=request.principal,
        today=today,
        offset=page_offset(request.GET, per_page=PER_PAGE),
        limit=PER_PAGE + 1,
    )
    page = page_of(rows, params=request.GET, per_page=PER_PAGE)
    context = {
        **list_context(
            request.GET, spec=FOLLOW_UP_LIST, filterset=filterset, page=page
        ),
        **_tab_context(request, filterset, today),
        "list": FOLLOW_UP_LIST,
        "caption": FOLLOW_UP_LIST.caption,
        "form": None,
        "filters_shown": False,
        "filtered": False,
        "return_to": request.get_full_path(),
    }
    template = "tasks/task_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
@vary_on_headers("HX-Request")
@staff_view()
def task_list(request: StaffRequest) -> TemplateResponse:
    """Show tasks in tabs with filters, or the member's follow-ups (J1, C4)."""
    today = timezone.localdate()
    filterset = TaskFilterSet(request.GET or None, firm=request.firm)
    if filterset.tab == FOLLOW_UPS:
        return _follow_up_list(request, filterset, today)
    page = listing.task_page(
        firm=request.firm,
        user=request.user,
        principal=request.principal,
        today=today,
        params=request.GET,
        per_page=PER_PAGE,
        **filterset.query().as_kwargs(),
    )
    context = {
        **list_context(request.GET, spec=TASK_LIST, filterset=filterset, page=page),
        **_tab_context(request, filterset, today),
        "return_to": request.get_full_path(),
    }
    template = "tasks/task_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


def _linked(
    request: StaffRequest, data: QueryDict
) -> tuple[Contact | None, Lead | None, Case | None]:
    """Return the contact, lead or case in ``data``, through the selectors (404)."""
    values = {key: data.get(key, "") for key in ("contact", "lead", "case")}
    ids = {key: parse_id(value) for key, value in values.items()}
    if any(values[key] and ids[key] is None for key in values):
        raise NotFound
    if (case_id := ids["case"]) is not None:
        case = case_selectors.case_get(
            firm=request.firm, case_id=case_id, principal=request.principal
        )
        return None, None, case
    if (lead_id := ids["lead"]) is not None:
        return None, lead_selectors.lead_get(firm=request.firm, lead_id=lead_id), None
    if (contact_id := ids["contact"]) is not None:
        contact = contact_selectors.contact_get(
            firm=request.firm, contact_id=contact_id
        )
        return contact, None, None
    return None, None, None


def _form(request: StaffRequest, task: Task | None = None, **kwargs: Any) -> TaskForm:
    data = request.POST if request.method == "POST" else None
    return TaskForm(
        data,
        members=selectors.task_assignee_choices(
            firm=request.firm, current_id=task.assignee_id if task else None
        ),
        categories=selectors.task_category_choices(
            firm=request.firm, current_id=task.category_id if task else None
        ),
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES)
def task_create(request: StaffRequest) -> HttpResponse:
    """Add a task, optionally about the contact, lead or case named in the URL."""
    data = request.POST if request.method == "POST" else request.GET
    contact, lead, case = _linked(request, data)
    if case is not None and not case.is_open and request.method == "GET":
        # A POST still reaches the service, which refuses and keeps the form.
        messages.error(request, "This case is closed. Reopen it to add a task.")
        return redirect(case)
    initial = {"assignee": request.user.pk, "due_date": timezone.localdate()}
    form = _form(request, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            task = services.task_create(
                firm=request.firm,
                actor=request.user,
                contact=contact,
                lead=lead,
                case=case,
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Task “{task.title}” added.")
            subject = case or lead or contact
            fallback = subject.get_absolute_url() if subject else None
            return redirect(safe_next_url(request) or fallback or "tasks:task_list")
    context = {
        "form": form,
        "contact": contact,
        "lead": lead,
        "case": case,
        "next": safe_next_url(request),
    }
    return TemplateResponse(request, "tasks/task_create.html", context)


@require_http_methods(["GET", "POST"])
@staff_view()
def task_edit(request: StaffRequest, task_id: int) -> HttpResponse:
    """Change a task's details; members without Edit cases see it read-only.

    Any member may open the page (the client's timeline links here), but only
    members with Edit cases get a form they can save.
    """
    can_edit = request.membership.has_perm(Perm.EDIT_CASES)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    task = selectors.task_get(
        firm=request.firm, task_id=task_id, principal=request.principal
    )
    form = _form(
        request, task, initial=TaskForm.initial_for(task), read_only=not can_edit
    )
    if form.is_bound and form.is_valid():
        try:
            services.task_update(
                firm=request.firm, actor=request.user, task=task, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Task “{task.title}” saved.")
            return redirect(safe_next_url(request) or "tasks:task_list")
    context = {
        "form": form,
        "task": task,
        "next": safe_next_url(request),
        "can_edit": can_edit,
    }
    return TemplateResponse(request, "tasks/task_edit.html", context)


def _status_change(request: StaffRequest, task_id: int, *, done: bool) -> HttpResponse:
    """Complete or reopen a task; htmx gets the new row and tab counts back."""
    task = selectors.task_get(
        firm=request.firm, task_id=task_id, principal=request.principal
    )
    change = services.task_complete if done else services.task_reopen
    error = ""
    try:
        change(firm=request.firm, actor=request.user, task=task)
    except ApplicationError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            state = "completed" if done else "reopened"
            messages.success(request, f"Task “{task.title}” {state}.")
        return redirect(safe_next_url(request) or "tasks:task_list")
    # htmx: the row shows the task's state either way, so an error needs no message.
    today = timezone.localdate()
    filterset = TaskFilterSet(request.POST, firm=request.firm)
    context = _tab_context(request, filterset, today)
    context |= {"row": task, "return_to": safe_next_url(request)}
    return TemplateResponse(request, "tasks/task_list.html#row_changed", context)


@require_POST
@staff_view(perm=Perm.EDIT_CASES)
def task_complete(request: StaffRequest, task_id: int) -> HttpResponse:
    """Mark a task done in one click (J1)."""
    return _status_change(request, task_id, done=True)


@require_POST
@staff_view(perm=Perm.EDIT_CASES)
def task_reopen(request: StaffRequest, task_id: int) -> HttpResponse:
    """Mark a done task open again."""
    return _status_change(request, task_id, done=False)
