"""CSV import services and job: upload checks, mapping, the batch run (B5)."""

import csv
import datetime
import io
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.contacts import services
from crm.contacts.choices import ContactEventType, ImportStatus
from crm.contacts.forms_import import FIELD_LABELS, IMPORT_FIELDS, guess_mapping
from crm.contacts.models import Contact, ContactEvent, ContactImport, ContactImportError
from crm.contacts.services import import_run
from crm.contacts.services import imports as import_services
from crm.contacts.tests.factories import ContactFactory
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms.tests.factories import FirmFactory

pytestmark = pytest.mark.django_db

HEADER = ["First Name", "Surname", "Email Address", "Mobile", "DOB", "Post code"]


def csv_bytes(rows, header=HEADER, bom=False):
    """Return ``header`` and ``rows`` as UTF-8 CSV bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


HUGE_FIELD = b'Notes\n"' + b"x" * 200_000 + b'"\n'


def person(i):
    """Return a valid row for person number ``i``."""
    return [f"Ada{i}", f"Lovelace{i}", f"ada{i}@example.com", f"07700 {i:06d}"]


def people(n, start=0):
    return [[*person(i), "01/02/1980", "ab1 2cd"] for i in range(start, start + n)]


def upload(firm, member, content, name="contacts.csv"):
    return services.contact_import_upload(
        firm=firm,
        actor=member.user,
        upload=SimpleUploadedFile(name, content, content_type="text/csv"),
    )


def start(firm, member, content, mode="skip", fields=None):
    contact_import = upload(firm, member, content)
    headers = contact_import.mapping["headers"]
    return services.contact_import_start(
        firm=firm,
        actor=member.user,
        contact_import=contact_import,
        fields=fields or guess_mapping(headers),
        duplicate_mode=mode,
    )


def run(firm, member, content, mode="skip", fields=None):
    contact_import = start(firm, member, content, mode, fields)
    return services.contact_import_run(firm=firm, contact_import=contact_import)


def errors_of(contact_import):
    return list(
        ContactImportError.objects.filter(contact_import=contact_import).values_list(
            "row_number", "reason"
        )
    )


# Upload


def test_upload_stores_the_file_and_counts_rows_without_the_header(firm, owner):
    """The file is saved through storage; headers are kept and data rows counted."""
    contact_import = upload(firm, owner, csv_bytes(people(3), bom=True))

    assert contact_import.status == ImportStatus.MAPPING
    assert contact_import.total_rows == 3
    assert contact_import.mapping == {"headers": HEADER}
    assert contact_import.original_name == "contacts.csv"
    assert contact_import.created_by == owner.user
    assert contact_import.file.name.startswith("imports/")
    assert contact_import.file.read().startswith(b"\xef\xbb\xbfFirst Name,")


def test_upload_records_an_audit_event_with_the_file_name_and_row_count(firm, owner):
    """Uploading a file is audited as a CREATE of the import, by the uploader."""
    contact_import = upload(firm, owner, csv_bytes(people(3)), name="spring.csv")

    event = AuditEvent.objects.get(firm=firm)
    assert event.verb == AuditVerb.CREATE
    assert event.object_type == "contacts.contactimport"
    assert event.object_id == str(contact_import.pk)
    assert event.actor == owner.user
    assert event.changes == {
        "original_name": [None, "spring.csv"],
        "total_rows": [None, 3],
    }


def test_upload_skips_blank_lines_and_reads_semicolon_files(firm, owner):
    """Blank rows are not counted, and a semicolon-separated file is read as such."""
    content = b"First name;Email\n\nAda;ada@example.com\n;\nBob;bob@example.com\n"

    contact_import = upload(firm, owner, content)

    assert contact_import.mapping["headers"] == ["First name", "Email"]
    assert contact_import.total_rows == 2


def test_upload_names_blank_headers_and_numbers_repeated_ones(firm, owner):
    """Blank column names become "Column N"; a repeated name gets "(2)"."""
    contact_import = upload(firm, owner, b"Email,,Email\na@example.com,x,y\n")

    assert contact_import.mapping["headers"] == ["Email", "Column 2", "Email (2)"]


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("contacts.xlsx", b"First name\nAda\n", "not_csv", "Choose a CSV file"),
        ("contacts.csv", b"", "empty", "The file is empty."),
        ("contacts.csv", b"PK\x03\x04rest", "not_csv", "Excel workbook"),
        ("contacts.csv", "Prénom\nAda\n".encode("latin-1"), "not_utf8", "not UTF-8"),
        ("contacts.csv", b"\n\nAda\n", "no_header", "The first row is empty"),
        ("contacts.csv", b"Ada,ada@example.com\n", "no_header", "looks like a contact"),
        ("contacts.csv", b"First name,Email\n", "no_rows", "no rows of contacts"),
        ("contacts.csv", HUGE_FIELD, "invalid_file", r"not a valid CSV file \(field"),
    ],
)
def test_upload_refuses_unusable_files_with_a_clear_message(
    firm, owner, name, content, code, message
):
    """Non-CSV, empty, Excel, non-UTF-8, header-less and row-less files are refused."""
    with pytest.raises(ApplicationError, match=message) as caught:
        upload(firm, owner, content, name=name)

    assert caught.value.code == code
    assert caught.value.field == "file"
    assert ContactImport.objects.count() == 0


def test_upload_refuses_a_file_over_the_size_limit(firm, owner, monkeypatch):
    """A file larger than the limit is refused before it is read or stored."""
    monkeypatch.setattr(import_services, "MAX_UPLOAD_BYTES", 1024 * 1024)
    content = csv_bytes([["x" * 1000]] * 1100, header=["Notes"])

    with pytest.raises(
        ApplicationError, match=r"The file is 1\.1 MB; the limit is 1 MB\."
    ):
        upload(firm, owner, content)


# Mapping


def test_import_fields_are_the_contact_fields_but_the_organisation_link():
    """The import's field list follows the contact services' list."""
    assert tuple(FIELD_LABELS) == services.CONTACT_FIELDS
    assert "organisation" not in IMPORT_FIELDS


def test_guess_mapping_recognises_common_column_names():
    """Everyday column names map to contact fields; unknown ones are ignored."""
    headers = [
        "forename",
        "Surname",
        "E-mail Address",
        "Mobile phone",
        "Tel",
        "Post code",
        "Date of birth",
        "Company",
        "Favourite colour",
    ]

    assert guess_mapping(headers) == [
        "first_name",
        "last_name",
        "email",
        "mobile",
        "other_phone",
        "postcode",
        "date_of_birth",
        "organisation_name",
        "",
    ]


def test_guess_mapping_uses_each_field_once():
    """Two columns that both look like e-mail: only the first is guessed."""
    assert guess_mapping(["First Name", "DOB", "Email", "email"]) == [
        "first_name",
        "date_of_birth",
        "email",
        "",
    ]


def test_start_refuses_a_field_mapped_twice_and_a_mapping_without_identity(firm, owner):
    """Each field may be chosen once; a name or e-mail column is required."""
    contact_import = upload(firm, owner, csv_bytes(people(1)))
    fields = ["first_name", "first_name", "", "", "", ""]

    with pytest.raises(ValidationError) as twice:
        services.contact_import_start(
            firm=firm,
            actor=owner.user,
            contact_import=contact_import,
            fields=fields,
            duplicate_mode="skip",
        )
    with pytest.raises(ValidationError) as nameless:
        services.contact_import_start(
            firm=firm,
            actor=owner.user,
            contact_import=contact_import,
            fields=["", "", "", "mobile", "", ""],
            duplicate_mode="skip",
        )

    assert twice.value.message_dict == {
        "column_1": [
            "First name is already chosen for column “First Name”. "
            "Choose each field once."
        ]
    }
    assert "at least a name" in nameless.value.message_dict["__all__"][0]
    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.MAPPING


def test_start_queues_the_job_once_after_commit(
    firm, owner, django_capture_on_commit_callbacks
):
    """Starting saves the mapping, queues on commit, and cannot start again."""
    contact_import = upload(firm, owner, csv_bytes(people(2)))
    fields = guess_mapping(contact_import.mapping["headers"])

    with django_capture_on_commit_callbacks() as callbacks:
        services.contact_import_start(
            firm=firm,
            actor=owner.user,
            contact_import=contact_import,
            fields=fields,
            duplicate_mode="update",
        )
    with pytest.raises(ApplicationError, match="already been started"):
        services.contact_import_start(
            firm=firm,
            actor=owner.user,
            contact_import=contact_import,
            fields=fields,
            duplicate_mode="update",
        )

    contact_import.refresh_from_db()
    assert len(callbacks) == 1
    assert contact_import.status == ImportStatus.QUEUED
    assert contact_import.duplicate_mode == "update"
    assert contact_import.mapping["fields"] == fields
    assert Contact.objects.count() == 0


def test_start_records_an_audit_event_with_the_mapping_and_duplicate_mode(firm, owner):
    """Starting is audited as an UPDATE: status, the mapping in words, the mode."""
    contact_import = upload(firm, owner, csv_bytes(people(1)))
    fields = ["first_name", "last_name", "email", "", "", "postcode"]

    services.contact_import_start(
        firm=firm,
        actor=owner.user,
        contact_import=contact_import,
        fields=fields,
        duplicate_mode="update",
    )

    event = AuditEvent.objects.get(firm=firm, verb=AuditVerb.UPDATE)
    assert event.object_id == str(contact_import.pk)
    assert event.actor == owner.user
    assert event.changes == {
        "status": ["mapping", "queued"],
        "mapping": [
            None,
            "First Name → First name, Surname → Last name, Email Address → Email, "
            "Post code → Postcode; ignored: Mobile, DOB",
        ],
        "duplicate_mode": [None, "update"],
    }


# The run


def test_ten_thousand_rows_with_three_bad_ones_import_through_the_job(
    firm, owner, django_capture_on_commit_callbacks, record_property
):
    """9,997 contacts arrive; rows 102, 5002 and 10001 are reported with reasons."""
    rows = people(10_000)
    rows[100][2] = "not-an-email"
    rows[5000][0:2] = ["", ""]
    rows[9999][4] = "31/02/1980"
    contact_import = upload(firm, owner, csv_bytes(rows))
    fields = guess_mapping(contact_import.mapping["headers"])

    began = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_import_start(
            firm=firm,
            actor=owner.user,
            contact_import=contact_import,
            fields=fields,
            duplicate_mode="skip",
        )
    record_property("import_10k_seconds", round(time.perf_counter() - began, 2))

    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.DONE
    assert contact_import.failure == ""
    assert contact_import.percent == 100
    assert (contact_import.processed_rows, contact_import.total_rows) == (10000, 10000)
    assert contact_import.created_count == 9997
    assert contact_import.error_count == 3
    assert Contact.objects.filter(firm=firm).count() == 9997
    assert errors_of(contact_import) == [
        (102, "Email Address: Enter a valid email address."),
        (5002, "Enter a first or last name."),
        (10001, "DOB: “31/02/1980” is not a real date."),
    ]
    first = ContactImportError.objects.get(row_number=102)
    assert first.data["Email Address"] == "not-an-email"
    assert first.data["First Name"] == "Ada100"


def test_imported_contacts_are_normalised_and_on_the_timeline(firm, owner):
    """Values are cleaned as the services do; each contact gets an Imported event."""
    row = ["Ada", "Lovelace", " ADA@Example.COM ", "+44 7700 900123", "1980-02-01"]
    run(firm, owner, csv_bytes([[*row, "ab1 2cd"]]))

    contact = Contact.objects.get(firm=firm)
    assert contact.email == contact.email_norm == "ada@example.com"
    assert contact.mobile_norm == "07700900123"
    assert contact.postcode == "AB1 2CD"
    assert contact.sort_name == "lovelace ada"
    assert str(contact.date_of_birth) == "1980-02-01"
    assert contact.created_by == owner.user
    event = ContactEvent.objects.get(contact=contact)
    assert event.type == ContactEventType.IMPORTED
    assert event.summary == "Created from contacts.csv, row 2"


def outcome_events(firm):
    """Return the audit events that record a run's outcome (they have "rows")."""
    events = AuditEvent.objects.filter(firm=firm, verb=AuditVerb.CREATE)
    return [event for event in events if "rows" in event.changes]


