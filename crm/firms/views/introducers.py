"""Settings pages for introducers, their branches and negotiators (A5).

The introducer's page shows everything about it: its details form, its
branches each with their negotiators, and the forms that add them. The add
forms post to their own URLs; when one is refused, that URL renders the same
page with the refused form filled in as typed.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.listing import Column, ListSpec, list_context
from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors, services
from crm.firms.choices import Perm
from crm.firms.filters import IntroducerFilterSet
from crm.firms.forms_lookups import (
    IntroducerBranchForm,
    IntroducerForm,
    NegotiatorForm,
    active_flag,
)
from crm.firms.models import Introducer, IntroducerBranch
from crm.firms.views.lookups import PER_PAGE, form_data

DETAIL_TEMPLATE = "firms/settings/introducer_detail.html"
LIST_TEMPLATE = "firms/settings/introducer_list.html"

INTRODUCER_LIST = ListSpec(
    id="introducer",
    title="Introducers",
    caption="Introducers",
    filter_label="Filter introducers",
    no_match="No introducers match these filters",
    columns=(
        Column("Name", "name", f"{LIST_TEMPLATE}#name"),
        Column("E-mail", attr="email", default="—"),
        Column("Phone", attr="phone", default="—", classes="nowrap"),
        Column("Active branches", "branches", attr="active_branch_count", default="0"),
        Column(
            "Active negotiators",
            "negotiators",
            attr="active_negotiator_count",
            default="0",
        ),
        Column("Status", "status", f"{LIST_TEMPLATE}#status"),
        Column("Actions", template=f"{LIST_TEMPLATE}#actions", classes="actions"),
    ),
    empty_template=f"{LIST_TEMPLATE}#empty",
    row_template=f"{LIST_TEMPLATE}#row",
)


@dataclass(frozen=True)
class BranchRow:
    """An introducer branch on the detail page, with its add-negotiator form."""

    branch: IntroducerBranch
    negotiator_form: NegotiatorForm


def _negotiator_prefix(branch_id: int) -> str:
    return f"negotiator-{branch_id}"


def _to_branch(introducer_branch: IntroducerBranch) -> HttpResponseRedirect:
    """Redirect to the introducer's page, scrolled to ``introducer_branch``."""
    url = introducer_branch.introducer.get_absolute_url()
    return redirect(f"{url}#branch-{introducer_branch.pk}")


def _detail_response(
    request: StaffRequest,
    introducer: Introducer,
    *,
    form: IntroducerForm | None = None,
    branch_form: IntroducerBranchForm | None = None,
    negotiator_form: NegotiatorForm | None = None,
) -> TemplateResponse:
    """Render the introducer's page; a refused form is shown as it was posted."""
    branches = selectors.introducer_branch_list(
        firm=request.firm, introducer=introducer
    )
    rows = [
        BranchRow(
            branch,
            negotiator_form
            if negotiator_form
            and negotiator_form.prefix == _negotiator_prefix(branch.pk)
            else NegotiatorForm(prefix=_negotiator_prefix(branch.pk)),
        )
        for branch in branches
    ]
    context = {
        "introducer": introducer,
        "form": form or IntroducerForm(initial=IntroducerForm.initial_for(introducer)),
        "branch_form": branch_form or IntroducerBranchForm(prefix="branch"),
        "branch_rows": rows,
    }
    return TemplateResponse(request, DETAIL_TEMPLATE, context)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.MANAGE_FIRM)
