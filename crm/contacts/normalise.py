"""Normalised forms of names, e-mails and phone numbers for search (B2, B3)."""

import re
import unicodedata

_NON_DIGIT = re.compile(r"\D")


def normalise_email(value: str) -> str:
    """Return the e-mail address trimmed and lower-cased."""
    return value.strip().lower()


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


def fold(value: str) -> str:
    """Return ``value`` lower-cased without accents, for case-insensitive search."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_name(*parts: str) -> str:
    """Return the folded, space-joined name parts used for name search."""
    return " ".join(fold(p.strip()) for p in parts if p and p.strip())
