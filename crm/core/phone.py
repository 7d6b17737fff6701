"""UK phone numbers: one normal form for search, matching and validation (B2, B3)."""

import re

_NON_DIGIT = re.compile(r"\D")


def normalise_phone(value: str) -> str:
    """Return a UK phone number as national digits: '+44 7700 900123' -> '07700900123'.

    Spaces, dashes and brackets are dropped; a +44 / 0044 / 44 prefix becomes 0,
    so a number matches whatever form it was typed in.
    """
    raw = value.strip()
    digits = _NON_DIGIT.sub("", raw)
    if not digits:
        return ""
    if raw.startswith("+") and digits.startswith("44"):
        return "0" + digits[2:].lstrip("0")
    if digits.startswith("0044"):
        return "0" + digits[4:].lstrip("0")
    if digits.startswith("44") and len(digits) == 12:
        return "0" + digits[2:]
    return digits


def is_uk_phone(value: str) -> bool:
    """Return True if ``value`` normalises to a 10- or 11-digit national number."""
    digits = normalise_phone(value)
    return digits.startswith("0") and len(digits) in (10, 11)
