"""The run of a contact import: the queued file's rows, batch by batch (B5).

The run reads the stored file as a stream and works in batches of
``BATCH_SIZE`` non-blank rows, in file order. Each batch costs a fixed number
of queries whatever its content: one lookup of existing contacts by e-mail,
one by mobile, then bulk inserts and updates, and one update of the progress
counters and the heartbeat. Each batch commits on its own, with that update in
the same transaction, so the progress page sees it, a failure keeps the
batches before it, and ``processed_rows`` always counts exactly the rows whose
contacts are committed.

That makes a restarted run safe (``contact_import_restart``): it skips the
first ``processed_rows`` rows and carries on. The progress update only
applies while the import is RUNNING with the count this run expects, so a
worker that lost the import to a restart commits nothing more.
"""

import csv
import logging
from contextlib import closing
from typing import Any

from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from crm.contacts import renames
from crm.contacts.choices import (
    ContactEventType,
    ContactKind,
    DuplicateMode,
    ImportStatus,
)
from crm.contacts.forms_import import ImportRow, missing_name, new_contact_kind
from crm.contacts.models import Contact, ContactImport, ContactImportError
from crm.contacts.normalise import normalise_phone
from crm.contacts.selectors.imports import csv_records
from crm.contacts.services.consents import consent_rows_imported
from crm.contacts.services.contacts import apply_normalised
from crm.contacts.services.import_counts import ImportCounts
from crm.core import events
from crm.core.choices import AuditVerb
from crm.firms.models import Firm

logger = logging.getLogger(__name__)

BATCH_SIZE = 500

_NORMALISED = ["email_norm", "email_key", "mobile_norm", "phone_norm", "sort_name"]
_NORMALISED.append("search_name")
EMAIL_TAKEN = "Another contact already has this e-mail address (A10)."


