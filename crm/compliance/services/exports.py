"""Subject access exports (SPEC M2): queue, build in the background, download.

The job (``crm.compliance.jobs``) calls :func:`subject_access_build`, which
saves its progress as it goes, so the page polling the export shows it.
"""

import json
import tempfile
import zipfile
from pathlib import PurePath

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from crm.compliance import jobs, selectors
from crm.compliance.choices import ExportStatus
from crm.compliance.models import SubjectAccessExport
from crm.compliance.pdf import summary_pdf
from crm.contacts.models import Contact
from crm.core import events
from crm.core.audit import plain
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

README = """Subject access archive

records.json   every record we hold about you, in full
summary.pdf    a readable summary of those records
documents/     your documents, as they were filed

Records about other people (such as a joint applicant's own details,
documents and answers) are not included.
"""


@transaction.atomic
def subject_access_start(
    *, firm: Firm, actor: User | None, contact: Contact
) -> SubjectAccessExport:
    """Queue a subject access archive of ``contact``; the audit log records it."""
    ensure_same_firm(firm, contact)
    if contact.erased_at is not None:
        raise ApplicationError(
            "This client's personal data has been erased; there is nothing to export.",
            "erased",
        )
    export = SubjectAccessExport(firm=firm, contact=contact, requested_by=actor)
    export.full_clean(exclude=["contact", "requested_by", "firm"])
    export.save()
    events.record(
        firm=firm,
        actor=actor,
        audit_obj=contact,
        verb=AuditVerb.EXPORT,
        changes={"subject_access_export": [None, export.pk]},
    )
    ids = {"firm_id": firm.pk, "export_id": export.pk}
    transaction.on_commit(lambda: jobs.subject_access_export_job.enqueue(**ids))
    return export


def _progress(export: SubjectAccessExport, progress: int, step: str) -> None:
    export.status = ExportStatus.RUNNING
    export.progress = progress
    export.step = step
    export.save(update_fields=["status", "progress", "step"])


def _document_name(number: int, original: str) -> str:
    name = PurePath(original).name.replace("/", "_") or "document"
    return f"documents/{number:03d}-{name}"


def subject_access_build(
    *, firm: Firm, export: SubjectAccessExport
) -> SubjectAccessExport:
    """Build ``export``'s ZIP archive, saving progress after each step.

    Each step commits on its own, so a page polling the export sees it move.
    A failure marks the export failed with the reason, and re-raises.
    """
    ensure_same_firm(firm, export)
    try:
        _progress(export, 5, "Gathering records")
        data = selectors.subject_data(firm=firm, contact=export.contact)
        _progress(export, 30, "Writing the summary")
        pdf = summary_pdf(data, firm_name=firm.name)
        body = {
            "generated_at": plain(timezone.now()),
            "firm": firm.name,
            "subject": export.contact.display_name,
            "records": data.records,
            "cases": data.cases,
            "withheld_documents": data.withheld_documents,
        }
        with tempfile.TemporaryFile() as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("README.txt", README)
                archive.writestr(
                    "records.json", json.dumps(body, indent=2, ensure_ascii=False)
                )
                archive.writestr("summary.pdf", pdf)
                total = max(len(data.documents), 1)
                for number, document in enumerate(data.documents, start=1):
                    _progress(
                        export,
                        40 + 50 * number // total,
                        f"Adding document {number} of {len(data.documents)}",
                    )
                    try:
                        with document.file.open("rb") as source:
                            archive.writestr(
                                _document_name(number, document.original_name),
                                source.read(),
                            )
                    except FileNotFoundError:
                        archive.writestr(
                            _document_name(number, document.original_name)
                            + ".missing.txt",
                            "The stored file of this document could not be found.",
                        )
            handle.seek(0)
            name = f"subject-access-{export.contact_id}-{export.pk}.zip"
            export.file.save(name, File(handle), save=False)
            export.size = handle.tell()
        export.status = ExportStatus.DONE
        export.progress = 100
        export.step = "Ready"
        export.finished_at = timezone.now()
        export.save(
            update_fields=["status", "progress", "step", "file", "size", "finished_at"]
        )
    except Exception as exc:
        export.status = ExportStatus.FAILED
        export.error = f"{type(exc).__name__}: {exc}"[:300]
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        raise
    return export


@transaction.atomic
def subject_access_download_record(
    *, firm: Firm, actor: User | None, export: SubjectAccessExport
) -> None:
    """Write the audit event for a member downloading ``export``'s archive."""
    ensure_same_firm(firm, export)
    events.record(
        firm=firm,
        actor=actor,
        audit_obj=export.contact,
        verb=AuditVerb.EXPORT,
        changes={"subject_access_downloaded": [None, export.pk]},
    )