def test_the_import_writes_one_audit_event_with_its_counts(firm, owner):
    """One CREATE event on the import records the outcome, not one per contact."""
    contact_import = run(firm, owner, csv_bytes(people(3)))

    # Upload, start and the outcome; none per contact.
    assert AuditEvent.objects.filter(firm=firm).count() == 3
    [event] = outcome_events(firm)
    assert event.verb == AuditVerb.CREATE
    assert event.object_type == "contacts.contactimport"
    assert event.object_id == str(contact_import.pk)
    assert event.actor == owner.user
    assert event.changes["created"] == [None, 3]
    assert event.changes["rejected"] == [None, 0]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Email", "ada@", "Email: Enter a valid email address."),
        ("Date of birth", "1980/02/01", "not a date in the form dd/mm/yyyy"),
        ("Date of birth", "01/02/2999", "is in the future"),
        ("Title", "Sir", "“Sir” is not a title (Mr, Mrs, Ms, Miss, Mx, Dr, Prof)."),
        ("First name", "A" * 81, "at most 80 characters (it has 81)"),
        ("Mobile", "call me", "“call me” is not a phone number."),
        ("Marketing consent", "maybe", "“maybe” is not yes or no."),
        ("Type", "robot", "“robot” is not person or organisation."),
        ("Postcode", "AB1 2CD 3EF 4GH", "Postcode: Ensure this value has at most 10"),
    ],
)
def test_rows_with_invalid_values_are_rejected_with_the_column_named(
    firm, owner, column, value, reason
):
    """Formats, lengths and choices are checked per row; the reason names the column."""
    header = [
        "First name",
        "Last name",
        "Email",
        "Date of birth",
        "Title",
        "Mobile",
        "Marketing consent",
        "Type",
        "Postcode",
    ]
    row = dict.fromkeys(header, "")
    row.update({"First name": "Ada", "Last name": "Lovelace"})
    row[column] = value

    contact_import = run(firm, owner, csv_bytes([list(row.values())], header=header))

    [(number, message)] = errors_of(contact_import)
    assert number == 2
    assert reason in message
    assert message.startswith(f"{column}: ")
    assert Contact.objects.count() == 0


