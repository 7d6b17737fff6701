"""Importing contacts from a CSV file: upload, column mapping, start, restart (B5).

The run itself, the file's rows batch by batch, is in ``import_run``.
"""

import logging
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from crm.contacts import jobs
from crm.contacts.choices import DuplicateMode, ImportStatus
from crm.contacts.forms_import import FIELD_LABELS, IMPORT_FIELDS
from crm.contacts.models import ContactImport
from crm.contacts.selectors.imports import STALL_AFTER, csv_inspect, file_error
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

IDENTITY_FIELDS = {"first_name", "last_name", "organisation_name", "email"}


# Upload


@transaction.atomic
def contact_import_upload(
    *, firm: Firm, actor: User | None, upload: UploadedFile
) -> ContactImport:
    """Store an uploaded CSV file as an import waiting for its column mapping."""
    name = upload.name or ""
    size = upload.size or 0
    if not name.lower().endswith(".csv"):
        raise file_error("Choose a CSV file (its name ends in .csv).", "not_csv")
    if size == 0:
        raise file_error("The file is empty.", "empty")
    if size > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        msg = f"The file is {size / (1024 * 1024):.1f} MB; the limit is {limit} MB."
        raise file_error(msg + " Split it into smaller files.", "too_large")
    upload.seek(0)
    if upload.read(4) in {b"PK\x03\x04", b"\xd0\xcf\x11\xe0"}:
        msg = (
            "This is an Excel workbook, not a CSV file. In Excel, choose Save "
            "As and the format “CSV UTF-8 (Comma delimited)”."
        )
        raise file_error(msg, "not_csv")
    upload.seek(0)
    headers, total = csv_inspect(upload)
    contact_import = ContactImport(
        firm=firm,
        created_by=actor,
        original_name=name[-200:],
        status=ImportStatus.MAPPING,
        total_rows=total,
        mapping={"headers": headers},
    )
    contact_import.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
    contact_import.full_clean()
    contact_import.save()
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.CREATE,
        subject=contact_import,
        changes={
            "original_name": [None, contact_import.original_name],
            "total_rows": [None, total],
        },
    )
    return contact_import


# Mapping


def mapping_problems(headers: list[str], fields: list[str]) -> dict[str, list[str]]:
    """Return what is wrong with mapping ``headers`` to ``fields``, by form field."""
    if len(fields) != len(headers):
        return {"__all__": ["Choose a field, or Ignore, for every column."]}
    problems: dict[str, list[str]] = {}
    first: dict[str, int] = {}
    for index, field in enumerate(fields):
        if field and field not in IMPORT_FIELDS:
            problems[f"column_{index}"] = ["Choose a contact field or Ignore."]
        elif field in first:
            problems[f"column_{index}"] = [
                f"{FIELD_LABELS[field]} is already chosen for column "
                f"“{headers[first[field]]}”. Choose each field once."
            ]
        elif field:
            first[field] = index
    if not IDENTITY_FIELDS & set(fields):
        problems["__all__"] = [
            "Choose a column for at least a name (first, last or organisation "
            "name) or the e-mail address."
        ]
    return problems


def mapping_summary(headers: list[str], fields: list[str]) -> str:
    """Return a mapping in words, e.g. "Surname → Last name; ignored: Notes"."""
    pairs = list(zip(headers, fields, strict=True))
    mapped = ", ".join(f"{h} → {FIELD_LABELS[f]}" for h, f in pairs if f)
    ignored = ", ".join(h for h, f in pairs if not f)
    return f"{mapped}; ignored: {ignored}" if ignored else mapped


@transaction.atomic
def contact_import_start(
    *,
    firm: Firm,
    actor: User | None,
    contact_import: ContactImport,
    fields: list[str],
    duplicate_mode: str,
) -> ContactImport:
    """Fix the column mapping and queue the import job, once (B5)."""
    ensure_same_firm(firm, contact_import)
    headers = list(contact_import.mapping.get("headers", []))
    problems = mapping_problems(headers, fields)
    if duplicate_mode not in DuplicateMode.values:
        problems["duplicate_mode"] = ["Choose what to do with duplicates."]
    if problems:
        raise ValidationError(problems)
    mapping = {"headers": headers, "fields": list(fields)}
    started = ContactImport.objects.filter(
        firm=firm, pk=contact_import.pk, status=ImportStatus.MAPPING
    ).update(status=ImportStatus.QUEUED, mapping=mapping, duplicate_mode=duplicate_mode)
    if not started:
        raise ApplicationError("This import has already been started.", "started")
    contact_import.status = ImportStatus.QUEUED
    contact_import.mapping = mapping
    contact_import.duplicate_mode = duplicate_mode
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.UPDATE,
        subject=contact_import,
        changes={
            "status": [ImportStatus.MAPPING, ImportStatus.QUEUED],
            "mapping": [None, mapping_summary(headers, fields)],
            "duplicate_mode": [None, duplicate_mode],
        },
    )
    logger.info("Import %s queued by user %s", contact_import.pk, actor and actor.pk)
    _enqueue(firm, contact_import)
    return contact_import


@transaction.atomic
def contact_import_restart(
    *, firm: Firm, actor: User | None, contact_import: ContactImport
) -> ContactImport:
    """Queue a stalled import again; its run carries on after the rows done (B5).

    Only a RUNNING import whose worker has sent no heartbeat for
    ``STALL_AFTER`` moves back to QUEUED, in one conditional update, so two
    clicks, or a worker that was only slow, cannot queue it twice. Its counts
    are kept: the run skips the rows they cover, so no row is imported twice.
    """
    ensure_same_firm(firm, contact_import)
    cutoff = timezone.now() - STALL_AFTER
    stale = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff)
    restarted = (
        ContactImport.objects.filter(
            firm=firm, pk=contact_import.pk, status=ImportStatus.RUNNING
        )
        .filter(stale)
        .update(status=ImportStatus.QUEUED)
    )
    if not restarted:
        raise ApplicationError(
            "This import is not stalled, so it cannot be restarted. Reload the "
            "page to see where it is.",
            "not_stalled",
        )
    contact_import.refresh_from_db()
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.STATUS_CHANGE,
        subject=contact_import,
        changes={
            "status": [ImportStatus.RUNNING, ImportStatus.QUEUED],
            "last_heartbeat": [None, contact_import.heartbeat_at],
            "rows_done": [None, contact_import.processed_rows],
        },
    )
    logger.info(
        "Import %s restarted by user %s after row %s",
        contact_import.pk,
        actor and actor.pk,
        contact_import.processed_rows,
    )
    _enqueue(firm, contact_import)
    return contact_import


def _enqueue(firm: Firm, contact_import: ContactImport) -> None:
    """Queue the import's job once the transaction commits."""
    ids = {"firm_id": firm.pk, "contact_import_id": contact_import.pk}
    transaction.on_commit(lambda: jobs.contact_import_job.enqueue(**ids))
