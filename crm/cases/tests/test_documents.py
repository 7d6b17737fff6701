"""The document store (SPEC D5): upload, limits, list, download and delete."""

from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Engine
from django.urls import reverse

from crm.cases import services
from crm.cases.choices import CaseContactEventType, CaseEventType, DocumentType
from crm.cases.models import CaseEvent, Document
from crm.cases.selectors import documents as selectors
from crm.cases.tests.factories import DocumentFactory, make_case
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
NEXT = "/back-here/"


def upload_file(name="payslip.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def post_upload(client, url, *, name="payslip.pdf", content=PDF, doc_type="payslip"):
    return client.post(
        url,
        {"file": upload_file(name, content), "document_type": doc_type, "next": NEXT},
    )


def shown(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def case_url(case):
    return reverse("cases:document_upload_case", args=[case.pk])


def contact_url(contact):
    return reverse("cases:document_upload_contact", args=[contact.pk])


@pytest.fixture
def case(firm):
    return make_case(firm, applicants=[ContactFactory(firm=firm)])


# Upload


def test_upload_to_case_stores_file_under_random_name(adviser_client, adviser, case):
    """Uploading to a case stores the file, its history and the clients' timeline."""
    response = post_upload(adviser_client, case_url(case), name="My Payslip.pdf")

    assert response.status_code == 302
    assert response["Location"] == NEXT
    assert shown(response) == ["Uploaded My Payslip.pdf."]
    document = Document.objects.get()
    assert document.case == case
    assert document.contact is None
    assert document.original_name == "My Payslip.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert document.uploaded_by == adviser.user
    assert "Payslip" not in document.file.name
    assert document.file.name.endswith(".pdf")
    assert default_storage.open(document.file.name).read() == PDF
    event = CaseEvent.objects.get(case=case, type=CaseEventType.DOCUMENT_ADDED)
    assert event.parameters["name"] == "My Payslip.pdf"
    applicant = case.applicants.get().contact
    assert ContactEvent.objects.filter(
        contact=applicant, type=CaseContactEventType.DOCUMENT
    ).exists()
    assert AuditEvent.objects.filter(
        verb=AuditVerb.CREATE, object_type="cases.document", object_id=str(document.pk)
    ).exists()


def test_upload_to_contact(adviser_client, firm):
    """Uploading to a client record attaches the file to the client."""
    contact = ContactFactory(firm=firm)

    response = post_upload(
        adviser_client, contact_url(contact), name="id.png", content=PNG, doc_type="id"
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.contact == contact
    assert document.case is None
    assert document.document_type == DocumentType.ID
    assert document.content_type == "image/png"
    assert ContactEvent.objects.filter(
        contact=contact, type=CaseContactEventType.DOCUMENT
    ).exists()


def test_upload_redirects_to_record_without_next(adviser_client, firm):
    """Without a ``next`` the upload goes back to the record's Documents section."""
    contact = ContactFactory(firm=firm)
    response = adviser_client.post(
        contact_url(contact), {"file": upload_file(), "document_type": "payslip"}
    )
    assert response["Location"] == f"{contact.get_absolute_url()}#documents"


def test_too_big_file_is_refused_with_its_size(firm, adviser, case):
    """A file over 20 MB is refused, saying how big it is."""
    upload = ContentFile(PDF, name="statement.pdf")
    upload.size = int(23.4 * 1024 * 1024)

    with pytest.raises(
        ApplicationError, match=r"^That file is 23\.4 MB; the limit is 20 MB\.$"
    ):
        services.document_upload(
            firm=firm,
            actor=adviser.user,
            upload=upload,
            document_type="payslip",
            case=case,
        )
    assert Document.objects.count() == 0


def test_wrong_type_is_refused(adviser_client, case):
    """A file type outside the list is refused with the list in words."""
    response = post_upload(adviser_client, case_url(case), name="setup.exe")

    assert response.status_code == 302
    assert shown(response) == [
        "The document was not uploaded. Casework accepts PDF, images (JPG, PNG, "
        "HEIC), Word, Excel, text and CSV files."
    ]
    assert Document.objects.count() == 0


def test_pdf_that_is_not_a_pdf_is_refused(adviser_client, case):
    """A file named .pdf whose first bytes are not a PDF's is refused."""
    response = post_upload(
        adviser_client, case_url(case), name="offer.pdf", content=b"MZ\x90\x00 hello"
    )

    [message] = shown(response)
    assert "offer.pdf is not really a PDF file" in message
    assert Document.objects.count() == 0


def test_empty_file_is_refused(adviser_client, case):
    """An empty file is refused."""
    response = post_upload(adviser_client, case_url(case), name="p60.pdf", content=b"")

    [message] = shown(response)
    assert message.startswith("The document was not uploaded.")
    assert Document.objects.count() == 0


def test_missing_file_is_refused(adviser_client, case):
    """A form sent without a file comes back as a message."""
    response = adviser_client.post(
        case_url(case), {"document_type": "payslip", "next": NEXT}
    )

    assert shown(response) == ["Choose a file to upload."]
    assert Document.objects.count() == 0


def test_missing_type_is_refused(adviser_client, case):
    """A file sent without a document type comes back as a message."""
    response = post_upload(adviser_client, case_url(case), doc_type="")

    assert shown(response) == ["The document was not uploaded. Choose a document type."]
    assert Document.objects.count() == 0


def test_text_and_office_files_are_accepted_by_extension(firm, adviser, case):
    """Formats without a reliable signature are accepted by extension."""
    for name in ("notes.txt", "income.xlsx", "letter.docx", "photo.heic"):
        services.document_upload(
            firm=firm,
            actor=adviser.user,
            upload=ContentFile(b"some content", name=name),
            document_type="other",
            case=case,
        )
    assert Document.objects.count() == 4


def test_upload_to_other_firms_case_is_refused(firm, other_firm, adviser):
    """The service refuses a case of another firm."""
    other = make_case(other_firm)
    with pytest.raises(ApplicationError, match="not in this firm"):
        services.document_upload(
            firm=firm,
            actor=adviser.user,
            upload=ContentFile(PDF, name="a.pdf"),
            document_type="payslip",
            case=other,
        )


# List


def test_list_is_newest_first_and_per_record(firm, case):
    """A case's documents are listed newest first; others are not included."""
    older = DocumentFactory(case=case, original_name="older.pdf")
    newer = DocumentFactory(case=case, original_name="newer.pdf")
    DocumentFactory(case=make_case(firm))

    assert list(selectors.document_list_for(firm=firm, case=case)) == [newer, older]


def test_list_of_contact(firm):
    """A client's list holds the files uploaded to the client record."""
    contact = ContactFactory(firm=firm)
    mine = DocumentFactory(case=None, contact=contact, firm=firm)

    assert list(selectors.document_list_for(firm=firm, contact=contact)) == [mine]


def render_partial(request, context):
    """Render the partial alone, without the layout's context processors."""
    template = Engine.get_default().get_template("cases/_documents.html")
    return template.render(Context({"request": request, **context}))


def test_partial_renders_list_in_one_query(
    firm, adviser, case, django_assert_num_queries
):
    """The Documents section costs one query whatever the number of rows."""
    for _ in range(3):
        DocumentFactory(case=case, uploaded_by=adviser.user)
    request = SimpleNamespace(membership=adviser, get_full_path=lambda: "/cases/1/")

    with django_assert_num_queries(1):
        context = {
            "case": case,
            **selectors.document_section(firm=firm, case=case),
        }
        html = render_partial(request, context)

    assert html.count("payslip.pdf</a>") == 3
    assert adviser.user.full_name in html
    assert 'enctype="multipart/form-data"' in html
    assert reverse("cases:document_upload_case", args=[case.pk]) in html


def test_partial_empty_state_and_read_only(firm, read_only):
    """With no documents it says so; a read-only member sees no upload form."""
    contact = ContactFactory(firm=firm)
    request = SimpleNamespace(membership=read_only, get_full_path=lambda: "/")
    context = {
        "contact": contact,
        **selectors.document_section(firm=firm, contact=contact),
    }

    html = render_partial(request, context)

    assert "No documents yet." in html
    assert "<form" not in html


# Download


def test_download_sends_attachment_with_original_name(adviser_client, adviser, case):
    """A download is an attachment under the original name, and is audited."""
    document = DocumentFactory(case=case, original_name="Offer letter.pdf")

    response = adviser_client.get(
        reverse("cases:document_download", args=[document.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="Offer letter.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    audit = AuditEvent.objects.get(verb=AuditVerb.EXPORT)
    assert audit.object_id == str(document.pk)
    assert audit.actor == adviser.user


def test_download_by_other_firm_member_is_404(login, other_firm, case):
    """A member of another firm gets 404 for this firm's document."""
    document = DocumentFactory(case=case)
    stranger = login(MembershipFactory(firm=other_firm, role="owner"))

    response = stranger.get(reverse("cases:document_download", args=[document.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=AuditVerb.EXPORT).exists()


# Delete


def test_delete_removes_row_and_file_with_audit(
    adviser_client, case, django_capture_on_commit_callbacks
):
    """Deleting removes the row, then the stored file, with history and audit."""
    document = DocumentFactory(case=case, original_name="old.pdf")
    stored = document.file.name
    assert default_storage.exists(stored) is True

    with django_capture_on_commit_callbacks(execute=True):
        response = adviser_client.post(
            reverse("cases:document_delete", args=[document.pk]), {"next": NEXT}
        )

    assert response.status_code == 302
    assert shown(response) == ["Deleted old.pdf."]
    assert Document.objects.count() == 0
    assert default_storage.exists(stored) is False
    audit = AuditEvent.objects.get(verb=AuditVerb.DELETE)
    assert audit.changes["original_name"] == ["old.pdf", None]
    assert audit.changes["document_type"] == ["payslip", None]
    assert CaseEvent.objects.filter(
        case=case, type=CaseEventType.DOCUMENT_DELETED
    ).exists()


def test_delete_contact_document_adds_timeline_entry(firm, adviser):
    """Deleting a client's document says so on the client's timeline."""
    contact = ContactFactory(firm=firm)
    document = DocumentFactory(case=None, contact=contact, firm=firm)

    services.document_delete(firm=firm, actor=adviser.user, document=document)

    event = ContactEvent.objects.get(contact=contact)
    assert event.summary.startswith("Document deleted: payslip.pdf")


# Permissions


def test_read_only_cannot_upload_or_delete_but_can_download(login, read_only, case):
    """A read-only member gets 403 on upload and delete, and may download."""
    client = login(read_only)
    document = DocumentFactory(case=case)

    upload = post_upload(client, case_url(case))
    delete = client.post(reverse("cases:document_delete", args=[document.pk]))
    download = client.get(reverse("cases:document_download", args=[document.pk]))

    assert upload.status_code == 403
    assert delete.status_code == 403
    assert download.status_code == 200
    assert Document.objects.count() == 1


def test_upload_failing_after_the_file_is_stored_leaves_no_row_and_no_file(
    firm, adviser, case, monkeypatch
):
    """A failure while recording history rolls back the row and removes the file."""
    from crm.cases.services import documents as document_services

    stored = []

    def failing_record(firm, actor, document, **kwargs):
        stored.append(document.file.name)
        raise RuntimeError("history store down")

    monkeypatch.setattr(document_services, "_record", failing_record)
    with pytest.raises(RuntimeError, match="history store down"):
        services.document_upload(
            firm=firm,
            actor=adviser.user,
            upload=upload_file(),
            document_type=DocumentType.PAYSLIP,
            case=case,
        )
    assert Document.objects.filter(firm=firm).exists() is False
    assert len(stored) == 1
    assert default_storage.exists(stored[0]) is False