def test_valid_choices_and_dates_are_accepted_in_everyday_forms(firm, owner):
    """Titles ignore case and dots, yes/no and kinds read loosely, d/m/yyyy works."""
    header = ["Title", "First name", "Last name", "DOB", "Consent", "Type", "Company"]
    rows = [
        ["mrs.", "Ada", "Lovelace", "1/2/1980", "Yes", "Person", ""],
        ["", "", "", "", "no", "organization", "Riverside Surgery"],
        ["", "", "", "", "", "", "Bay Ltd"],
    ]

    contact_import = run(firm, owner, csv_bytes(rows, header=header))

    assert errors_of(contact_import) == []
    bay, ada, riverside = Contact.objects.filter(firm=firm).order_by("sort_name")
    assert (ada.title, str(ada.date_of_birth), ada.marketing_consent) == (
        "Mrs",
        "1980-02-01",
        True,
    )
    assert ada.marketing_consent_at is not None
    assert (riverside.kind, riverside.marketing_consent) == ("organisation", False)
    assert bay.kind == "organisation"


# Duplicates


def _duplicate_file():
    """Rows: an existing e-mail, a new person, that person again, an existing mobile."""
    return csv_bytes(
        [
            ["Ada", "Byron", "ada@example.com", "", "", ""],
            ["Bob", "New", "bob@example.com", "07700 900002", "", ""],
            ["Robert", "New", "BOB@example.com", "", "", "zz1 1zz"],
            ["Cat", "Mobile", "cat@example.com", "+44 7700 900003", "", ""],
        ]
    )


