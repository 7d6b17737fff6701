"""CSV import of contacts: upload, column mapping, live progress, report (B5)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.contacts import selectors, services
from crm.contacts.choices import ImportStatus
from crm.contacts.forms_import import ContactImportMappingForm, ContactImportUploadForm
from crm.contacts.models import ContactImport
from crm.contacts.selectors.imports import contact_import_stalled
from crm.contacts.views.exports import csv_response
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm

ERRORS_PER_PAGE = 50
FINISHED = {ImportStatus.DONE, ImportStatus.FAILED}
# Screen readers hear the progress once per this many percent, not every poll.
ANNOUNCE_STEP = 10


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES)
def import_start(request: StaffRequest) -> HttpResponse:
    """Upload a CSV file of contacts; list the firm's recent imports (B5)."""
    posted = request.method == "POST"
    form = ContactImportUploadForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if form.is_bound and form.is_valid():
        try:
            contact_import = services.contact_import_upload(
                firm=request.firm, actor=request.user, upload=form.cleaned_data["file"]
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            return redirect("contacts:import_mapping", contact_import.pk)
    imports = selectors.contact_import_recent(firm=request.firm)
    context = {"form": form, "imports": imports}
    return TemplateResponse(request, "contacts/import_start.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES)
def import_mapping(request: StaffRequest, contact_import_id: int) -> HttpResponse:
    """Choose a contact field per column, with a preview, and start the import."""
    contact_import = selectors.contact_import_get(
        firm=request.firm, contact_import_id=contact_import_id
    )
    if contact_import.status != ImportStatus.MAPPING:
        return redirect("contacts:import_detail", contact_import.pk)
    headers = list(contact_import.mapping.get("headers", []))
    form = ContactImportMappingForm(
        request.POST if request.method == "POST" else None,
        headers=headers,
    )
    if form.is_bound and form.is_valid():
        try:
            services.contact_import_start(
                firm=request.firm,
                actor=request.user,
                contact_import=contact_import,
                fields=form.chosen_fields(),
                duplicate_mode=form.cleaned_data["duplicate_mode"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Importing {contact_import.original_name}.")
            return redirect("contacts:import_detail", contact_import.pk)
    preview = selectors.contact_import_preview(contact_import=contact_import)
    context = {
        "contact_import": contact_import,
        "form": form,
        "preview": preview,
        "columns": form.columns(preview),
    }
    return TemplateResponse(request, "contacts/import_mapping.html", context)


def _status_context(
    request: StaffRequest, contact_import: ContactImport
) -> dict[str, object]:
    """Return the progress region's context.

    ``shown`` names what the page last announced (state and tens of percent);
    each poll sends it back, and the status line is announced again only when
    it changes, so a finished or stalled import is announced once.
    """
    finished = contact_import.status in FINISHED
    stalled = contact_import_stalled(contact_import=contact_import)
    page = None
    if finished and contact_import.error_count:
        errors = selectors.contact_import_error_list(
            firm=request.firm, contact_import=contact_import
        )
        page = paginate(errors, params=request.GET, per_page=ERRORS_PER_PAGE)
    state = "stalled" if stalled else contact_import.status
    shown = f"{state}-{contact_import.percent // ANNOUNCE_STEP}"
    return {
        "contact_import": contact_import,
        "finished": finished,
        "stalled": stalled,
        "page": page,
        "shown": shown,
        "announce": request.GET.get("shown", shown) != shown,
    }


@require_GET
@staff_view(perm=Perm.EDIT_CASES)
def import_detail(request: StaffRequest, contact_import_id: int) -> HttpResponse:
    """Show an import's progress, then its summary and rejected rows."""
    contact_import = selectors.contact_import_get(
        firm=request.firm, contact_import_id=contact_import_id
    )
    if contact_import.status == ImportStatus.MAPPING:
        return redirect("contacts:import_mapping", contact_import.pk)
    context = _status_context(request, contact_import)
    return TemplateResponse(request, "contacts/import_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES)
def import_progress(request: StaffRequest, contact_import_id: int) -> HttpResponse:
    """Return the progress region for htmx polling (the page for a plain GET)."""
    contact_import = selectors.contact_import_get(
        firm=request.firm, contact_import_id=contact_import_id
    )
    if not request.htmx:
        return redirect("contacts:import_detail", contact_import.pk)
    context = _status_context(request, contact_import)
    return TemplateResponse(request, "contacts/_import_progress.html", context)


@require_POST
@staff_view(perm=Perm.EDIT_CASES)
def import_restart(request: StaffRequest, contact_import_id: int) -> HttpResponse:
    """Queue a stalled import again; it carries on after the rows already done."""
    contact_import = selectors.contact_import_get(
        firm=request.firm, contact_import_id=contact_import_id
    )
    try:
        services.contact_import_restart(
            firm=request.firm, actor=request.user, contact_import=contact_import
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Import restarted. Rows already imported are kept and not imported again.",
        )
    return redirect("contacts:import_detail", contact_import.pk)


@require_GET
@staff_view(perm=Perm.EXPORT_DATA)
def import_errors_csv(
    request: StaffRequest, contact_import_id: int
) -> StreamingHttpResponse:
    """Download an import's rejected rows as CSV, to fix and import again."""
    contact_import = selectors.contact_import_get(
        firm=request.firm, contact_import_id=contact_import_id
    )
    chunks = services.contact_import_errors_export(
        firm=request.firm, actor=request.user, contact_import=contact_import
    )
    filename = f"import-{contact_import.pk}-rejected-rows.csv"
    return csv_response(chunks, filename=filename)
