"""Normalised search forms (B2)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.contacts.normalise import fold, normalise_email, normalise_phone, search_name


@pytest.mark.parametrize(
    "typed",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+44 (0)7700 900123",
        "0044 7700 900 123",
        "447700900123",
        "077-009-001-23",
    ],
)
def test_uk_mobile_forms_normalise_to_the_same_digits(typed):
    """Spacing, dashes and +44/0044/0 prefixes all give the national number."""
    assert normalise_phone(typed) == "07700900123"


def test_empty_phone_is_empty():
    """A phone field with no digits normalises to nothing."""
    assert normalise_phone(" - ") == ""


def test_email_and_names_fold_case_and_accents():
    """E-mails are lower-cased; names lose case and accents."""
    assert normalise_email("  Ann.Lee@Example.COM ") == "ann.lee@example.com"
    assert fold("Zoë Ó Briain") == "zoe o briain"
    assert search_name(" Ann ", "", "Lee") == "ann lee"


@given(st.text(alphabet="0123456789 +()-", max_size=20))
def test_phone_normalisation_is_idempotent(raw):
    """Normalising twice changes nothing and leaves only digits."""
    once = normalise_phone(raw)
    assert normalise_phone(once) == once
    assert once == "" or once.isdigit()