@pytest.fixture
def existing(firm):
    """Two contacts already in the firm: one by e-mail, one by mobile."""
    ada = ContactFactory(
        firm=firm,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        mobile="",
        town="Leeds",
    )
    cat = ContactFactory(
        firm=firm, first_name="Cat", last_name="Old", email="", mobile="07700900003"
    )
    return ada, cat


def test_skip_mode_leaves_existing_contacts_and_skips_repeats_in_the_file(
    firm, owner, existing
):
    """Rows matching a contact by e-mail or mobile, or an earlier row, are skipped."""
    ada, cat = existing

    contact_import = run(firm, owner, _duplicate_file(), mode="skip")

    assert (contact_import.created_count, contact_import.skipped_count) == (1, 3)
    assert contact_import.updated_count == contact_import.error_count == 0
    assert Contact.objects.filter(firm=firm).count() == 3
    ada.refresh_from_db()
    cat.refresh_from_db()
    assert (ada.last_name, cat.last_name) == ("Lovelace", "Old")
    assert Contact.objects.get(email="bob@example.com").first_name == "Bob"


def test_update_mode_updates_matches_with_non_blank_cells_only(firm, owner, existing):
    """Matches are updated (the first of a repeated row too); blank cells keep data."""
    ada, cat = existing

    contact_import = run(firm, owner, _duplicate_file(), mode="update")

    assert (contact_import.created_count, contact_import.updated_count) == (1, 3)
    assert contact_import.skipped_count == 0
    assert Contact.objects.filter(firm=firm).count() == 3
    ada.refresh_from_db()
    cat.refresh_from_db()
    assert (ada.last_name, ada.town, ada.sort_name) == ("Byron", "Leeds", "byron ada")
    assert (cat.last_name, cat.email_norm) == ("Mobile", "cat@example.com")
    bob = Contact.objects.get(email="bob@example.com")
    assert (bob.first_name, bob.postcode, bob.mobile_norm) == (
        "Robert",
        "ZZ1 1ZZ",
        "07700900002",
    )
    summaries = set(
        ContactEvent.objects.filter(type=ContactEventType.IMPORTED).values_list(
            "summary", flat=True
        )
    )
    assert summaries == {
        "Updated from contacts.csv, row 2",
        "Created from contacts.csv, row 3",
        "Updated from contacts.csv, row 5",
    }


