"""CSV import pages: upload, mapping, progress polling and the rejected rows (B5)."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from crm.contacts.choices import ImportStatus
from crm.contacts.forms_import import guess_mapping
from crm.contacts.models import Contact, ContactImport, ContactImportError
from crm.contacts.services import imports as import_services
from crm.contacts.tests.factories import ContactImportFactory
from crm.contacts.tests.test_imports_services import csv_bytes, people
from crm.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response):
    return response.content.decode()


def post_file(client, content, name="contacts.csv"):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("contacts:import_start"), {"file": upload})


def uploaded(client, content):
    """Upload ``content`` through the page and return the new import."""
    response = post_file(client, content)
    assert response.status_code == 302
    return ContactImport.objects.get()


def mapping_data(contact_import, **overrides):
    """Return the mapping form's POST data with the guessed fields."""
    headers = contact_import.mapping["headers"]
    data = {f"column_{i}": f for i, f in enumerate(guess_mapping(headers))}
    return {"duplicate_mode": "skip", **data, **overrides}


def detail_url(contact_import):
    return reverse("contacts:import_detail", args=[contact_import.pk])


def running_import(firm, heartbeat_at=None, **fields):
    """Return a running import of ``firm`` whose worker reported at ``heartbeat_at``."""
    return ContactImportFactory(
        firm=firm,
        status=ImportStatus.RUNNING,
        heartbeat_at=heartbeat_at or timezone.now(),
        **fields,
    )


def finished_import(firm, errors):
    """Return a finished import of ``firm`` with ``errors`` rejected rows."""
    contact_import = ContactImportFactory(
        firm=firm,
        status=ImportStatus.DONE,
        mapping={"headers": ["First name", "Email"], "fields": ["first_name", "email"]},
        total_rows=10 + errors,
        processed_rows=10 + errors,
        created_count=10,
        error_count=errors,
    )
    ContactImportError.objects.bulk_create(
        ContactImportError(
            firm=firm,
            contact_import=contact_import,
            row_number=n + 2,
            reason="Email: Enter a valid email address.",
            data={"First name": f"Ada{n}", "Email": f"ada{n}@"},
        )
        for n in range(errors)
    )
    return contact_import


# Who may use the pages


@pytest.mark.parametrize("name", ["import_start", "contact_export"])
def test_read_only_members_are_refused(read_only, login, name):
    """Read-only members get 403 on the import and export pages."""
    response = login(read_only).get(reverse(f"contacts:{name}"))

    assert response.status_code == 403


def test_another_firms_import_is_not_found(owner_client, other_firm):
    """Every import page answers 404 for another firm's import."""
    theirs = finished_import(other_firm, 1)
    names = ["import_detail", "import_mapping", "import_progress", "import_errors_csv"]

    statuses = {
        name: owner_client.get(
            reverse(f"contacts:{name}", args=[theirs.pk]), **HTMX
        ).status_code
        for name in names
    }

    assert statuses == dict.fromkeys(names, 404)


# Upload


def test_upload_page_shows_the_form_and_the_last_ten_imports(
    owner_client, firm, other_firm
):
    """The history lists the firm's 10 newest imports, not other firms' ones."""
    for n in range(11):
        ContactImportFactory(firm=firm, original_name=f"batch-{n:02d}.csv")
    ContactImportFactory(firm=other_firm, original_name="theirs.csv")

    html = text(owner_client.get(reverse("contacts:import_start")))

    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".csv,text/csv"' in html
    assert "batch-10.csv" in html
    assert "batch-01.csv" in html
    assert "batch-00.csv" not in html
    assert "theirs.csv" not in html


def test_upload_redirects_to_the_mapping_page(owner_client, firm):
    """A good file is stored and the member goes on to choose the columns."""
    response = post_file(owner_client, csv_bytes(people(3)))

    contact_import = ContactImport.objects.get(firm=firm)
    assert response.url == reverse("contacts:import_mapping", args=[contact_import.pk])
    assert contact_import.total_rows == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("contacts.txt", b"Name\nAda\n", "Choose a CSV file (its name ends in .csv)."),
        ("contacts.csv", b"", "The file is empty."),
        ("contacts.csv", b"Ada,ada@example.com\n", "The first row looks like a"),
        ("contacts.csv", b"First name\n", "no rows of contacts below them"),
    ],
)
def test_upload_shows_why_a_file_is_refused(owner_client, name, content, message):
    """The reason appears on the file field and nothing is stored."""
    response = post_file(owner_client, content, name=name)

    assert response.status_code == 200
    assert message in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert ContactImport.objects.count() == 0


