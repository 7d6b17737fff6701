"""Importing contacts from a CSV file: upload, column mapping, the batch run (B5).

The run reads the stored file as a stream and works in batches of
``BATCH_SIZE`` rows. Each batch costs a fixed number of queries whatever its
content: one lookup of existing contacts by e-mail, one by mobile, then bulk
inserts and updates, and one update of the progress counters. Each batch
commits on its own, so the progress page sees it and a failure keeps the
batches before it.
"""

import csv
import logging
import uuid
from contextlib import closing
from dataclasses import astuple, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from crm.contacts import jobs
from crm.contacts.choices import (
    ContactEventType,
    ContactKind,
    DuplicateMode,
    ImportStatus,
)
from crm.contacts.forms_import import (
    FIELD_LABELS,
    IMPORT_FIELDS,
    ImportRow,
    missing_name,
    new_contact_kind,
)
from crm.contacts.models import Contact, ContactEvent, ContactImport, ContactImportError
from crm.contacts.normalise import normalise_phone
from crm.contacts.selectors.imports import csv_inspect, csv_records, file_error
from crm.contacts.services.contacts import apply_normalised
from crm.core.audit import audit_record
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.firms.models import Firm, User

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
BATCH_SIZE = 500

IDENTITY_FIELDS = {"first_name", "last_name", "organisation_name", "email"}
_NORMALISED = ["email_norm", "mobile_norm", "phone_norm", "sort_name", "search_name"]


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
    if contact_import.firm_id != firm.pk:
        raise ApplicationError("That import is not in this firm.", "not_found")
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
    logger.info("Import %s queued by user %s", contact_import.pk, actor and actor.pk)
    ids = {"firm_id": firm.pk, "contact_import_id": contact_import.pk}
    transaction.on_commit(lambda: jobs.contact_import_job.enqueue(**ids))
    return contact_import


@dataclass
class _Counts:
    processed: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0

    def __add__(self, other: "_Counts") -> "_Counts":
        return _Counts(
            *(a + b for a, b in zip(astuple(self), astuple(other), strict=True))
        )

    def as_fields(self) -> dict[str, int]:
        return {
            "processed_rows": self.processed,
            "created_count": self.created,
            "updated_count": self.updated,
            "skipped_count": self.skipped,
            "error_count": self.errors,
        }


# The run