def test_repeats_in_later_batches_match_contacts_made_by_earlier_ones(
    firm, owner, monkeypatch
):
    """A row repeating one from an earlier batch is a duplicate of its contact."""
    monkeypatch.setattr(import_run, "BATCH_SIZE", 2)
    rows = [*people(3), people(1)[0], people(1, start=1)[0]]

    contact_import = run(firm, owner, csv_bytes(rows), mode="skip")

    assert (contact_import.created_count, contact_import.skipped_count) == (3, 2)
    assert Contact.objects.filter(firm=firm).count() == 3


def test_another_firms_contact_with_the_same_email_is_not_a_duplicate(
    firm, other_firm, owner
):
    """Duplicates are looked up in the importing firm only."""
    theirs = ContactFactory(firm=other_firm, email="ada0@example.com")

    contact_import = run(firm, owner, csv_bytes(people(1)), mode="update")

    assert contact_import.created_count == 1
    assert Contact.objects.filter(firm=firm, email="ada0@example.com").count() == 1
    theirs.refresh_from_db()
    assert theirs.first_name != "Ada0"


def test_an_update_that_would_leave_a_contact_without_a_name_is_rejected(
    firm, owner, existing
):
    """Turning a matched person into an organisation needs an organisation name."""
    header = ["Email", "Type"]
    rows = [["ada@example.com", "organisation"], ["new@example.com", ""]]

    contact_import = run(firm, owner, csv_bytes(rows, header=header), mode="update")

    assert errors_of(contact_import) == [
        (2, "Enter the organisation name."),
        (3, "Enter a first or last name."),
    ]


# Robustness


