"""Normalised forms of names, e-mails and phone numbers for search (B2, B3)."""

import unicodedata

from crm.core.phone import normalise_phone

__all__ = ["fold", "normalise_email", "normalise_phone", "search_name"]


def normalise_email(value: str) -> str:
    """Return the e-mail address trimmed and lower-cased."""
    return value.strip().lower()


def fold(value: str) -> str:
    """Return ``value`` lower-cased without accents, for case-insensitive search."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_name(*parts: str) -> str:
    """Return the folded, space-joined name parts used for name search."""
    return " ".join(fold(p.strip()) for p in parts if p and p.strip())
