"""The words that name a contact in free text, and finding them (SPEC M2, M3)."""

import re
from collections.abc import Iterable
from typing import Any

from crm.contacts.models import Contact


def words_of(contact: Contact) -> list[str]:
    """Return the words that name ``contact``: names, e-mail, phone numbers."""
    found = {
        contact.display_name,
        contact.first_name,
        contact.preferred_name,
        contact.last_name,
        contact.organisation_name,
        contact.email,
        contact.mobile,
        contact.other_phone,
    }
    return sorted(w.strip() for w in found if w and len(w.strip()) >= 3)


def pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """Return a pattern finding any of ``words`` as whole words, any case."""
    words = sorted(words, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def mask(value: Any, names: re.Pattern[str], replacement: str) -> Any:
    """Return ``value`` (JSON-ready) with every match of ``names`` replaced."""
    if isinstance(value, dict):
        return {k: mask(v, names, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, names, replacement) for v in value]
    if isinstance(value, str):
        return names.sub(replacement, value)
    return value