def test_running_twice_does_not_import_twice(firm, owner):
    """A second run of the same import does nothing: only a QUEUED import starts."""
    contact_import = start(firm, owner, csv_bytes(people(3)))
    services.contact_import_run(firm=firm, contact_import=contact_import)

    again = services.contact_import_run(firm=firm, contact_import=contact_import)

    assert again.status == ImportStatus.DONE
    assert again.created_count == 3
    assert Contact.objects.filter(firm=firm).count() == 3
    assert len(outcome_events(firm)) == 1


def test_an_import_not_yet_mapped_is_not_run(firm, owner):
    """The run refuses an import that was never started."""
    contact_import = upload(firm, owner, csv_bytes(people(1)))

    services.contact_import_run(firm=firm, contact_import=contact_import)

    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.MAPPING
    assert Contact.objects.count() == 0


def test_a_failure_keeps_earlier_batches_and_says_what_was_imported(
    firm, owner, monkeypatch
):
    """FAILED, with the batches before the failure kept and counted in the message."""
    monkeypatch.setattr(import_run, "BATCH_SIZE", 2)
    write = import_run._Run._write
    calls = []

    def flaky(self, touched, errors):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        write(self, touched, errors)

    monkeypatch.setattr(import_run._Run, "_write", flaky)

    contact_import = run(firm, owner, csv_bytes(people(5)))

    assert contact_import.status == ImportStatus.FAILED
    assert contact_import.failure == (
        "The import stopped at row 4: an unexpected error (RuntimeError). The 2 "
        "rows before it were imported and are kept (2 created, 0 updated, 0 "
        "skipped as duplicates, 0 rejected); row 4 and the rows after it were "
        "not imported."
    )
    assert (contact_import.processed_rows, contact_import.created_count) == (2, 2)
    assert contact_import.finished_at is not None
    assert Contact.objects.filter(firm=firm).count() == 2
    [outcome] = outcome_events(firm)
    assert outcome.changes["status"] == [None, "failed"]


def test_a_file_gone_from_storage_fails_with_a_message(firm, owner):
    """The import fails cleanly, saying the file is missing, when storage lost it."""
    contact_import = start(firm, owner, csv_bytes(people(2)))
    contact_import.file.storage.delete(contact_import.file.name)

    contact_import = services.contact_import_run(
        firm=firm, contact_import=contact_import
    )

    assert contact_import.status == ImportStatus.FAILED
    assert contact_import.failure == (
        "The import stopped before any row was imported: the uploaded file is "
        "no longer in storage."
    )


# Query counts


def _run_queries(owner, rows):
    """Return the number of queries the run of a file of ``rows`` rows takes."""
    firm = FirmFactory()
    contact_import = start(firm, owner, csv_bytes(people(rows)))
    with CaptureQueriesContext(connection) as queries:
        contact_import = services.contact_import_run(
            firm=firm, contact_import=contact_import
        )
    assert contact_import.created_count == rows
    return len(queries)


def test_the_run_costs_a_constant_number_of_queries_per_batch(owner):
    """Queries grow with batches of 500 rows, never with rows: 1,000 vs 2,000 rows."""
    one_batch = _run_queries(owner, 500)
    two_batches = _run_queries(owner, 1000)
    four_batches = _run_queries(owner, 2000)

    per_batch = two_batches - one_batch
    assert four_batches - two_batches == 2 * per_batch
    assert per_batch < 40
    assert one_batch - per_batch < 10


def test_a_batch_looks_up_duplicates_with_one_query_per_key(firm, owner):
    """One query finds existing e-mails and one finds existing mobiles, per batch."""
    contact_import = start(firm, owner, csv_bytes(people(500)))

    with CaptureQueriesContext(connection) as queries:
        services.contact_import_run(firm=firm, contact_import=contact_import)

    lookups = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    lookups = [sql for sql in lookups if 'FROM "contacts_contact"' in sql]
    assert len(lookups) == 2
    assert sorted('"email_norm" IN' in sql for sql in lookups) == [False, True]
    assert sorted('"mobile_norm" IN' in sql for sql in lookups) == [False, True]


# Stalled imports and restarts

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


class WorkerKilled(BaseException):
    """Stands for the worker process dying mid-run: nothing in the run catches it."""


