"""Data protection pages: retention settings, subject access, erasure, consents."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.cases import retention
from crm.compliance import selectors, services
from crm.compliance.forms import EraseForm, RetentionForm
from crm.contacts.selectors import contact_get
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.forms_errors import apply_error
from crm.core.permissions import Perm
from crm.core.policies import staff_view
from crm.core.types import StaffRequest


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def retention_settings(request: StaffRequest) -> HttpResponse:
    """Set how long the firm keeps each kind of case (SPEC M1)."""
    form = RetentionForm(
        request.POST or None,
        firm=request.firm,
        initial=RetentionForm.initial_for(request.firm),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_periods_save(
                firm=request.firm, actor=request.user, years=form.years()
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Retention periods saved.")
            return redirect("compliance:retention_settings")
    return TemplateResponse(
        request, "compliance/retention_settings.html", {"form": form}
    )


@require_GET
@staff_view()
def contact_data_protection(request: StaffRequest, contact_id: int) -> HttpResponse:
    """A client's consents, retention, subject access archives and erasure."""
    contact = contact_get(firm=request.firm, contact_id=contact_id)
    consents = selectors.consents_for(firm=request.firm, contact=contact)
    context = {
        "contact": contact,
        "consents": consents,
        "current_consents": list(selectors.current_consents(consents).values()),
        "hold": selectors.retention_status(firm=request.firm, contact=contact),
        "exports": selectors.exports_for(firm=request.firm, contact=contact),
        "can_export": request.membership.has_perm(Perm.EXPORT_DATA),
        "can_erase": request.membership.has_perm(Perm.MANAGE_FIRM),
        "periods": retention.periods(firm=request.firm),
    }
    return TemplateResponse(request, "compliance/contact_data_protection.html", context)


@require_POST
@staff_view(perm=Perm.EXPORT_DATA)
def export_start(request: StaffRequest, contact_id: int) -> HttpResponse:
    """Queue a subject access archive of the client (SPEC M2)."""
    contact = contact_get(firm=request.firm, contact_id=contact_id)
    try:
        export = services.subject_access_start(
            firm=request.firm, actor=request.user, contact=contact
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("compliance:contact_data_protection", contact.pk)
    return redirect(export)


@require_GET
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EXPORT_DATA)
def export_detail(request: StaffRequest, export_id: int) -> HttpResponse:
    """An archive's progress (polled by htmx until it is ready), then its link."""
    export = selectors.export_get(firm=request.firm, export_id=export_id)
    template = "compliance/export_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#progress"
    return TemplateResponse(request, template, {"export": export})


@require_GET
@staff_view(perm=Perm.EXPORT_DATA)
def export_download(request: StaffRequest, export_id: int) -> FileResponse:
    """Send a finished archive, audited."""
    export = selectors.export_get(firm=request.firm, export_id=export_id)
    if not export.file:
        raise NotFound
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound from exc
    services.subject_access_download_record(
        firm=request.firm, actor=request.user, export=export
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"subject-access-{export.contact_id}.zip",
        content_type="application/zip",
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def contact_erase(request: StaffRequest, contact_id: int) -> HttpResponse:
    """Confirm, then anonymise a client past retention (SPEC M3)."""
    contact = contact_get(firm=request.firm, contact_id=contact_id)
    form = EraseForm(request.POST if request.method == "POST" else None)
    hold = selectors.retention_status(firm=request.firm, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_erase(
                firm=request.firm, actor=request.user, contact=contact
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "The client's personal data has been erased.")
            return redirect("compliance:contact_data_protection", contact.pk)
    context = {
        "contact": contact,
        "form": form,
        "hold": hold,
        "refusal": hold.message(f"{contact.display_name}'s records") if hold else "",
    }
    return TemplateResponse(request, "compliance/contact_erase.html", context)