class _Superseded(Exception):
    """The import is no longer this run's: it was restarted, or another run moved on."""


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
        # Contacts (by id()) whose marketing consent this batch gave or withdrew.
        self.consent_changed: set[int] = set()
        # Existing contacts (by pk) whose sort name this batch changed.
        self.renamed: set[int] = set()
        # A restarted run carries on from what earlier runs committed.
        self.counts = ImportCounts.of(contact_import)
        self.position = 0
        try:
            url = reverse("contacts:import_detail", args=[contact_import.pk])
        except NoReverseMatch:
            url = ""
        self.link = url

    def run(self) -> None:
        """Read the stored file and import the rows not yet processed, in batches."""
        ci = self.contact_import
        done = self.counts.processed
        with (
            ci.file.storage.open(ci.file.name, "rb") as binary,
            closing(csv_records(binary)) as records,
        ):
            next(records, None)
            batch: list[tuple[int, list[str]]] = []
            seen = 0
            for number, cells in enumerate(records, start=2):
                if not cells:
                    continue
                seen += 1
                if seen <= done:
                    continue
                batch.append((number, cells))
                if len(batch) == BATCH_SIZE:
                    self._commit(batch)
                    batch = []
            if batch:
                self._commit(batch)

    def _commit(self, rows: list[tuple[int, list[str]]]) -> None:
        """Write one batch and its progress in one transaction, or nothing."""
        self.position = rows[0][0]
        with transaction.atomic():
            counts = self.counts + self._batch(rows)
            moved = ContactImport.objects.filter(
                firm=self.firm,
                pk=self.contact_import.pk,
                status=ImportStatus.RUNNING,
                processed_rows=self.counts.processed,
            ).update(heartbeat_at=timezone.now(), **counts.as_fields())
            if not moved:
                raise _Superseded
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

    def _batch(self, rows: list[tuple[int, list[str]]]) -> ImportCounts:
        counts = ImportCounts(processed=len(rows))
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
            email = values.get("email", "")
            holder = (
                (matches.get(f"e:{email}") or in_file.get(f"e:{email}"))
                if email
                else None
            )
            if holder is not None and holder is not target:
                errors.append(self._error(number, cells, EMAIL_TAKEN))
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
        # Their cases keep the main applicant's sort name: one UPDATE.
        renames.run(firm=self.firm, contact_ids=self.renamed)
        self.renamed.clear()
        consent_rows_imported(
            firm=self.firm,
            actor=self.actor,
            contacts=[c for c, _ in touched.values() if id(c) in self.consent_changed],
            at=self.now,
        )
        self.consent_changed.clear()
        new = {id(c) for c in created}
        name = self.contact_import.original_name
        events.record_timeline(
            firm=self.firm,
            actor=self.actor,
            type=ContactEventType.IMPORTED,
            entries=[
                events.TimelineEntry(
                    contact=contact,
                    summary=f"{'Created' if id(contact) in new else 'Updated'} from "
                    f"{name}, row {number}",
                    link=self.link,
                    params={"import_id": self.contact_import.pk, "row": number},
                )
                for contact, number in touched.values()
            ],
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
            self.consent_changed.add(id(contact))
        apply_normalised(contact)
        contact.email_key = contact.email_norm or None
        return contact

    def _apply(self, contact: Contact, values: dict[str, Any]) -> None:
        """Overwrite ``contact``'s fields with the row's non-blank values."""
        consent_before = contact.marketing_consent
        email_before = contact.email_norm
        sort_before = contact.sort_name
        for field, value in values.items():
            setattr(contact, field, value)
        if contact.marketing_consent and not consent_before:
            contact.marketing_consent_at = self.now
        if contact.marketing_consent != consent_before:
            self.consent_changed.add(id(contact))
        if contact.kind == ContactKind.ORGANISATION:
            contact.organisation = None
        apply_normalised(contact)
        if contact.email_norm != email_before:
            contact.email_key = contact.email_norm or None
        if contact.pk is not None and contact.sort_name != sort_before:
            self.renamed.add(contact.pk)
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
        kept = (
            f"({c.created:,} created, {c.updated:,} updated, {c.skipped:,} skipped "
            f"as duplicates, {c.errors:,} rejected)"
        )
        if not self.position:
            # A restarted run that failed before its first batch.
            return (
                f"The import stopped: {cause}. The first {c.processed:,} rows "
                f"were imported and are kept {kept}; the rows after them were "
                "not imported."
            )
        return (
            f"The import stopped at row {self.position}: {cause}. The "
            f"{c.processed:,} rows before it were imported and are kept {kept}; "
            f"row {self.position} and the rows after it were not imported."
        )


def contact_import_run(
    *, firm: Firm, contact_import: ContactImport, retaken: bool = False
) -> ContactImport:
    """Import a queued file's rows as contacts, then record one audit event (B5).

    Not atomic as a whole on purpose: each batch commits, so progress shows
    and a failure keeps what was imported (and says so). A second call for
    the same import does nothing: the run starts only if it can move the
    import from QUEUED to RUNNING. A restarted import is queued again with
    its counts kept, and the run skips the rows they cover. ``retaken``: the
    job's worker was lost (its lease expired) and this is the job run again,
    so the RUNNING import is this job's and carries on the same way.
    """
    now = timezone.now()
    mine = [ImportStatus.QUEUED, *([ImportStatus.RUNNING] if retaken else [])]
    claimed = ContactImport.objects.filter(
        firm=firm, pk=contact_import.pk, status__in=mine
    ).update(
        status=ImportStatus.RUNNING,
        started_at=Coalesce(F("started_at"), Value(now, output_field=DateTimeField())),
        heartbeat_at=now,
    )
    contact_import.refresh_from_db()
    if not claimed:
        logger.warning("Import %s was not queued; not run again.", contact_import.pk)
        return contact_import
    run = _Run(firm, contact_import)
    outcome = {"status": ImportStatus.DONE, "failure": ""}
    try:
        run.run()
    except _Superseded:
        logger.warning("Import %s was restarted; this run stops.", contact_import.pk)
        contact_import.refresh_from_db()
        return contact_import
    except Exception as exc:
        logger.exception("Import %s failed at row %s", contact_import.pk, run.position)
        outcome = {"status": ImportStatus.FAILED, "failure": run.failure(exc)}
    finished = ContactImport.objects.filter(
        firm=firm,
        pk=contact_import.pk,
        status=ImportStatus.RUNNING,
        processed_rows=run.counts.processed,
    ).update(finished_at=timezone.now(), **run.counts.as_fields(), **outcome)
    contact_import.refresh_from_db()
    if not finished:
        logger.warning("Import %s was restarted; this run stops.", contact_import.pk)
        return contact_import
    counts = run.counts
    events.record(
        firm=firm,
        actor=contact_import.created_by,
        verb=AuditVerb.CREATE,
        subject=contact_import,
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