def introducer_list(request: StaffRequest) -> HttpResponse:
    """List the firm's introducers with branch and negotiator counts; add one."""
    form = IntroducerForm(form_data(request))
    if form.is_bound and form.is_valid():
        try:
            introducer = services.introducer_create(
                firm=request.firm, actor=request.user, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                f"Introducer “{introducer.name}” added. "
                "Now add its branches and negotiators.",
            )
            return redirect(introducer)
    filterset = IntroducerFilterSet(request.GET or None)
    introducers = selectors.introducer_list(
        firm=request.firm, **filterset.query().as_kwargs()
    )
    page = paginate(introducers, params=request.GET, per_page=PER_PAGE)
    context = {
        **list_context(
            request.GET, spec=INTRODUCER_LIST, filterset=filterset, page=page
        ),
        "add_form": form,
    }
    template = LIST_TEMPLATE
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def introducer_detail(request: StaffRequest, introducer_id: int) -> HttpResponse:
    """Show an introducer with its branches and negotiators; edit its details."""
    introducer = selectors.introducer_get(
        firm=request.firm, introducer_id=introducer_id
    )
    form = IntroducerForm(
        form_data(request), initial=IntroducerForm.initial_for(introducer)
    )
    if form.is_bound and form.is_valid():
        try:
            services.introducer_update(
                firm=request.firm,
                actor=request.user,
                introducer=introducer,
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Introducer “{introducer.name}” saved.")
            return redirect(introducer)
    return _detail_response(request, introducer, form=form)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def introducer_set_active(request: StaffRequest, introducer_id: int) -> HttpResponse:
    """Archive or restore an introducer; back to its page or to the list."""
    introducer = selectors.introducer_get(
        firm=request.firm, introducer_id=introducer_id
    )
    active = active_flag(request.POST)
    try:
        services.introducer_set_active(
            firm=request.firm, actor=request.user, introducer=introducer, active=active
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        state = "restored" if active else "archived"
        messages.success(request, f"Introducer “{introducer.name}” {state}.")
    if request.POST.get("return_to") == "detail":
        return redirect(introducer)
    return redirect("firms:introducer_list")


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def introducer_branch_create(request: StaffRequest, introducer_id: int) -> HttpResponse:
    """Add a branch to an introducer."""
    introducer = selectors.introducer_get(
        firm=request.firm, introducer_id=introducer_id
    )
    form = IntroducerBranchForm(request.POST, prefix="branch")
    if form.is_valid():
        try:
            branch = services.introducer_branch_create(
                firm=request.firm,
                actor=request.user,
                introducer=introducer,
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Branch “{branch.name}” added.")
            return _to_branch(branch)
    return _detail_response(request, introducer, branch_form=form)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def introducer_branch_edit(
    request: StaffRequest, introducer_branch_id: int
) -> HttpResponse:
    """Change an introducer branch's name or phone number."""
    branch = selectors.introducer_branch_get(
        firm=request.firm, introducer_branch_id=introducer_branch_id
    )
    form = IntroducerBranchForm(
        form_data(request), initial=IntroducerBranchForm.initial_for(branch)
    )
    if form.is_bound and form.is_valid():
        try:
            services.introducer_branch_update(
                firm=request.firm,
                actor=request.user,
                introducer_branch=branch,
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Branch “{branch.name}” saved.")
            return _to_branch(branch)
    context = {"branch": branch, "introducer": branch.introducer, "form": form}
    return TemplateResponse(
        request, "firms/settings/introducer_branch_edit.html", context
    )


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def introducer_branch_set_active(
    request: StaffRequest, introducer_branch_id: int
) -> HttpResponse:
    """Archive or restore an introducer branch (POST ``active`` is "1" or "0")."""
    branch = selectors.introducer_branch_get(
        firm=request.firm, introducer_branch_id=introducer_branch_id
    )
    active = active_flag(request.POST)
    try:
        services.introducer_branch_set_active(
            firm=request.firm,
            actor=request.user,
            introducer_branch=branch,
            active=active,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        state = "restored" if active else "archived"
        messages.success(request, f"Branch “{branch.name}” {state}.")
    return _to_branch(branch)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def negotiator_create(request: StaffRequest, introducer_branch_id: int) -> HttpResponse:
    """Add a negotiator to an introducer branch."""
    branch = selectors.introducer_branch_get(
        firm=request.firm, introducer_branch_id=introducer_branch_id
    )
    form = NegotiatorForm(request.POST, prefix=_negotiator_prefix(branch.pk))
    if form.is_valid():
        try:
            negotiator = services.negotiator_create(
                firm=request.firm,
                actor=request.user,
                introducer_branch=branch,
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request, f"Negotiator “{negotiator.name}” added to {branch.name}."
            )
            return _to_branch(branch)
    return _detail_response(request, branch.introducer, negotiator_form=form)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def negotiator_edit(request: StaffRequest, negotiator_id: int) -> HttpResponse:
    """Change a negotiator's name or contact details."""
    negotiator = selectors.negotiator_get(
        firm=request.firm, negotiator_id=negotiator_id
    )
    form = NegotiatorForm(
        form_data(request), initial=NegotiatorForm.initial_for(negotiator)
    )
    if form.is_bound and form.is_valid():
        try:
            services.negotiator_update(
                firm=request.firm,
                actor=request.user,
                negotiator=negotiator,
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Negotiator “{negotiator.name}” saved.")
            return _to_branch(negotiator.branch)
    context = {
        "negotiator": negotiator,
        "branch": negotiator.branch,
        "introducer": negotiator.branch.introducer,
        "form": form,
    }
    return TemplateResponse(request, "firms/settings/negotiator_edit.html", context)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def negotiator_set_active(request: StaffRequest, negotiator_id: int) -> HttpResponse:
    """Archive or restore a negotiator (POST ``active`` is "1" or "0")."""
    negotiator = selectors.negotiator_get(
        firm=request.firm, negotiator_id=negotiator_id
    )
    active = active_flag(request.POST)
    try:
        services.negotiator_set_active(
            firm=request.firm, actor=request.user, negotiator=negotiator, active=active
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        state = "restored" if active else "archived"
        messages.success(request, f"Negotiator “{negotiator.name}” {state}.")
    return _to_branch(negotiator.branch)
