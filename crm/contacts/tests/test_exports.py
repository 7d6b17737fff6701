"""CSV export of the filtered contact list (B5)."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crm.contacts import services
from crm.contacts.forms_import import guess_mapping
from crm.contacts.services.exports import EXPORT_LABELS, spreadsheet_safe
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "contacts:contact_export"


def export(client, **params):
    """Return the response and the CSV rows of an export with ``params``."""
    response = client.get(reverse(URL), params)
    body = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return response, body, rows


def names(rows):
    return [row[2] or row[5] for row in rows[1:]]


def test_export_streams_utf8_csv_with_a_bom(owner_client, firm):
    """The download streams, starts with a byte order mark and is an attachment."""
    ContactFactory(firm=firm, first_name="Zoë")

    response, body, _rows = export(owner_client)

    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    assert body.startswith(b"\xef\xbb\xbfPerson or organisation,Title,First name")
    assert "Zoë".encode() in body


def test_export_writes_every_contact_field_and_the_creation_time(owner_client, firm):
    """Columns are the contact fields, organisation by name, plus Created."""
    surgery = OrganisationFactory(firm=firm, organisation_name="Riverside Surgery")
    ContactFactory(
        firm=firm,
        title="Dr",
        first_name="Ada",
        last_name="Lovelace",
        organisation=surgery,
        email="ada@example.com",
        mobile="07700 900123",
        date_of_birth=datetime.date(1980, 2, 1),
        postcode="AB1 2CD",
        marketing_consent=True,
    )

    _response, _body, rows = export(owner_client)

    assert rows[0] == EXPORT_LABELS
    assert rows[0][-1] == "Created"
    ada = dict(zip(rows[0], rows[1], strict=True))
    assert ada["Person or organisation"] == "person"
    assert ada["Title"] == "Dr"
    assert ada["Organisation"] == "Riverside Surgery"
    assert ada["Email"] == "ada@example.com"
    assert ada["Mobile"] == "07700 900123"
    assert ada["Date of birth"] == "1980-02-01"
    assert ada["Marketing consent"] == "yes"
    assert len(ada["Created"]) == len("2025-01-31 09:30")
    assert rows[2][5] == "Riverside Surgery"


def test_export_never_includes_another_firms_contacts(owner_client, firm, other_firm):
    """Only the firm's own contacts are exported, whatever the filters."""
    ContactFactory(firm=firm, first_name="Ours", email="same@example.com")
    ContactFactory(firm=other_firm, first_name="Theirs", email="same@example.com")
    ContactFactory(firm=other_firm, first_name="Theirs", is_archived=True)

    exports = [export(owner_client)[2], export(owner_client, q="same@example.com")[2]]
    exports.append(export(owner_client, archived="1")[2])

    assert names(exports[0]) == ["Ours"]
    assert names(exports[1]) == ["Ours"]
    assert names(exports[2]) == []


def test_export_follows_the_list_filters_and_sort(owner_client, firm):
    """kind, archived, sort and q narrow and order the rows as on the list page."""
    ContactFactory(firm=firm, first_name="Ann", last_name="Able")
    ContactFactory(firm=firm, first_name="Bob", last_name="Baker")
    ContactFactory(firm=firm, first_name="Old", last_name="Archived", is_archived=True)
    OrganisationFactory(firm=firm, organisation_name="Bay Ltd")

    people = export(owner_client, kind="person", sort="-name")[2]
    archived = export(owner_client, archived="1")[2]
    searched = export(owner_client, q="bak")[2]
    organisations = export(owner_client, kind="organisation")[2]

    assert names(people) == ["Bob", "Ann"]
    assert names(archived) == ["Old"]
    assert names(searched) == ["Bob"]
    assert names(organisations) == ["Bay Ltd"]


def test_export_is_audited_with_the_filters(owner_client, owner, firm):
    """One EXPORT event records who exported and with which filters."""
    export(owner_client, kind="person", q="ann", sort="-created")

    event = AuditEvent.objects.get(firm=firm)
    assert event.verb == AuditVerb.EXPORT
    assert event.actor == owner.user
    assert event.object_type == "contacts.contact"
    assert event.changes == {
        "kind": [None, "person"],
        "archived": [None, False],
        "sort": [None, "-created"],
        "search": [None, "ann"],
    }


@pytest.mark.parametrize("role", ["read_only", "adviser"])
def test_members_without_export_permission_are_refused(request, login, role):
    """Exporting needs the export-data permission: read-only and advisers get 403."""
    client = login(request.getfixturevalue(role))

    assert client.get(reverse(URL)).status_code == 403
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("+44 7700 900123", "+44 7700 900123"),
        ("-12.5", "-12.5"),
        ("Ada", "Ada"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(value, safe):
    """Formula-like cells get a leading apostrophe; phone numbers are left alone."""
    assert spreadsheet_safe(value) == safe


def test_exported_file_imports_back_as_duplicates(owner_client, owner, firm):
    """The export's column names map back to the same fields on import."""
    ContactFactory(firm=firm, first_name="Ada", email="ada@example.com")
    body = export(owner_client)[1]

    contact_import = services.contact_import_upload(
        firm=firm,
        actor=owner.user,
        upload=SimpleUploadedFile("contacts.csv", body, content_type="text/csv"),
    )
    fields = guess_mapping(contact_import.mapping["headers"])
    services.contact_import_start(
        firm=firm,
        actor=owner.user,
        contact_import=contact_import,
        fields=fields,
        duplicate_mode="skip",
    )
    contact_import = services.contact_import_run(
        firm=firm, contact_import=contact_import
    )

    linked = "organisation"  # a link to another contact, not imported
    assert fields == [f if f != linked else "" for f in services.CONTACT_FIELDS] + [""]
    assert (contact_import.skipped_count, contact_import.error_count) == (1, 0)
