"""Subject access archives (SPEC M2)."""

import io
import json
import zipfile

import pytest

from crm.cases.tests.factories import DocumentFactory, make_case
from crm.compliance import selectors, services
from crm.compliance.choices import ExportStatus
from crm.compliance.models import SubjectAccessExport
from crm.compliance.tests.factories import SubjectAccessExportFactory
from crm.contacts import services as contact_services
from crm.contacts.choices import ConsentKind, ConsentSource
from crm.contacts.tests.factories import ContactFactory
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.interactions.tests.factories import NoteFactory
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(firm):
    """A joint case of Alice and Bob, each with their own records."""
    alice = ContactFactory(
        firm=firm, first_name="Alice", last_name="Applicant", email="alice@ex.com"
    )
    bob = ContactFactory(
        firm=firm, first_name="Bobby", last_name="Otherperson", email="bob@ex.com"
    )
    case = make_case(firm, applicants=[alice, bob])
    NoteFactory(contact=alice, notes="Alice prefers mornings.")
    NoteFactory(contact=bob, notes="Bobby has a secret hobby.")
    TaskFactory(firm=firm, contact=bob, title="Call Bobby about his payslips")
    DocumentFactory(case=case, contact=alice, original_name="alice-passport.pdf")
    DocumentFactory(case=case, contact=bob, original_name="bob-payslip.pdf")
    DocumentFactory(case=case, original_name="joint-offer.pdf")
    contact_services.consent_record(
        firm=firm,
        actor=None,
        contact=alice,
        kind=ConsentKind.MARKETING,
        given=True,
        text_version="marketing-2026-01",
        source=ConsentSource.STAFF,
    )
    return alice, bob, case


def _archive(export):
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_archive_holds_every_record_of_the_contact_and_nothing_of_the_joint_applicant(
    firm, owner, joint, django_capture_on_commit_callbacks
):
    """SPEC M2: JSON of every linked record, their documents and a PDF; the
    joint applicant's own notes, tasks, documents and details stay out."""
    alice, _bob, case = joint
    with django_capture_on_commit_callbacks(execute=True):
        export = services.subject_access_start(
            firm=firm, actor=owner.user, contact=alice
        )
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.progress == 100
    archive = _archive(export)
    names = archive.namelist()
    assert {"README.txt", "records.json", "summary.pdf"} <= set(names)
    assert any(n.endswith("alice-passport.pdf") for n in names)
    assert not any("bob" in n or "joint-offer" in n for n in names)
    assert archive.read("summary.pdf").startswith(b"%PDF")
    body = json.loads(archive.read("records.json"))
    text = archive.read("records.json").decode()
    records = body["records"]
    assert records["contacts.contact"][0]["email"] == "alice@ex.com"
    assert records["interactions.interaction"][0]["notes"] == "Alice prefers mornings."
    assert records["contacts.consentrecord"][0]["text_version"] == "marketing-2026-01"
    assert body["cases"][0]["reference"] == case.reference
    assert body["cases"][0]["your_position"] == "main applicant"
    assert body["withheld_documents"] == 1
    for word in ("Bobby", "Otherperson", "bob@ex.com", "secret hobby", "bob-payslip"):
        assert word not in text
    assert "password" not in text


def test_starting_an_export_is_audited(firm, owner, joint):
    """SPEC M2: the request and each download are in the audit log."""
    alice, _bob, _case = joint
    services.subject_access_start(firm=firm, actor=owner.user, contact=alice)
    assert AuditEvent.objects.filter(
        firm=firm, verb=AuditVerb.EXPORT, object_id=str(alice.pk)
    ).exists()


def test_a_sole_clients_case_documents_are_included(firm):
    """SPEC M2: a sole client gets their case's unassigned documents."""
    case = make_case(firm)
    contact = case.applicants.get().contact
    DocumentFactory(case=case, original_name="offer.pdf")
    data = selectors.subject_data(firm=firm, contact=contact)
    assert [d.original_name for d in data.documents] == ["offer.pdf"]
    assert data.withheld_documents == 0


def test_export_page_polls_until_ready_then_offers_the_download(
    owner_client, firm, joint, django_capture_on_commit_callbacks
):
    """SPEC M2: progress shows through htmx polling; the download is audited."""
    alice, _bob, _case = joint
    queued = SubjectAccessExportFactory(
        contact=alice, status=ExportStatus.QUEUED, progress=0, file=""
    )
    page = owner_client.get(f"/subject-access/{queued.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    fragment = owner_client.get(
        f"/subject-access/{queued.pk}/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment
    assert 'id="export-progress"' in fragment
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/clients/{alice.pk}/subject-access/")
    export = SubjectAccessExport.objects.filter(firm=firm, contact=alice).first()
    assert export is not None
    assert response.status_code == 302
    assert response["Location"] == f"/subject-access/{export.pk}/"
    page = owner_client.get(f"/subject-access/{export.pk}/").content.decode()
    assert "every 1s" not in page
    assert "Download the archive" in page
    download = owner_client.get(f"/subject-access/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert AuditEvent.objects.filter(
        firm=firm, changes__has_key="subject_access_downloaded"
    ).exists()


def test_download_of_an_unfinished_export_is_404(owner_client, firm):
    """A queued archive has no file yet: the download answers 404."""
    export = SubjectAccessExportFactory(
        contact=ContactFactory(firm=firm), status=ExportStatus.QUEUED, file=""
    )
    assert owner_client.get(f"/subject-access/{export.pk}/download/").status_code == 404


def test_export_needs_the_export_permission(firm, login, read_only):
    """SPEC A4: only members who may export data prepare an archive."""
    contact = ContactFactory(firm=firm)
    client = login(read_only)
    assert client.post(f"/clients/{contact.pk}/subject-access/").status_code == 403
