"""Bad bytes in an import file: a NUL row is rejected, an open quote reported (B5)."""

import pytest

from crm.contacts.choices import ImportStatus
from crm.contacts.models import Contact, ContactImportError
from crm.contacts.tests.test_imports_services import csv_bytes, errors_of, people, run
from crm.contacts.tests.test_imports_services import upload as upload_file
from crm.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_a_row_with_a_nul_byte_is_rejected_with_its_reason_and_the_rest_imported(
    firm, owner
):
    """One NUL byte costs its row, with a reason, never the whole import."""
    rows = people(700)
    rows[349][0] = "Ad\x00a"
    contact_import = run(firm, owner, csv_bytes(rows))

    assert contact_import.status == ImportStatus.DONE
    [(number, reason)] = errors_of(contact_import)
    assert number == 351
    assert reason.startswith("First Name: contains a NUL character")
    assert Contact.objects.filter(firm=firm).count() == 699
    names = Contact.objects.filter(firm=firm).values_list("first_name", flat=True)
    assert [name for name in names if "\x00" in name] == []
    stored = ContactImportError.objects.get(contact_import=contact_import)
    assert stored.data["First Name"] == "Ad\u2400a"


def test_a_nul_byte_in_a_column_name_does_not_break_the_upload(firm, owner):
    """A NUL in the header row is read as a space in the column's name."""
    header = ["First\x00Name", "Surname", "Email Address", "Mobile", "DOB", "Post code"]
    contact_import = upload_file(firm, owner, csv_bytes(people(2), header=header))
    assert contact_import.mapping["headers"][0] == "First Name"


def test_an_unterminated_quote_is_reported_not_swallowed(firm, owner):
    """A quote left open would read every later row as one cell; the upload says so."""
    content = (
        csv_bytes(people(3))
        + b'Ada,"Lovelace,ada@example.com\nBob,Smith,bob@example.com\n'
    )
    with pytest.raises(ApplicationError, match="row 5 opens a quote"):
        upload_file(firm, owner, content)


def test_a_quoted_cell_over_several_lines_is_still_read(firm, owner):
    """A properly closed multi-line cell is fine."""
    rows = people(2)
    rows[0][5] = "ab1\n2cd"
    contact_import = upload_file(firm, owner, csv_bytes(rows))
    assert contact_import.total_rows == 2
