"""Document store views (SPEC D5): upload to a case or a client, download, delete.

The upload form sits in the Documents section of the case page and the client
record, so every outcome goes back there with a message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from crm.cases import services
from crm.cases.models import Case, Document
from crm.cases.selectors import documents as selectors
from crm.contacts.models import Contact
from crm.contacts.selectors import contact_get
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.http import safe_next_url
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm


def _back(request: StaffRequest, record: Case | Contact) -> HttpResponseRedirect:
    """Return to the page the form was on, else the record's page."""
    return redirect(safe_next_url(request) or f"{record.get_absolute_url()}#documents")


def _upload(
    request: StaffRequest, *, case: Case | None, contact: Contact | None
) -> HttpResponseRedirect:
    record = case if case is not None else contact
    assert record is not None  # noqa: S101 - one of the two is always given
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a file to upload.")
        return _back(request, record)
    try:
        document = services.document_upload(
            firm=request.firm,
            actor=request.user,
            upload=upload,
            document_type=request.POST.get("document_type", ""),
            case=case,
            contact=contact,
        )
    except ApplicationError as exc:
        messages.error(request, f"The document was not uploaded. {exc.message}")
    else:
        messages.success(request, f"Uploaded {document.original_name}.")
    return _back(request, record)


@require_POST
@staff_view(perm=Perm.EDIT_CASES)
def document_upload_case(request: StaffRequest, case_id: int) -> HttpResponse:
    """Upload a document to a case."""
    case = selectors.document_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    return _upload(request, case=case, contact=None)


@require_POST
@staff_view(perm=Perm.EDIT_CASES)
def document_upload_contact(request: StaffRequest, contact_id: int) -> HttpResponse:
    """Upload a document to a client record."""
    contact = contact_get(firm=request.firm, contact_id=contact_id)
    return _upload(request, case=None, contact=contact)


@require_GET
@staff_view()
def document_download(request: StaffRequest, document_id: int) -> FileResponse:
    """Send a document as an attachment under its original name, audited.

    A case's document follows the case's visibility (all cases, or own cases
    only); a client's document needs one of the two view permissions.
    """
    document = selectors.document_get(
        firm=request.firm, document_id=document_id, principal=request.principal
    )
    if document.case_id is None and not (
        request.membership.has_perm(Perm.VIEW_ALL_CASES)
        or request.membership.has_perm(Perm.VIEW_OWN_CASES)
    ):
        raise PermissionDenied
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound from exc
    services.document_download_record(
        firm=request.firm, actor=request.user, document=document
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _owner(document: Document) -> Case | Contact:
    record = document.case if document.case is not None else document.contact
    assert record is not None  # noqa: S101 - a document belongs to one of them
    return record


@require_POST
@staff_view(perm=Perm.EDIT_CASES)
def document_delete(request: StaffRequest, document_id: int) -> HttpResponse:
    """Delete a document and its file, with an audit event."""
    document = selectors.document_get(
        firm=request.firm, document_id=document_id, principal=request.principal
    )
    record = _owner(document)
    name = document.original_name
    try:
        services.document_delete(
            firm=request.firm, actor=request.user, document=document
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Deleted {name}.")
    return _back(request, record)
