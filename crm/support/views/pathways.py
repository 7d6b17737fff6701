"""The Pathways settings screen: list, add, rename, archive and restore (I9).

Pathways are the support kind's own reference list, so the screen lives here
and shows only to firms with the support module.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
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
from crm.firms.choices import Perm
from crm.firms.forms_lookups import active_flag
from crm.support import selectors, services
from crm.support.filters import PathwayFilterSet
from crm.support.forms import PathwayForm

PER_PAGE = 50
LIST_TEMPLATE = "support/pathway_list.html"

PATHWAY_LIST = ListSpec(
    id="pathway",
    title="Pathways",
    caption="Pathways",
    filter_label="Filter pathways",
    no_match="No pathways match these filters",
    columns=(
        Column("Name", "name", attr="name"),
        Column("Status", "status", f"{LIST_TEMPLATE}#status"),
        Column("Actions", template=f"{LIST_TEMPLATE}#actions", classes="actions"),
    ),
    empty_template=f"{LIST_TEMPLATE}#empty",
    row_template=f"{LIST_TEMPLATE}#row",
)


def _form_data(request: StaffRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.MANAGE_FIRM, module="support")
def pathway_list(request: StaffRequest) -> HttpResponse:
    """List the firm's support pathways, with a form to add one (I9)."""
    form = PathwayForm(_form_data(request))
    if form.is_bound and form.is_valid():
        try:
            pathway = services.pathway_create(
                firm=request.firm, actor=request.user, name=form.cleaned_data["name"]
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Pathway “{pathway.name}” added.")
            return redirect("support:pathway_list")
    filterset = PathwayFilterSet(request.GET or None)
    pathways = selectors.pathway_list(
        firm=request.firm, **filterset.query().as_kwargs()
    )
    page = paginate(pathways, params=request.GET, per_page=PER_PAGE)
    context = {
        **list_context(request.GET, spec=PATHWAY_LIST, filterset=filterset, page=page),
        "add_form": form,
    }
    template = LIST_TEMPLATE
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM, module="support")
def pathway_edit(request: StaffRequest, pathway_id: int) -> HttpResponse:
    """Rename a pathway."""
    pathway = selectors.pathway_get(firm=request.firm, pathway_id=pathway_id)
    form = PathwayForm(_form_data(request), initial={"name": pathway.name})
    if form.is_bound and form.is_valid():
        try:
            services.pathway_rename(
                firm=request.firm,
                actor=request.user,
                pathway=pathway,
                name=form.cleaned_data["name"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Pathway “{pathway.name}” saved.")
            return redirect("support:pathway_list")
    context = {"pathway": pathway, "form": form}
    return TemplateResponse(request, "support/pathway_edit.html", context)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM, module="support")
def pathway_set_active(request: StaffRequest, pathway_id: int) -> HttpResponse:
    """Archive or restore a pathway (POST ``active`` is "1" or "0")."""
    pathway = selectors.pathway_get(firm=request.firm, pathway_id=pathway_id)
    active = active_flag(request.POST)
    try:
        services.pathway_set_active(
            firm=request.firm, actor=request.user, pathway=pathway, active=active
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        state = "restored" if active else "archived"
        messages.success(request, f"Pathway “{pathway.name}” {state}.")
    return redirect("support:pathway_list")
