"""Lead pages: the pipeline board, the list, a lead's page, add and edit (C1-C4).

The board and the lead's page move leads through ``lead_move``; the board
posts with htmx (a drop or its "Move to" control) and gets the board back, or
without JavaScript as a plain form that redirects back.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.contacts import selectors as contact_selectors
from crm.core import events, sections
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.http import parse_id
from crm.core.listing import Column, ListSpec, list_context
from crm.core.policies import staff_view
from crm.core.replica import replica_reads
from crm.core.rows import created_at
from crm.core.shell import url_if_exists
from crm.core.types import StaffRequest
from crm.firms import selectors as firm_selectors
from crm.firms.choices import Perm
from crm.leads import rows, selectors, services
from crm.leads.choices import LeadStatus
from crm.leads.filters import LeadFilterSet
from crm.leads.forms import BoardFilterForm, LeadCreateForm, LeadDetailsForm
from crm.leads.models import Lead

# Sections other features add to the lead's page, shown once their template exists.
BOARD_TEMPLATE = "leads/lead_board.html"
DETAIL_TEMPLATE = "leads/lead_detail.html"
PER_PAGE = 25


def _can_edit(request: StaffRequest) -> bool:
    return request.membership.has_perm(Perm.EDIT_CASES)


def _status_label(value: Any) -> str:
    return str(LeadStatus(value).label) if value in LeadStatus.values else str(value)


# The pipeline board


def _board_context(
    request: StaffRequest, owner_id: int | None, *, converted: bool = False
) -> dict[str, Any]:
    columns = selectors.lead_board(firm=request.firm, owner_id=owner_id)
    return {
        "columns": columns,
        "owner_id": owner_id,
        "open_count": sum(column.count for column in columns),
        "converted": (
            selectors.lead_converted_column(firm=request.firm, owner_id=owner_id)
            if converted
            else None
        ),
        "can_edit": _can_edit(request),
    }


@require_GET
@vary_on_headers("HX-Request")
@staff_view(module="advice")
def lead_board(request: StaffRequest) -> TemplateResponse:
    """Show open leads as columns by status, filtered by adviser (C2).

    ``?converted=on`` adds a column of recently converted leads (C3), so the
    board shows the clients who have moved on to cases too.
    """
    form = BoardFilterForm(
        request.GET or None, owners=firm_selectors.member_choices(firm=request.firm)
    )
    valid = form.is_bound and form.is_valid()
    owner_id = form.cleaned_data["owner"] if valid else None
    converted = bool(form.cleaned_data["converted"]) if valid else False
    context = {
        "form": form,
        **_board_context(request, owner_id, converted=converted),
    }
    template = BOARD_TEMPLATE
    if request.htmx and not request.htmx.boosted:
        template += "#board"
    return TemplateResponse(request, template, context)


def _board_url(owner_id: int | None, *, converted: bool) -> str:
    params = QueryDict(mutable=True)
    if owner_id:
        params["owner"] = str(owner_id)
    if converted:
        params["converted"] = "on"
    url = reverse("leads:lead_board")
    return f"{url}?{params.urlencode()}" if params else url


@require_POST
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def lead_move(request: StaffRequest, lead_id: int) -> HttpResponse:
    """Move a lead to another status from the board (htmx or not) or its page."""
    lead = selectors.lead_get(firm=request.firm, lead_id=lead_id)
    status = request.POST.get("status", "")
    try:
        services.lead_move(
            firm=request.firm,
            actor=request.user,
            lead=lead,
            status=status,
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        error, notice = exc.message, ""
    else:
        error = ""
        notice = f"{lead.contact.display_name} moved to {_status_label(status)}."
    owner_id = parse_id(request.POST.get("owner"))
    converted = request.POST.get("converted") == "on"
    if request.htmx:
        context = {
            **_board_context(request, owner_id, converted=converted),
            "error": error,
        }
        context["notice"] = notice
        return TemplateResponse(request, BOARD_TEMPLATE + "#move_result", context)
    if error and request.POST.get("next") != "board":
        return _detail_response(request, lead, move_error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    if request.POST.get("next") == "board":
        return redirect(_board_url(owner_id, converted=converted))
    return redirect(lead)


# The list


LEAD_LIST = ListSpec(
    id="lead",
    title="Leads list",
    caption="Leads",
    filter_label="Filter leads",
    no_match="No leads match these filters",
    columns=(
        Column("Client", "name", "leads/lead_list.html#client", draw=rows.client),
        Column("Status", "status", "leads/lead_list.html#status", draw=rows.status),
        Column("Adviser", attr="owner", default="Unassigned"),
        Column("Source", template="leads/lead_list.html#source", draw=rows.source),
        Column(
            "Follow-up",
            "follow_up",
            "leads/lead_list.html#follow_up",
            classes="nowrap",
            draw=rows.follow_up_cell,
        ),
        Column(
            "Created",
            "created",
            "leads/lead_list.html#created",
            classes="nowrap",
            draw=created_at,
        ),
    ),
    empty_template="leads/lead_list.html#empty",
)


@replica_reads
@require_GET
@vary_on_headers("HX-Request")
@staff_view(module="advice")
def lead_list(request: StaffRequest) -> TemplateResponse:
    """List leads with filters, sortable columns and pagination (C2)."""
    filterset = LeadFilterSet(request.GET or None, firm=request.firm)
    page = selectors.lead_page(
        firm=request.firm,
        params=request.GET,
        per_page=PER_PAGE,
        **filterset.query().as_kwargs(),
    )
    context = {
        **list_context(request.GET, spec=LEAD_LIST, filterset=filterset, page=page),
        "can_edit": _can_edit(request),
    }
    template = "leads/lead_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


# A lead's page


def _detail_response(
    request: StaffRequest, lead: Lead, *, move_error: str = ""
) -> TemplateResponse:
    moves = selectors.allowed_moves(lead.status)
    context = {
        "lead": lead,
        "history": events.history_entries(
            selectors.lead_history(firm=request.firm, lead=lead), subject="lead"
        ),
        "moves": [m for m in moves if m != LeadStatus.NOT_PROCEEDING],
        "can_stop": LeadStatus.NOT_PROCEEDING in moves,
        "can_edit": _can_edit(request),
        "move_error": move_error,
        "reason": request.POST.get("reason", "") if move_error else "",
        "new_case_url": (
            url_if_exists("advice:wizard_start") if lead.can_add_case else None
        ),
    }
    found = sections.gather(
        "lead.page", firm=request.firm, lead=lead, principal=request.principal
    )
    context.update(found.context, lead_sections=found)
    return TemplateResponse(request, DETAIL_TEMPLATE, context)


@require_GET
@staff_view(module="advice")
def lead_detail(request: StaffRequest, lead_id: int) -> TemplateResponse:
    """Show a lead: client, status and moves, details and history (C1)."""
    lead = selectors.lead_get(firm=request.firm, lead_id=lead_id)
    return _detail_response(request, lead)


# Adding and editing


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def lead_create(request: StaffRequest) -> HttpResponse:
    """Add a lead for an existing client (``?contact=ID`` pre-fills the client)."""
    contact_id = parse_id(request.GET.get("contact"))
    contact = (
        contact_selectors.contact_get(firm=request.firm, contact_id=contact_id)
        if contact_id
        else None
    )
    follow_up = timezone.localdate() + timedelta(
        days=request.firm.default_follow_up_days
    )
    initial = {
        "contact": contact_id,
        "owner": request.user.pk,
        "follow_up_date": follow_up,
    }
    form = LeadCreateForm(
        request.POST if request.method == "POST" else None,
        firm=request.firm,
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        try:
            lead = services.lead_create(
                firm=request.firm, actor=request.user, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Lead added for {lead.contact.display_name}.")
            return redirect(lead)
    context = {
        "form": form,
        "contact": form.selected_contact if form.is_bound else contact,
    }
    return TemplateResponse(request, "leads/lead_create.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def lead_edit(request: StaffRequest, lead_id: int) -> HttpResponse:
    """Change a lead's details; its status changes on the lead's page."""
    lead = selectors.lead_get(firm=request.firm, lead_id=lead_id)
    form = LeadDetailsForm(
        request.POST if request.method == "POST" else None,
        firm=request.firm,
        lead=lead,
        initial=LeadDetailsForm.initial_for(lead),
    )
    if form.is_bound and form.is_valid():
        try:
            services.lead_update(
                firm=request.firm, actor=request.user, lead=lead, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Lead details saved.")
            return redirect(lead)
    context = {"lead": lead, "form": form}
    return TemplateResponse(request, "leads/lead_edit.html", context)