def test_upload_refuses_a_file_over_the_limit_on_the_page(owner_client, monkeypatch):
    """A too-large file is refused with its size and the limit."""
    monkeypatch.setattr(import_services, "MAX_UPLOAD_BYTES", 1024 * 1024)

    response = post_file(owner_client, csv_bytes([["x" * 1000]] * 1100, ["Notes"]))

    assert "The file is 1.1 MB; the limit is 1 MB." in text(response)


def test_upload_without_a_file_asks_for_one(owner_client):
    """Submitting the form with no file says to choose one."""
    response = owner_client.post(reverse("contacts:import_start"), {})

    assert "Choose a CSV file to upload." in text(response)


# Mapping


def test_mapping_page_preselects_guesses_and_previews_five_rows(owner_client):
    """Each column's select starts at its guessed field; five rows are shown."""
    contact_import = uploaded(owner_client, csv_bytes(people(7)))
    url = reverse("contacts:import_mapping", args=[contact_import.pk])

    html = text(owner_client.get(url))

    assert re.search(r'<option value="email" selected>Email</option>', html)
    assert re.search(r'<option value="postcode" selected>Postcode</option>', html)
    assert html.count('<option value="" selected>Ignore this column</option>') == 0
    assert "ada4@example.com" in html
    assert "ada5@example.com" not in html
    assert "Preview: the first 5 rows" in html
    assert '<label for="id_column_2">Email Address</label>' in html


def test_mapping_refuses_a_field_twice_and_keeps_the_choices(owner_client):
    """The error shows on the repeated column; every choice made is kept."""
    contact_import = uploaded(owner_client, csv_bytes(people(2)))
    url = reverse("contacts:import_mapping", args=[contact_import.pk])

    response = owner_client.post(
        url, mapping_data(contact_import, column_5="email", duplicate_mode="update")
    )

    html = text(response)
    assert response.status_code == 200
    assert "Email is already chosen for column “Email Address”." in html
    assert html.count('<option value="email" selected>') == 2
    assert 'value="update" id="id_duplicate_mode_1" required checked' in html
    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.MAPPING


def test_mapping_without_a_name_or_email_column_is_refused(owner_client):
    """At least a name or the e-mail must be mapped."""
    contact_import = uploaded(owner_client, csv_bytes(people(2)))
    url = reverse("contacts:import_mapping", args=[contact_import.pk])
    ignore_names = {"column_0": "", "column_1": "", "column_2": ""}

    response = owner_client.post(url, mapping_data(contact_import, **ignore_names))

    assert "Choose a column for at least a name" in text(response)


