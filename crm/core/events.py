"""The event-type registry: what can happen to a subject, filled by each app.

A subject is a kind of record with a history: ``"case"``, ``"lead"``,
``"contact"`` (the client timeline). Each app registers the event types it
writes, with a label, in its ``AppConfig.ready()``; history columns take their
choices from here through callables, so a new event type needs no migration
in the app that owns the history table.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EventType:
    """One kind of history entry: stored ``value``, shown ``label``."""

    subject: str
    value: str
    label: Any


_TYPES: dict[str, dict[str, EventType]] = {}


def register_types(subject: str, choices: Iterable[tuple[str, Any]]) -> None:
    """Register ``(value, label)`` event types of ``subject``.

    Registering the same value twice with another label is refused: two apps
    would be writing the same history entry with different meanings.
    """
    types = _TYPES.setdefault(subject, {})
    for value, label in choices:
        existing = types.get(value)
        if existing is not None and str(existing.label) != str(label):
            msg = f"Event type {subject}.{value} is registered twice."
            raise ValueError(msg)
        types[value] = EventType(subject=subject, value=value, label=label)


def types_of(subject: str) -> list[EventType]:
    """Return the event types registered for ``subject``."""
    return list(_TYPES.get(subject, {}).values())


def choices_of(subject: str) -> list[tuple[str, Any]]:
    """Return ``(value, label)`` of ``subject``'s event types."""
    return [(t.value, t.label) for t in types_of(subject)]


def label_of(subject: str, value: str) -> str:
    """Return the label of event type ``value`` of ``subject`` (or the value)."""
    found = _TYPES.get(subject, {}).get(value)
    return str(found.label) if found is not None else value
