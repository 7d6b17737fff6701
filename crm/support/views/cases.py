"""Support case pages: the Cases list and its export, Create case, Edit, close,
reopen and concern level (SPEC I1-I3, I9).

A case's page itself is built by ``detail_context`` in ``views/detail.py``.
Every write goes through ``crm.support.services``; a refusal re-renders the
form with what was typed and the service's message on its field.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from crm.cases import rows as case_rows
from crm.cases import selectors as case_selectors
from crm.cases.models import Case
from crm.contacts import services as contact_services
from crm.contacts.views.exports import csv_response
from crm.core import concurrency
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import already_submitted, apply_error
from crm.core.kept_plans import kept_plans
from crm.core.listing import Column, ListSpec, list_context
from crm.core.policies import staff_view
from crm.core.replica import replica_reads
from crm.core.rows import created_at
from crm.core.types import StaffRequest
from crm.firms import selectors as firm_selectors
from crm.firms.choices import Perm
from crm.support import forms, rows, selectors, services
from crm.support.choices import ConcernLevel
from crm.support.filters import SupportCaseFilterSet
from crm.support.services.exports import support_case_export
from crm.support.views.detail import detail_context

PER_PAGE = 25


# The list

CASE_LIST = ListSpec(
    id="support",
    title="Cases",
    caption="Cases",
    filter_label="Filter cases",
    no_match="No cases match these filters",
    tabs=(("all", "All"), ("open", "Open"), ("closed", "Closed")),
    tabs_label="Case views",
    export_url="support:case_export",
    columns=(
        Column(
            "Reference",
            "reference",
            "support/case_list.html#reference",
            classes="nowrap",
            draw=case_rows.reference,
        ),
        Column("Title", "title", "support/case_list.html#title", draw=rows.title),
        Column(
            "Beneficiary",
            "client",
            "support/case_list.html#client",
            draw=case_rows.clients,
        ),
        Column("Case manager", "owner", attr="owner", default="Unassigned"),
        Column(
            "Start date",
            "start",
            "support/case_list.html#start",
            classes="nowrap",
            draw=rows.start,
        ),
        Column(
            "Concern", "concern", "support/case_list.html#concern", draw=rows.concern
        ),
        Column(
            "Status", "status", "support/case_list.html#status", draw=case_rows.status
        ),
        Column(
            "Created",
            "created",
            "support/case_list.html#created",
            classes="nowrap",
            draw=created_at,
        ),
    ),
    empty_template="support/case_list.html#empty",
)


@replica_reads
@require_GET
@vary_on_headers("HX-Request")
@staff_view(module="support")
def case_list(request: StaffRequest) -> TemplateResponse:
    """List support cases in All / Open / Closed tabs, filtered and sorted (I1)."""
    filterset = SupportCaseFilterSet(request.GET or None, firm=request.firm)
    page = selectors.support_list_page(
        firm=request.firm,
        principal=request.principal,
        params=request.GET,
        per_page=PER_PAGE,
        **filterset.query().as_kwargs(),
    )
    case_selectors.attach_clients(page.items, firm=request.firm)
    heading = selectors.cases_label(firm=request.firm)
    context = {
        **list_context(request.GET, spec=CASE_LIST, filterset=filterset, page=page),
        "heading": heading,
        "caption": heading,
        "can_export": request.membership.has_perm(Perm.EXPORT_DATA),
        "can_create": request.membership.has_perm(Perm.EDIT_CASES),
    }
    template = "support/case_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
@staff_view(perm=Perm.EXPORT_DATA, module="support")
def case_export(request: StaffRequest) -> StreamingHttpResponse:
    """Download the support Cases list as CSV, filtered as the page is (I1)."""
    query = SupportCaseFilterSet(request.GET or None, firm=request.firm).query()
    chunks = support_case_export(
        firm=request.firm,
        actor=request.user,
        principal=request.principal,
        **query.as_kwargs(),
    )
    filename = f"support-cases-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(chunks, filename=filename)


# Create and edit


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def case_create(request: StaffRequest) -> HttpResponse:
    """Create case: open a support case for a contact, or for a new person (I1)."""
    form = forms.SupportCaseCreateForm(
        request.POST if request.method == "POST" else None,
        firm=request.firm,
        owners=firm_selectors.member_choices(firm=request.firm, owners_only=True),
        initial={
            "beneficiary": request.GET.get("contact"),
            "case_manager": request.user.pk,
            "once": concurrency.new_token(),
        },
    )
    if form.is_bound and form.is_valid():
        once = form.cleaned_data["once"]
        try:
            # One transaction: a refused case leaves no new contact behind,
            # and a second post of the form finds its token spent (A10).
            with transaction.atomic():
                concurrency.spend_token(
                    firm=request.firm, token=once, purpose="support_case"
                )
                beneficiary = form.cleaned_data["beneficiary"]
                if (fields := form.new_contact_fields()) is not None:
                    beneficiary = contact_services.contact_create(
                        firm=request.firm,
                        actor=request.user,
                        allow_duplicate=True,
                        **fields,
                    )
                case = services.support_case_create(
                    firm=request.firm,
                    actor=request.user,
                    beneficiary=beneficiary,
                    data=form.to_data(),
                    concern_level=form.cleaned_data["concern_level"],
                )
                concurrency.token_result(
                    firm=request.firm, token=once, url=case.get_absolute_url()
                )
        except concurrency.AlreadySubmitted as exc:
            return already_submitted(request, exc, fallback="support:case_list")
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Case {case.reference} created.")
            return redirect(case)
    context = {"form": form, "selected": form.selected or form.load_selected()}
    return TemplateResponse(request, "support/case_form.html", context)


def _refuse_closed(request: StaffRequest, case: Case) -> HttpResponse | None:
    """Send a visitor of a closed case's form back to the case, with the reason."""
    if case.is_open:
        return None
    messages.error(request, "This case is closed. Reopen it to make changes.")
    return redirect(case)


