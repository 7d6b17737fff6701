"""Settings pages for branches, interaction types and task categories (A5).

Their lists are drawn by the shared list page (``crm.core.listing``) with the
"add" form above; they have no filters.

Interaction types and task categories are name-only lists of the same shape:
their views are one function per URL, each with its own policy decorator,
and each calls the shared ``_named_*`` helper with its ``_Kind``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from crm.core.exceptions import ApplicationError
from crm.core.filters import ListFilterSet
from crm.core.forms_errors import apply_error
from crm.core.listing import Column, ListSpec, list_context
from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors, services
from crm.firms.choices import Perm
from crm.firms.forms_lookups import BranchForm, NamedLookupForm, active_flag
from crm.firms.models import InteractionType, TaskCategory

PER_PAGE = 50

L = TypeVar("L", InteractionType, TaskCategory)


def form_data(request: StaffRequest) -> QueryDict | None:
    """Return the POST data to bind a form to, or None on GET."""
    return request.POST if request.method == "POST" else None


# Branches (the firm's own offices)

BRANCH_LIST = ListSpec(
    id="branch",
    title="Branches",
    caption="Branches",
    filter_label="",
    no_match="",
    columns=(
        Column("Name", attr="name"),
        Column("Address", template="firms/settings/branch_list.html#address"),
        Column("Phone", attr="phone", default="—"),
        Column("Status", template="firms/settings/branch_list.html#status"),
        Column(
            "Actions",
            template="firms/settings/branch_list.html#actions",
            classes="actions",
            hide_label=True,
        ),
    ),
    row_template="firms/settings/_lookup_row.html",
    empty_template="firms/settings/branch_list.html#empty",
)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def branch_list(request: StaffRequest) -> HttpResponse:
    """List the firm's branches, with a form to add one."""
    form = BranchForm(form_data(request))
    if form.is_bound and form.is_valid():
        try:
            branch = services.branch_create(
                firm=request.firm, actor=request.user, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Branch “{branch.name}” added.")
            return redirect("firms:branch_list")
    branches = selectors.branch_list(firm=request.firm)
    page = paginate(branches, params=request.GET, per_page=PER_PAGE)
    context = {
        **list_context(
            request.GET, spec=BRANCH_LIST, filterset=ListFilterSet(None), page=page
        ),
        "caption": f"Branches of {request.firm.name}",
        "add_form": form,
    }
    return TemplateResponse(request, "firms/settings/branch_list.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def branch_edit(request: StaffRequest, branch_id: int) -> HttpResponse:
    """Change a branch's name, address or phone number."""
    branch = selectors.branch_get(firm=request.firm, branch_id=branch_id)
    form = BranchForm(form_data(request), initial=BranchForm.initial_for(branch))
    if form.is_bound and form.is_valid():
        try:
            services.branch_update(
                firm=request.firm,
                actor=request.user,
                branch=branch,
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Branch “{branch.name}” saved.")
            return redirect("firms:branch_list")
    context = {"branch": branch, "form": form}
    return TemplateResponse(request, "firms/settings/branch_edit.html", context)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def branch_set_active(request: StaffRequest, branch_id: int) -> HttpResponse:
    """Archive or restore a branch (POST ``active`` is "1" or "0")."""
    branch = selectors.branch_get(firm=request.firm, branch_id=branch_id)
    active = active_flag(request.POST)
    try:
        services.branch_set_active(
            firm=request.firm, actor=request.user, branch=branch, active=active
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        state = "restored" if active else "archived"
        messages.success(request, f"Branch “{branch.name}” {state}.")
    return redirect("firms:branch_list")


# Interaction types and task categories


@dataclass(frozen=True)
class _Kind(Generic[L]):
    """What differs between the name-only lists: words, URLs, selectors, services."""

    entity: str  # names the URLs, the id keyword and the service keyword
    singular: str
    plural: str
    intro: str
    empty: str
    rows: Callable[..., QuerySet[L]]
    get: Callable[..., L]
    create: Callable[..., L]
    rename: Callable[..., L]
    set_active: Callable[..., L]

    @property
    def list_url(self) -> str:
        return f"firms:{self.entity}_list"

    @property
    def edit_url(self) -> str:
        return f"firms:{self.entity}_edit"

    @property
    def set_active_url(self) -> str:
        return f"firms:{self.entity}_set_active"

    @property
    def title(self) -> str:
        return self.singular.capitalize()

    @property
    def add_heading(self) -> str:
        article = "an" if self.singular[0] in "aeiou" else "a"
        return f"Add {article} {self.singular}"

    @property
    def name_label(self) -> str:
        return f"{self.title} name"

    @property
    def list_spec(self) -> ListSpec:
        """Return the list page's names and columns."""
        template = "firms/settings/lookup_list.html"
        return ListSpec(
            id=self.entity.replace("_", "-"),
            title=self.plural,
            caption=self.plural,
            filter_label="",
            no_match="",
            columns=(
                Column("Name", attr="name"),
                Column("Status", template=f"{template}#status"),
                Column(
                    "Actions",
                    template=f"{template}#actions",
                    classes="actions",
                    hide_label=True,
                ),
            ),
            row_template="firms/settings/_lookup_row.html",
            empty_template=f"{template}#empty",
        )

    def fetch(self, request: StaffRequest, pk: int) -> L:
        """Return the firm's row with id ``pk`` through the selector, or 404."""
        return self.get(firm=request.firm, **{f"{self.entity}_id": pk})


INTERACTION_TYPES = _Kind[InteractionType](
    entity="interaction_type",
    singular="interaction type",
    plural="Interaction types",
    intro="The kinds of contact your team logs with clients, such as a phone "
    "call or a home visit.",
    empty="There are no interaction types yet. Add the kinds of contact your "
    "team logs, such as “Phone call” or “Home visit”, so members can choose "
    "them when they record an interaction.",
    rows=selectors.interaction_type_list,
    get=selectors.interaction_type_get,
    create=services.interaction_type_create,
    rename=services.interaction_type_rename,
    set_active=services.interaction_type_set_active,
)

TASK_CATEGORIES = _Kind[TaskCategory](
    entity="task_category",
    singular="task category",
    plural="Task categories",
    intro="Categories your team sorts tasks by, such as “Chase documents”.",
    empty="There are no task categories yet. Add categories such as "
    "“Call back” or “Compliance” so members can sort and filter their tasks.",
    rows=selectors.task_category_list,
    get=selectors.task_category_get,
    create=services.task_category_create,
    rename=services.task_category_rename,
    set_active=services.task_category_set_active,
)


def _named_list(request: StaffRequest, kind: _Kind[L]) -> HttpResponse:
    form = NamedLookupForm(form_data(request), label=kind.name_label)
    if form.is_bound and form.is_valid():
        name = form.cleaned_data["name"]
        try:
            obj = kind.create(firm=request.firm, actor=request.user, name=name)
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{kind.title} “{obj.name}” added.")
            return redirect(kind.list_url)
    page = paginate(kind.rows(firm=request.firm), params=request.GET, per_page=PER_PAGE)
    context = {
        **list_context(
            request.GET, spec=kind.list_spec, filterset=ListFilterSet(None), page=page
        ),
        "caption": f"{kind.plural} of {request.firm.name}",
        "kind": kind,
        "add_form": form,
    }
    return TemplateResponse(request, "firms/settings/lookup_list.html", context)


def _named_edit(request: StaffRequest, kind: _Kind[L], pk: int) -> HttpResponse:
    obj = kind.fetch(request, pk)
    form = NamedLookupForm(
        form_data(request), initial={"name": obj.name}, label=kind.name_label
    )
    if form.is_bound and form.is_valid():
        name = form.cleaned_data["name"]
        try:
            kind.rename(
                firm=request.firm, actor=request.user, name=name, **{kind.entity: obj}
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{kind.title} “{obj.name}” saved.")
            return redirect(kind.list_url)
    context = {"kind": kind, "object": obj, "form": form}
    return TemplateResponse(request, "firms/settings/named_lookup_edit.html", context)


def _named_set_active(request: StaffRequest, kind: _Kind[L], pk: int) -> HttpResponse:
    obj = kind.fetch(request, pk)
    active = active_flag(request.POST)
    try:
        kind.set_active(
            firm=request.firm, actor=request.user, active=active, **{kind.entity: obj}
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        state = "restored" if active else "archived"
        messages.success(request, f"{kind.title} “{obj.name}” {state}.")
    return redirect(kind.list_url)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def interaction_type_list(request: StaffRequest) -> HttpResponse:
    """List the firm's interaction types, with a form to add one."""
    return _named_list(request, INTERACTION_TYPES)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def interaction_type_edit(
    request: StaffRequest, interaction_type_id: int
) -> HttpResponse:
    """Rename an interaction type."""
    return _named_edit(request, INTERACTION_TYPES, interaction_type_id)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def interaction_type_set_active(
    request: StaffRequest, interaction_type_id: int
) -> HttpResponse:
    """Archive or restore an interaction type (POST ``active`` is "1" or "0")."""
    return _named_set_active(request, INTERACTION_TYPES, interaction_type_id)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def task_category_list(request: StaffRequest) -> HttpResponse:
    """List the firm's task categories, with a form to add one."""
    return _named_list(request, TASK_CATEGORIES)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def task_category_edit(request: StaffRequest, task_category_id: int) -> HttpResponse:
    """Rename a task category."""
    return _named_edit(request, TASK_CATEGORIES, task_category_id)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def task_category_set_active(
    request: StaffRequest, task_category_id: int
) -> HttpResponse:
    """Archive or restore a task category (POST ``active`` is "1" or "0")."""
    return _named_set_active(request, TASK_CATEGORIES, task_category_id)