def _outcome(contact_import):
    return (
        contact_import.status,
        contact_import.processed_rows,
        contact_import.created_count,
        contact_import.updated_count,
        contact_import.skipped_count,
        contact_import.error_count,
    )


def _emails(firm):
    return sorted(Contact.objects.filter(firm=firm).values_list("email", flat=True))


def test_the_run_writes_a_heartbeat_on_claim_and_with_each_batch(
    firm, owner, monkeypatch, time_machine
):
    """heartbeat_at is set when the job claims the import and by each batch's commit."""
    monkeypatch.setattr(import_run, "BATCH_SIZE", 2)
    time_machine.move_to(T0, tick=False)
    contact_import = start(firm, owner, csv_bytes(people(5)))
    write = import_run._Run._write
    seen = []

    def observed(self, touched, errors):
        seen.append(
            ContactImport.objects.values_list("heartbeat_at", "processed_rows").get(
                pk=contact_import.pk
            )
        )
        time_machine.move_to(T0 + datetime.timedelta(minutes=len(seen)), tick=False)
        write(self, touched, errors)

    monkeypatch.setattr(import_run._Run, "_write", observed)

    contact_import = services.contact_import_run(
        firm=firm, contact_import=contact_import
    )

    minutes = [T0 + datetime.timedelta(minutes=n) for n in range(4)]
    assert seen == [(minutes[0], 0), (minutes[1], 2), (minutes[2], 4)]
    assert contact_import.heartbeat_at == minutes[3]
    assert contact_import.status == ImportStatus.DONE


def test_a_restarted_import_carries_on_and_ends_as_a_clean_run_would(
    firm,
    other_firm,
    owner,
    monkeypatch,
    time_machine,
    django_capture_on_commit_callbacks,
):
    """Killed after batch 1, stalled, restarted: a clean run's counts, no duplicates."""
    monkeypatch.setattr(import_run, "BATCH_SIZE", 3)
    bad = ["", "", "not-an-email", "", "", ""]
    # A blank line in batch 1 (skipping counts rows, not lines), a rejected
    # row, and repeats of rows from batch 1 in later batches.
    rows = [*people(2), [], bad, *people(2, start=2), people(1)[0]]
    rows += [*people(2, start=4), people(1, start=3)[0]]
    content = csv_bytes(rows)
    write = import_run._Run._write
    calls = []

    def killed_in_batch_two(self, touched, errors):
        calls.append(1)
        if len(calls) == 2:
            raise WorkerKilled
        write(self, touched, errors)

    monkeypatch.setattr(import_run._Run, "_write", killed_in_batch_two)
    time_machine.move_to(T0, tick=False)

    with pytest.raises(WorkerKilled):
        run(firm, owner, content)

    stuck = ContactImport.objects.get(firm=firm)
    assert (stuck.status, stuck.processed_rows, stuck.created_count) == (
        ImportStatus.RUNNING,
        3,
        2,
    )
    time_machine.move_to(T0 + datetime.timedelta(minutes=4), tick=False)
    with pytest.raises(ApplicationError, match="not stalled") as fresh:
        services.contact_import_restart(
            firm=firm, actor=owner.user, contact_import=stuck
        )
    assert fresh.value.code == "not_stalled"

    time_machine.move_to(T0 + datetime.timedelta(minutes=6), tick=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.contact_import_restart(
            firm=firm, actor=owner.user, contact_import=stuck
        )
    clean = run(other_firm, owner, content)

    restarted = ContactImport.objects.get(firm=firm)
    assert len(callbacks) == 1
    assert _outcome(clean) == (ImportStatus.DONE, 9, 6, 0, 2, 1)
    assert _outcome(restarted) == _outcome(clean)
    assert errors_of(restarted) == errors_of(clean)
    assert _emails(firm) == _emails(other_firm)
    assert len(set(_emails(firm))) == 6
    imported = ContactEvent.objects.filter(firm=firm, type=ContactEventType.IMPORTED)
    assert imported.count() == 6
    assert restarted.started_at == T0
    assert len(outcome_events(firm)) == 1
    restart = AuditEvent.objects.get(firm=firm, verb=AuditVerb.STATUS_CHANGE)
    assert restart.changes["status"] == ["running", "queued"]
    assert restart.changes["rows_done"] == [None, 3]


def test_a_running_import_without_a_heartbeat_can_be_restarted(
    firm, owner, django_capture_on_commit_callbacks
):
    """An import left RUNNING before heartbeats existed counts as stalled."""
    contact_import = start(firm, owner, csv_bytes(people(2)))
    ContactImport.objects.filter(pk=contact_import.pk).update(
        status=ImportStatus.RUNNING, heartbeat_at=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.contact_import_restart(
            firm=firm, actor=owner.user, contact_import=contact_import
        )

    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.DONE
    assert contact_import.created_count == 2


@pytest.mark.parametrize("status", [ImportStatus.QUEUED, ImportStatus.DONE])
def test_restart_refuses_an_import_that_is_not_running(
    firm, owner, status, django_capture_on_commit_callbacks
):
    """Only a RUNNING import can stall; others are refused and nothing is queued."""
    contact_import = start(firm, owner, csv_bytes(people(1)))
    ContactImport.objects.filter(pk=contact_import.pk).update(status=status)

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ApplicationError, match="not stalled"),
    ):
        services.contact_import_restart(
            firm=firm, actor=owner.user, contact_import=contact_import
        )

    assert callbacks == []
    contact_import.refresh_from_db()
    assert contact_import.status == status