def _case(request: StaffRequest, case_id: int) -> Case:
    return selectors.support_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def case_edit(request: StaffRequest, case_id: int) -> HttpResponse:
    """Edit title, case manager, duration, dates, pathway and notes (I2)."""
    case = _case(request, case_id)
    if refused := _refuse_closed(request, case):
        return refused
    beneficiary = case.applicants.all()[0].contact
    form = forms.SupportCaseEditForm(
        request.POST if request.method == "POST" else None,
        firm=request.firm,
        owners=firm_selectors.member_choices(firm=request.firm, owners_only=True),
        current=case,
        current_pathway_id=case.support.pathway_id,
        beneficiary=beneficiary,
        initial=forms.SupportCaseEditForm.initial_for(case),
    )
    if form.is_bound and form.is_valid():
        try:
            services.support_case_update(
                firm=request.firm,
                actor=request.user,
                case=case,
                data=form.to_data(),
                beneficiary=form.forged,
                version=form.cleaned_data["version"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Case details saved.")
            return redirect(case)
    context = {"case": case, "form": form, "beneficiary": beneficiary}
    return TemplateResponse(request, "support/case_form.html", context)


@kept_plans
@require_GET
@staff_view(module="support")
def case_detail(request: StaffRequest, case_id: int) -> TemplateResponse:
    """Show a support case: its details, needs, plans, services and history.

    A view of a High or Urgent case is logged for managers (I14).
    """
    case = _case(request, case_id)
    services.case_view_log(
        firm=request.firm, viewer=request.user, case=case, now=timezone.now()
    )
    return TemplateResponse(
        request, "support/case_detail.html", detail_context(request, case)
    )


# Close, reopen, concern level


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def case_close(request: StaffRequest, case_id: int) -> HttpResponse:
    """Confirm and close a case; it stays in the Closed tab (I3)."""
    case = _case(request, case_id)
    if not case.is_open:
        messages.info(request, f"{case.reference} is already closed.")
        return redirect(case)
    work = selectors.case_open_work(firm=request.firm, case=case)
    form = forms.CloseForm(
        request.POST if request.method == "POST" else None, open_work=bool(work)
    )
    if form.is_bound and form.is_valid():
        try:
            services.support_case_close(
                firm=request.firm,
                actor=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
                open_work=form.cleaned_data.get("open_work", "leave"),
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{case.reference} closed.")
            return redirect(case)
    return TemplateResponse(
        request,
        "support/case_close.html",
        {"case": case, "form": form, "work": work},
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def case_reopen(request: StaffRequest, case_id: int) -> HttpResponse:
    """Reopen a closed case with a reason; it keeps its manager and plans (I3)."""
    case = _case(request, case_id)
    if case.is_open:
        messages.info(request, f"{case.reference} is already open.")
        return redirect(case)
    form = forms.ReopenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.support_case_reopen(
                firm=request.firm,
                actor=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{case.reference} reopened.")
            return redirect(case)
    return TemplateResponse(
        request, "support/case_reopen.html", {"case": case, "form": form}
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def concern_change(request: StaffRequest, case_id: int) -> HttpResponse:
    """Change the case's concern level, with a reason kept in its history (I9)."""
    case = _case(request, case_id)
    if refused := _refuse_closed(request, case):
        return refused
    details = case.support
    form = forms.ConcernForm(
        request.POST if request.method == "POST" else None,
        initial={"level": details.concern_level},
    )
    if form.is_bound and form.is_valid():
        try:
            services.concern_change(
                firm=request.firm, actor=request.user, case=case, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            label = ConcernLevel(form.cleaned_data["level"]).label
            messages.success(request, f"Concern level changed to {label}.")
            return redirect(case)
    context = {"case": case, "details": details, "form": form}
    return TemplateResponse(request, "support/concern_change.html", context)