class _Run:
    """One run of an import over its file, batch by batch."""

    def __init__(self, firm: Firm, contact_import: ContactImport) -> None:
        self.firm = firm
        self.contact_import = contact_import
        self.actor = contact_import.created_by
        headers = contact_import.mapping.get("headers", [])
        fields = contact_import.mapping.get("fields") or [""] * len(headers)
        self.row = ImportRow(headers, fields)
        self.update = contact_import.duplicate_mode == DuplicateMode.UPDATE
        mapped = {f for f in fields if f}
        if "kind" in mapped:
            mapped.add("organisation")
        self.update_fields = (
            sorted(mapped | {"email", "postcode", "updated_at", "marketing_consent_at"})
            + _NORMALISED
        )
        self.now = timezone.now()
        self.counts = _Counts()
        self.position = 0
        try:
            url = reverse("contacts:import_detail", args=[contact_import.pk])
        except NoReverseMatch:
            url = ""
        self.link = url

    def run(self) -> None:
        """Read the stored file and import it in batches."""
        ci = self.contact_import
        with (
            ci.file.storage.open(ci.file.name, "rb") as binary,
            closing(csv_records(binary)) as records,
        ):
            next(records, None)
            batch: list[tuple[int, list[str]]] = []
            for number, cells in enumerate(records, start=2):
                if cells:
                    batch.append((number, cells))
                if len(batch) == BATCH_SIZE:
                    self._commit(batch)
                    batch = []
            if batch:
                self._commit(batch)

    def _commit(self, rows: list[tuple[int, list[str]]]) -> None:
        self.position = rows[0][0]
        with transaction.atomic():
            counts = self.counts + self._batch(rows)
            ContactImport.objects.filter(
                firm=self.firm, pk=self.contact_import.pk
            ).update(**counts.as_fields())
        self.counts = counts

    def _existing(
        self, column: str, keys: set[str], known: dict[int, Contact]
    ) -> dict[str, Contact]:
        """Return the contacts whose ``column`` is one of ``keys``, in one query."""
        found: dict[str, Contact] = {}
        if keys:
            qs = Contact.objects.filter(firm=self.firm, **{f"{column}__in": keys})
            for contact in qs.order_by("id"):
                found.setdefault(
                    getattr(contact, column), known.setdefault(contact.pk, contact)
                )
        return found

    def _batch(self, rows: list[tuple[int, list[str]]]) -> _Counts:
        counts = _Counts(processed=len(rows))
        errors: list[ContactImportError] = []
        accepted: list[tuple[int, list[str], dict[str, Any]]] = []
        for number, cells in rows:
            values, problem = self.row.clean(cells)
            if problem:
                errors.append(self._error(number, cells, problem))
            else:
                accepted.append((number, cells, values))
        known: dict[int, Contact] = {}
        emails = {v["email"] for *_, v in accepted if v.get("email")}
        mobiles = {
            normalise_phone(v["mobile"]) for *_, v in accepted if v.get("mobile")
        }
        matches = {
            **{
                f"m:{k}": c
                for k, c in self._existing("mobile_norm", mobiles, known).items()
            },
            **{
                f"e:{k}": c
                for k, c in self._existing("email_norm", emails, known).items()
            },
        }
        in_file: dict[str, Contact] = {}
        touched: dict[int, tuple[Contact, int]] = {}
        for number, cells, values in accepted:
            keys = [
                f"e:{values.get('email', '')}",
                f"m:{normalise_phone(values.get('mobile', ''))}",
            ]
            target = next(
                (m[k] for m in (matches, in_file) for k in keys if k in m and k[2:]),
                None,
            )
            if target is not None and not self.update:
                counts.skipped += 1
                continue
            problem = missing_name(self._merged(target, values))
            if problem:
                errors.append(self._error(number, cells, problem))
                continue
            if target is None:
                target = self._new(values)
                counts.created += 1
            else:
                self._apply(target, values)
                counts.updated += 1
            touched.setdefault(id(target), (target, number))
            in_file.update(
                {f"e:{target.email_norm}": target, f"m:{target.mobile_norm}": target}
            )
        self._write(touched, errors)
        counts.errors = len(errors)
        return counts

    def _write(
        self, touched: dict[int, tuple[Contact, int]], errors: list[ContactImportError]
    ) -> None:
        """Save the batch's contacts, their timeline entries and rejected rows."""
        created = [c for c, _ in touched.values() if c.pk is None]
        updated = [c for c, _ in touched.values() if c.pk is not None]
        Contact.objects.bulk_create(created)
        if updated:
            Contact.objects.bulk_update(updated, self.update_fields)
        new = {id(c) for c in created}
        name = self.contact_import.original_name
        ContactEvent.objects.bulk_create(
            ContactEvent(
                firm=self.firm,
                contact=contact,
                type=ContactEventType.IMPORTED,
                actor=self.actor,
                summary=f"{'Created' if id(contact) in new else 'Updated'} from "
                f"{name}, row {number}"[:300],
                link=self.link,
                parameters={"import_id": self.contact_import.pk, "row": number},
            )
            for contact, number in touched.values()
        )
        ContactImportError.objects.bulk_create(errors)

    def _merged(self, target: Contact | None, values: dict[str, Any]) -> dict[str, Any]:
        """Return the name fields the contact will have after this row."""
        if target is None:
            return {**values, "kind": new_contact_kind(values)}
        names = ("kind", "first_name", "last_name", "organisation_name")
        return {n: values.get(n, getattr(target, n)) for n in names}

    def _new(self, values: dict[str, Any]) -> Contact:
        contact = Contact(firm=self.firm, created_by=self.actor, **values)
        contact.kind = new_contact_kind(values)
        if contact.marketing_consent:
            contact.marketing_consent_at = self.now
        apply_normalised(contact)
        return contact

    def _apply(self, contact: Contact, values: dict[str, Any]) -> None:
        """Overwrite ``contact``'s fields with the row's non-blank values."""
        consent_before = contact.marketing_consent
        for field, value in values.items():
            setattr(contact, field, value)
        if contact.marketing_consent and not consent_before:
            contact.marketing_consent_at = self.now
        if contact.kind == ContactKind.ORGANISATION:
            contact.organisation = None
        apply_normalised(contact)
        contact.updated_at = self.now

    def _error(self, number: int, cells: list[str], reason: str) -> ContactImportError:
        return ContactImportError(
            firm=self.firm,
            contact_import=self.contact_import,
            row_number=number,
            reason=reason[:300],
            data=self.row.data(cells),
        )

    def failure(self, exc: Exception) -> str:
        """Return what went wrong and what was kept, for the import page."""
        if isinstance(exc, FileNotFoundError):
            cause = "the uploaded file is no longer in storage"
        elif isinstance(exc, UnicodeDecodeError | csv.Error):
            cause = f"the file could not be read ({exc})"
        else:
            cause = f"an unexpected error ({type(exc).__name__})"
        c = self.counts
        if not c.processed:
            return f"The import stopped before any row was imported: {cause}."
        return (
            f"The import stopped at row {self.position}: {cause}. The "
            f"{c.processed:,} rows before it were imported and are kept "
            f"({c.created:,} created, {c.updated:,} updated, {c.skipped:,} skipped "
            f"as duplicates, {c.errors:,} rejected); row {self.position} and the "
            "rows after it were not imported."
        )


def contact_import_run(*, firm: Firm, contact_import: ContactImport) -> ContactImport:
    """Import a queued file's rows as contacts, then record one audit event (B5).

    Not atomic as a whole on purpose: each batch commits, so progress shows
    and a failure keeps what was imported (and says so). A second call for
    the same import does nothing: the run starts only if it can move the
    import from QUEUED to RUNNING.
    """
    claimed = ContactImport.objects.filter(
        firm=firm, pk=contact_import.pk, status=ImportStatus.QUEUED
    ).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        logger.warning("Import %s was not queued; not run again.", contact_import.pk)
        contact_import.refresh_from_db()
        return contact_import
    run = _Run(firm, contact_import)
    outcome = {"status": ImportStatus.DONE, "failure": ""}
    try:
        run.run()
    except Exception as exc:
        logger.exception("Import %s failed at row %s", contact_import.pk, run.position)
        outcome = {"status": ImportStatus.FAILED, "failure": run.failure(exc)}
    ContactImport.objects.filter(firm=firm, pk=contact_import.pk).update(
        finished_at=timezone.now(), **run.counts.as_fields(), **outcome
    )
    contact_import.refresh_from_db()
    counts = run.counts
    audit_record(
        firm=firm,
        actor=contact_import.created_by,
        verb=AuditVerb.CREATE,
        obj=contact_import,
        changes={
            "status": [None, contact_import.status],
            "rows": [None, counts.processed],
            "created": [None, counts.created],
            "updated": [None, counts.updated],
            "skipped": [None, counts.skipped],
            "rejected": [None, counts.errors],
        },
    )
    return contact_import
