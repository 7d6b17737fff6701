"""The document store (SPEC D5): upload, download record and delete.

Files go through Django's storage API under a random name; the name the user
gave is kept only in ``Document.original_name`` and offered on download.
"""

import uuid
from pathlib import PurePath
from typing import Any

from django.core.files import File
from django.db import transaction

from crm.cases import retention
from crm.cases.choices import CaseContactEventType, CaseEventType, DocumentType
from crm.cases.models import Case, Document
from crm.contacts.choices import ContactEventType
from crm.contacts.models import Contact
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MEGABYTE = 1024 * 1024

# Extension -> the content type stored and sent back on download.
ALLOWED_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".heic": "image/heic",
    ".doc": "application/msword",
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
# The first bytes a file of these types must start with.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
KIND_NAMES = {".pdf": "PDF", ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
ACCEPTED = (
    "Casework accepts PDF, images (JPG, PNG, HEIC), Word, Excel, text and CSV files."
)


def document_file_check(upload: File[bytes]) -> tuple[str, str]:
    """Return the extension and content type of ``upload`` or raise why not.

    The type is decided by the extension, and for PDF, JPEG and PNG the first
    bytes must agree, so a renamed file is refused.
    """
    name = PurePath(upload.name or "").name
    if not name:
        raise ApplicationError(
            "Choose a file to upload.", "required", {"field": "file"}
        )
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ApplicationError(ACCEPTED, "file_type", {"field": "file"})
    size = upload.size or 0
    if size == 0:
        raise ApplicationError(
            f"{name} is empty. Choose a file with something in it.",
            "empty",
            {"field": "file"},
        )
    if size > MAX_DOCUMENT_BYTES:
        raise ApplicationError(
            f"That file is {size / MEGABYTE:.1f} MB; the limit is "
            f"{MAX_DOCUMENT_BYTES // MEGABYTE} MB.",
            "too_large",
            {"field": "file"},
        )
    if extension in SIGNATURES:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not head.startswith(SIGNATURES[extension]):
            raise ApplicationError(
                f"{name} is not really a {KIND_NAMES[extension]} file: its "
                f"contents do not match its name. {ACCEPTED}",
                "file_type",
                {"field": "file"},
            )
    return extension, ALLOWED_EXTENSIONS[extension]


def _applicants(case: Case) -> list[Contact]:
    return [
        applicant.contact for applicant in case.applicants.select_related("contact")
    ]


def _label(document: Document) -> str:
    return f"{document.original_name} ({document.get_document_type_display()})"


def _display_name(name: str) -> str:
    """Return the uploaded file's name without folders or control characters."""
    cleaned = "".join(c for c in PurePath(name).name if c.isprintable())
    return cleaned[-200:] or "document"


@transaction.atomic
def document_upload(
    *,
    firm: Firm,
    actor: User | None,
    upload: File[bytes],
    document_type: str,
    case: Case | None = None,
    contact: Contact | None = None,
) -> Document:
    """Store ``upload`` for a case or a client, with its history and audit (D5).

    One transaction: the row, its history and its audit row are written
    together, and a failure after the file is stored removes the file, so
    neither a document without its history nor an orphan file is left.
    """
    if (case is None) == (contact is None):
        msg = "Give a case or a contact, not both."
        raise ValueError(msg)
    ensure_same_firm(firm, case, contact)
    owner = case if case is not None else contact
    if document_type not in DocumentType.values:
        raise ApplicationError(
            "Choose a document type.", "invalid", {"field": "document_type"}
        )
    extension, content_type = document_file_check(upload)
    document = Document(
        firm=firm,
        case=case,
        contact=contact,
        document_type=document_type,
        original_name=_display_name(upload.name or ""),
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    document.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
    stored = document.file.name
    try:
        with transaction.atomic():
            document.full_clean()
            document.save()
            _record(
                firm,
                actor,
                document,
                added=True,
                changes={
                    "original_name": [None, document.original_name],
                    "document_type": [None, document.document_type],
                    "size": [None, document.size],
                    "for": [None, str(owner)],
                },
            )
    except Exception:
        document.file.storage.delete(stored)
        raise
    return document


def _record(
    firm: Firm,
    actor: User | None,
    document: Document,
    *,
    added: bool,
    changes: dict[str, Any],
) -> None:
    """Record ``document`` added or deleted: case history, timeline and audit."""
    label = _label(document)
    case = document.case
    if case is not None:
        contacts = _applicants(case)
        link = case.get_absolute_url()
        where = f"{case.reference}: "
    else:
        assert document.contact is not None  # noqa: S101 - checked on upload
        contacts = [document.contact]
        link = document.contact.get_absolute_url()
        where = ""
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=(CaseEventType.DOCUMENT_ADDED if added else CaseEventType.DOCUMENT_DELETED)
        if case is not None
        else "",
        params={
            "document_id": document.pk,
            "name": document.original_name,
            "document_type": document.document_type,
        },
        timeline=contacts,
        # The timeline has no "document deleted" type; "updated" with the
        # summary says what happened.
        timeline_type=CaseContactEventType.DOCUMENT
        if added
        else ContactEventType.UPDATED,
        summary=f"{where}{'' if added else 'Document deleted: '}{label}",
        link=link,
        timeline_params={"document_id": document.pk, "case_id": document.case_id},
        verb=AuditVerb.CREATE if added else AuditVerb.DELETE,
        audit_obj=document,
        changes=changes,
    )


def document_download_record(
    *, firm: Firm, actor: User | None, document: Document
) -> None:
    """Write the audit event for a member downloading ``document``."""
    ensure_same_firm(firm, document)
    events.record(
        firm=firm,
        actor=actor,
        subject=document,
        verb=AuditVerb.EXPORT,
        changes={"downloaded": [None, _label(document)]},
    )


@transaction.atomic
def document_delete(*, firm: Firm, actor: User | None, document: Document) -> None:
    """Delete ``document``'s row, then its file once the deletion is committed.

    Refused inside the document's retention period (SPEC M1), with the date
    it ends; see ``crm.cases.retention``.
    """
    ensure_same_firm(firm, document)
    retention.refuse_if_held(
        retention.document_hold(firm=firm, document=document),
        f"The document {document.original_name}",
    )
    stored = document.file.name
    storage = document.file.storage
    _record(
        firm,
        actor,
        document,
        added=False,
        changes={
            "original_name": [document.original_name, None],
            "document_type": [document.document_type, None],
        },
    )
    document.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


__all__ = [
    "ALLOWED_EXTENSIONS",
    "MAX_DOCUMENT_BYTES",
    "document_delete",
    "document_download_record",
    "document_file_check",
    "document_upload",
]
