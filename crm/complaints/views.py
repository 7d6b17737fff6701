"""The complaints register (M5): the list, logging a complaint, its page, CSV."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from crm.cases.models import Case
from crm.cases.selectors.case_read import case_get
from crm.complaints import selectors, services
from crm.complaints.filters import ComplaintFilterSet
from crm.complaints.forms import ComplaintEditForm, ComplaintForm, ResolutionForm
from crm.contacts import selectors as contact_selectors
from crm.contacts.models import Contact
from crm.contacts.views.exports import csv_response
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.forms_errors import apply_error
from crm.core.http import parse_id
from crm.core.listing import Column, ListSpec, list_context
from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.tasks import selectors as task_selectors

PER_PAGE = 25
TAB_LABELS = (
    ("open", "Open"),
    ("due", "Due this week"),
    ("overdue", "Overdue"),
    ("resolved", "Resolved"),
    ("all", "All"),
)

COMPLAINT_LIST = ListSpec(
    id="complaint",
    title="Complaints register",
    caption="Complaints",
    filter_label="Filter complaints",
    no_match="No complaints match these filters",
    tabs=TAB_LABELS,
    tabs_label="Complaint views",
    tab_count_label="complaints",
    export_url="complaints:complaint_export",
    columns=(
        Column("Complaint", template="complaints/complaint_list.html#cell_ref"),
        Column(
            "Received",
            sort="received_on",
            classes="nowrap",
            template="complaints/complaint_list.html#cell_received",
        ),
        Column("Category", sort="category", attr="get_category_display"),
        Column("About", template="complaints/complaint_list.html#cell_about"),
        Column("Handler", attr="handler.full_name", default="Nobody yet"),
        Column(
            "Final response",
            sort="due_on",
            classes="nowrap",
            template="complaints/complaint_list.html#cell_due",
        ),
        Column("Outcome", attr="get_outcome_display", default="—"),
    ),
    empty_template="complaints/complaint_list.html#empty",
)


@require_GET
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.MANAGE_COMPLAINTS)
def complaint_list(request: StaffRequest) -> TemplateResponse:
    """List the register with tabs, filters and sorting, for compliance (M5)."""
    today = timezone.localdate()
    filterset = ComplaintFilterSet(request.GET or None, firm=request.firm)
    complaints = selectors.complaint_list(
        firm=request.firm,
        query=filterset.query(),
        today=today,
        principal=request.principal,
    )
    page = paginate(complaints, params=request.GET, per_page=PER_PAGE)
    counts = selectors.complaint_counts(
        firm=request.firm, today=today, principal=request.principal
    )
    context = {
        **list_context(
            request.GET,
            spec=COMPLAINT_LIST,
            filterset=filterset,
            page=page,
            counts=counts,
        ),
        "today": today,
        "due_soon": selectors.due_soon_day(today),
        "can_export": request.membership.has_perm(Perm.EXPORT_DATA),
    }
    template = "complaints/complaint_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
@staff_view(perm=Perm.EXPORT_DATA)
def complaint_export(request: StaffRequest) -> StreamingHttpResponse:
    """Download the register as CSV, filtered as the page is (M5)."""
    if not request.membership.has_perm(Perm.MANAGE_COMPLAINTS):
        raise NotFound
    filterset = ComplaintFilterSet(request.GET or None, firm=request.firm)
    query = filterset.query()
    complaints = selectors.complaint_list(
        firm=request.firm,
        query=query,
        today=timezone.localdate(),
        principal=request.principal,
    )
    chunks = services.complaint_export(
        firm=request.firm,
        actor=request.user,
        complaints=complaints.iterator(chunk_size=500),
        filters={"tab": query.tab, **filterset.params().dict()},
    )
    return csv_response(
        chunks, filename=f"complaints-{timezone.localdate():%Y-%m-%d}.csv"
    )


def _about(
    request: StaffRequest, data: QueryDict
) -> tuple[Case | None, Contact | None]:
    """Return the case or client named in ``data`` (404 for a junk or foreign id)."""
    values = {key: data.get(key, "") for key in ("case", "contact")}
    ids = {key: parse_id(value) for key, value in values.items()}
    if any(values[key] and ids[key] is None for key in values):
        raise NotFound
    if (case_id := ids["case"]) is not None:
        case = case_get(firm=request.firm, case_id=case_id, principal=request.principal)
        return case, None
    if (contact_id := ids["contact"]) is not None:
        return None, contact_selectors.contact_get(
            firm=request.firm, contact_id=contact_id
        )
    return None, None


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_COMPLAINTS)
def complaint_create(request: StaffRequest) -> HttpResponse:
    """Log a complaint against the case or client in the URL (M5)."""
    case, contact = _about(request, request.GET)
    if case is None and contact is None:
        messages.info(request, "Log a complaint from the case or client it is about.")
        return redirect("complaints:complaint_list")
    today = timezone.localdate()
    form = ComplaintForm(
        request.POST if request.method == "POST" else None,
        members=task_selectors.task_assignee_choices(firm=request.firm),
        initial={"received_on": today, "handler": request.user.pk},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_log(
                firm=request.firm,
                actor=request.user,
                data=services.ComplaintData(
                    received_on=data["received_on"],
                    category=data["category"],
                    route=data["route"],
                    summary=data["summary"],
                    handler=data["handler"],
                    case=case,
                    contact=contact,
                ),
                today=today,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                f"{complaint} logged: final response due {complaint.due_on:%d %b %Y}.",
            )
            return redirect(complaint.get_absolute_url())
    context: dict[str, Any] = {"form": form, "case": case, "contact": contact}
    return TemplateResponse(request, "complaints/complaint_create.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_COMPLAINTS)
def complaint_detail(request: StaffRequest, complaint_id: int) -> HttpResponse:
    """Show a complaint and record its outcome and final response (M5)."""
    complaint = selectors.complaint_get(
        firm=request.firm, complaint_id=complaint_id, principal=request.principal
    )
    today = timezone.localdate()
    form = ResolutionForm(
        request.POST if request.method == "POST" else None,
        initial={"final_response_on": today},
    )
    if form.is_bound and form.is_valid():
        try:
            services.complaint_resolve(
                firm=request.firm,
                actor=request.user,
                complaint=complaint,
                data=services.ResolutionData(**form.cleaned_data),
                today=today,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{complaint}: final response recorded.")
            return redirect(complaint.get_absolute_url())
    return TemplateResponse(
        request,
        "complaints/complaint_detail.html",
        {"complaint": complaint, "form": form, "today": today},
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_COMPLAINTS)
def complaint_edit(request: StaffRequest, complaint_id: int) -> HttpResponse:
    """Correct a complaint, and its outcome once resolved (M5, A10)."""
    complaint = selectors.complaint_get(
        firm=request.firm, complaint_id=complaint_id, principal=request.principal
    )
    form = ComplaintEditForm(
        request.POST if request.method == "POST" else None,
        members=task_selectors.task_assignee_choices(firm=request.firm),
        resolved=not complaint.is_open,
        initial=ComplaintEditForm.initial_for(complaint),
    )
    if form.is_bound and form.is_valid():
        try:
            services.complaint_update(
                firm=request.firm,
                actor=request.user,
                complaint=complaint,
                changes=form.to_changes(),
                today=timezone.localdate(),
                version=form.cleaned_data["version"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{complaint} saved.")
            return redirect(complaint.get_absolute_url())
    return TemplateResponse(
        request,
        "complaints/complaint_edit.html",
        {"complaint": complaint, "form": form},
    )