def test_starting_runs_the_job_and_shows_the_finished_import(
    owner_client, firm, django_capture_on_commit_callbacks
):
    """Start import queues the job; afterwards the page shows the summary."""
    rows = people(4)
    rows[1][2] = "bad-email"
    contact_import = uploaded(owner_client, csv_bytes(rows))
    url = reverse("contacts:import_mapping", args=[contact_import.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url, mapping_data(contact_import))

    detail = reverse("contacts:import_detail", args=[contact_import.pk])
    assert response.url == detail
    html = text(owner_client.get(detail))
    assert Contact.objects.filter(firm=firm).count() == 3
    assert "every 1s" not in html
    assert 'value="100"' in html
    assert "4 of 4 rows" in html
    assert "Email Address: Enter a valid email address." in html
    assert "bad-email" in html
    # A started import no longer offers its mapping.
    again = owner_client.get(url)
    assert again.url == detail


# Progress


def test_a_running_import_polls_for_progress_every_second(owner_client, firm):
    """While running, the region polls the progress URL; the text shows the count."""
    contact_import = running_import(firm, total_rows=2000, processed_rows=500)
    progress = reverse("contacts:import_progress", args=[contact_import.pk])

    html = text(owner_client.get(detail_url(contact_import)))

    assert f'hx-get="{progress}?shown=running-2"' in html
    assert 'hx-trigger="every 1s"' in html
    assert '<progress id="import-bar"' in html
    assert 'value="25"' in html
    assert "<strong>25%</strong> · 500 of 2,000 rows" in html


def test_progress_endpoint_returns_the_region_for_htmx(owner_client, firm):
    """An htmx request gets the progress region only, still polling."""
    contact_import = ContactImportFactory(
        firm=firm, status=ImportStatus.QUEUED, total_rows=10
    )
    url = reverse("contacts:import_progress", args=[contact_import.pk])

    response = owner_client.get(url, **HTMX)

    html = text(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="import-progress"')
    assert 'hx-trigger="every 1s"' in html
    assert "Waiting for the background worker" in html
    assert "HX-Request" in response["Vary"]


def test_progress_endpoint_stops_polling_and_adds_the_report_when_finished(
    owner_client, firm
):
    """The finished region has no trigger and swaps the rejected rows in too."""
    contact_import = finished_import(firm, 2)
    url = reverse("contacts:import_progress", args=[contact_import.pk])

    html = text(owner_client.get(url, **HTMX))

    assert "every 1s" not in html
    assert '<div id="import-rejected" hx-swap-oob="true">' in html
    assert "ada1@" in html
    assert reverse("contacts:import_errors_csv", args=[contact_import.pk]) in html


def test_progress_url_without_htmx_redirects_to_the_page(owner_client, firm):
    """A plain visit to the progress URL goes to the import page."""
    contact_import = finished_import(firm, 0)

    response = owner_client.get(
        reverse("contacts:import_progress", args=[contact_import.pk])
    )

    assert response.url == reverse("contacts:import_detail", args=[contact_import.pk])


def test_a_failed_import_shows_its_failure(owner_client, firm):
    """The failure message is shown in full on the page."""
    contact_import = ContactImportFactory(
        firm=firm, status=ImportStatus.FAILED, failure="The import stopped at row 4."
    )

    html = text(owner_client.get(detail_url(contact_import)))

    assert '<p class="alert alert--error">The import stopped at row 4.</p>' in html
    assert "every 1s" not in html


DETAIL_QUERIES = (
    4  # session, user with memberships, the import, a page of rejected rows
)


@pytest.mark.parametrize("errors", [3, 9])
def test_import_detail_uses_a_constant_number_of_queries(
    owner_client, firm, django_assert_num_queries, errors
):
    """The page costs the same for 3 or 9 rejected rows."""
    contact_import = finished_import(firm, errors)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = owner_client.get(
            reverse("contacts:import_detail", args=[contact_import.pk])
        )

    assert text(response).count("Enter a valid email address.") == errors


@pytest.mark.parametrize("errors", [3, 9])
def test_progress_endpoint_uses_a_constant_number_of_queries(
    owner_client, firm, django_assert_num_queries, errors
):
    """Each poll costs the same for 3 or 9 rejected rows."""
    contact_import = finished_import(firm, errors)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = owner_client.get(
            reverse("contacts:import_progress", args=[contact_import.pk]), **HTMX
        )

    assert text(response).count("Enter a valid email address.") == errors


def test_rejected_rows_are_paginated(owner_client, firm):
    """Fifty rejected rows a page, with a link to the next page."""
    contact_import = finished_import(firm, 51)
    url = reverse("contacts:import_detail", args=[contact_import.pk])

    first = text(owner_client.get(url))
    second = text(owner_client.get(url, {"page": 2}))

    assert first.count("Enter a valid email address.") == 50
    assert 'href="?page=2"' in first
    assert second.count("Enter a valid email address.") == 1
    assert "ada50@" in second


def test_rejected_rows_download_as_csv_with_their_values(owner_client, firm):
    """Row, reason and the file's columns, UTF-8 with BOM; the download is audited."""
    contact_import = finished_import(firm, 2)

    response = owner_client.get(
        reverse("contacts:import_errors_csv", args=[contact_import.pk])
    )

    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert body.splitlines() == [
        "\ufeffRow,Reason,First name,Email",
        "2,Email: Enter a valid email address.,Ada0,ada0@",
        "3,Email: Enter a valid email address.,Ada1,ada1@",
    ]
    assert AuditEvent.objects.get(firm=firm).verb == "export"


# The rejected rows hold personal data: downloading them is an export.


def test_rejected_rows_download_needs_the_export_permission(firm, adviser, login):
    """A member who may edit but not export gets 403 and nothing is audited."""
    contact_import = finished_import(firm, 2)

    response = login(adviser).get(
        reverse("contacts:import_errors_csv", args=[contact_import.pk])
    )

    assert response.status_code == 403
    assert AuditEvent.objects.filter(firm=firm).count() == 0


@pytest.mark.parametrize(
    ("member", "shown"), [("adviser", False), ("administrator", True)]
)
def test_rejected_rows_download_link_shows_only_to_members_who_may_export(
    firm, login, request, member, shown
):
    """The page lists the rejected rows to both; only an exporter gets the link."""
    contact_import = finished_import(firm, 2)
    client = login(request.getfixturevalue(member))
    download = reverse("contacts:import_errors_csv", args=[contact_import.pk])

    html = text(client.get(detail_url(contact_import)))

    assert "ada1@" in html
    assert (download in html) is shown
    assert client.get(download).status_code == (200 if shown else 403)


# Stalled imports


def test_a_stalled_import_stops_polling_and_offers_a_restart(owner_client, firm):
    """No heartbeat for over five minutes: no polling, a warning, a Restart button."""
    stale = timezone.now() - datetime.timedelta(minutes=6)
    contact_import = running_import(
        firm, heartbeat_at=stale, total_rows=2000, processed_rows=500
    )
    restart = reverse("contacts:import_restart", args=[contact_import.pk])
    progress = reverse("contacts:import_progress", args=[contact_import.pk])

    html = text(owner_client.get(detail_url(contact_import)))
    poll = text(owner_client.get(progress, {"shown": "running-2"}, **HTMX))

    for page in (html, poll):
        assert "every 1s" not in page
        assert progress not in page
        assert "This import has stalled" in page
        assert re.search(rf'<form method="post"\s+action="{restart}">', page)
        assert "Restart import</button>" in page
    assert "Import stalled at 25% — 500 of 2,000 rows." in poll


def test_a_running_import_with_a_recent_heartbeat_is_not_stalled(owner_client, firm):
    """Four minutes without a batch is still running: it polls and offers no restart."""
    recent = timezone.now() - datetime.timedelta(minutes=4)
    contact_import = running_import(firm, heartbeat_at=recent)

    html = text(owner_client.get(detail_url(contact_import)))

    assert 'hx-trigger="every 1s"' in html
    assert "Restart import" not in html


def test_restart_queues_a_stalled_import_again(
    firm, adviser, login, django_capture_on_commit_callbacks
):
    """Restart import moves it back to QUEUED, queues the job, and says so."""
    stale = timezone.now() - datetime.timedelta(minutes=6)
    contact_import = running_import(firm, heartbeat_at=stale)
    client = login(adviser)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("contacts:import_restart", args=[contact_import.pk])
        )

    assert response.url == detail_url(contact_import)
    assert len(callbacks) == 1
    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.QUEUED
    assert "Import restarted." in text(client.get(response.url))


def test_restart_of_an_import_that_is_not_stalled_says_why(owner_client, firm):
    """A running import with a fresh heartbeat is not restarted; the page says why."""
    contact_import = running_import(firm)

    response = owner_client.post(
        reverse("contacts:import_restart", args=[contact_import.pk]), follow=True
    )

    assert "This import is not stalled" in text(response)
    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.RUNNING


def test_restart_needs_the_edit_permission(firm, read_only, login):
    """Read-only members cannot restart an import."""
    stale = timezone.now() - datetime.timedelta(minutes=6)
    contact_import = running_import(firm, heartbeat_at=stale)

    response = login(read_only).post(
        reverse("contacts:import_restart", args=[contact_import.pk])
    )

    assert response.status_code == 403


# What screen readers hear


def test_only_a_short_status_line_is_live_on_the_import_page(owner_client, firm):
    """The polled card is not a live region; one empty status line is."""
    contact_import = running_import(firm, total_rows=2000, processed_rows=500)

    html = text(owner_client.get(detail_url(contact_import)))

    assert html.count("aria-live") == 1
    assert re.search(
        r'<p id="import-announcer"\s+class="sr-only"\s+role="status"\s+'
        r'aria-live="polite"\s+aria-atomic="true"></p>',
        html,
    )
    card = re.search(r'<section id="import-progress"[^>]*>', html)
    assert card is not None
    assert "aria-live" not in card.group()


def _poll(client, contact_import, shown):
    url = reverse("contacts:import_progress", args=[contact_import.pk])
    return text(client.get(url, {"shown": shown}, **HTMX))


ANNOUNCER = '<p id="import-announcer" hx-swap-oob="innerHTML">'


def test_progress_is_announced_only_when_the_status_line_changes(owner_client, firm):
    """A poll fills the live line only when the state or the tens of percent change."""
    contact_import = running_import(firm, total_rows=10_000, processed_rows=4_500)

    same = _poll(owner_client, contact_import, "running-4")
    moved = _poll(owner_client, contact_import, "running-3")

    assert ANNOUNCER not in same
    assert "?shown=running-4" in same
    assert moved.count(ANNOUNCER) == 1
    announced = moved.split(ANNOUNCER, 1)[1].split("</p>", 1)[0]
    assert " ".join(announced.split()) == "45% — 4,500 of 10,000 rows"


def test_a_finished_import_is_announced_once(owner_client, firm):
    """The last poll announces the outcome and stops polling, so it is heard once."""
    contact_import = finished_import(firm, 2)

    last = _poll(owner_client, contact_import, "running-9")
    page = text(owner_client.get(detail_url(contact_import)))

    assert last.count(ANNOUNCER) == 1
    announced = last.split(ANNOUNCER, 1)[1].split("</p>", 1)[0]
    assert " ".join(announced.split()) == (
        "Import finished: 10 created, 0 updated, 0 skipped as duplicates, 2 rejected."
    )
    assert "every 1s" not in last
    assert "Import finished:" not in page