def test_a_worker_that_lost_its_import_to_a_restart_commits_nothing_more(
    firm, owner, monkeypatch, time_machine
):
    """A slow worker's next batch rolls back after a restart; it writes no outcome."""
    monkeypatch.setattr(import_run, "BATCH_SIZE", 2)
    time_machine.move_to(T0, tick=False)
    contact_import = start(firm, owner, csv_bytes(people(5)))
    commit = import_run._Run._commit
    restarts: list[ContactImport] = []

    def restarted_meanwhile(self, rows):
        if self.counts.processed == 2 and not restarts:
            time_machine.shift(datetime.timedelta(minutes=6))
            restarts.append(
                services.contact_import_restart(
                    firm=firm, actor=owner.user, contact_import=contact_import
                )
            )
        commit(self, rows)

    monkeypatch.setattr(import_run._Run, "_commit", restarted_meanwhile)

    old = services.contact_import_run(firm=firm, contact_import=contact_import)

    assert (old.status, old.processed_rows) == (ImportStatus.QUEUED, 2)
    assert Contact.objects.filter(firm=firm).count() == 2
    assert outcome_events(firm) == []
    # The restarted job then finishes the file, without repeating batch 1.
    new = services.contact_import_run(firm=firm, contact_import=contact_import)
    assert _outcome(new) == (ImportStatus.DONE, 5, 5, 0, 0, 0)
    assert len(set(_emails(firm))) == 5


def test_a_batch_commits_only_if_no_other_run_has_moved_the_import_on(
    firm, owner, monkeypatch
):
    """A run whose rows another run has committed meanwhile rolls back and stops."""
    monkeypatch.setattr(import_run, "BATCH_SIZE", 2)
    contact_import = start(firm, owner, csv_bytes(people(5)))
    commit = import_run._Run._commit

    def overtaken(self, rows):
        if self.counts.processed == 2:
            # The restarted run claimed the import and committed rows 4 and 5.
            ContactImport.objects.filter(pk=contact_import.pk).update(processed_rows=4)
        commit(self, rows)

    monkeypatch.setattr(import_run._Run, "_commit", overtaken)

    old = services.contact_import_run(firm=firm, contact_import=contact_import)

    assert (old.status, old.processed_rows) == (ImportStatus.RUNNING, 4)
    assert Contact.objects.filter(firm=firm).count() == 2
    assert outcome_events(firm) == []


def test_import_service_modules_stay_within_the_style_line_limit():
    """The upload/start services and the run are separate modules of < 400 lines."""
    for module in (import_services, import_run):
        lines = Path(str(module.__file__)).read_text().count("\n")
        assert lines < 400, module.__name__
