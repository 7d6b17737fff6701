"""The event-type registry: what can happen to a subject, filled by each app.

A subject is a kind of record with a history: ``"case"``, ``"lead"``,
``"contact"`` (the client timeline). Each app registers the event types it
writes, with a label and optionally a formatter, in its ``AppConfig.ready()``;
history columns take their choices from here through callables, so a new
event type needs no migration in the app that owns the history table.

A formatter turns a history row's parameters into the line the History card
shows. A formatter may be registered for one *variant* of a subject (a case
kind, e.g. ``"support"``) to override the subject's own: the kernel writes
"case created" for every kind, and each kind may tell it differently.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HistoryLine:
    """What a formatter returns: the title, and a reason and changes to show."""

    title: str
    reason: str = ""
    changes: Mapping[str, list[Any]] = field(default_factory=dict)


Formatter = Callable[[dict[str, Any]], "str | HistoryLine"]


@dataclass(frozen=True)
class EventType:
    """One kind of history entry: stored ``value``, shown ``label``."""

    subject: str
    value: str
    label: Any
    formatter: Formatter | None = None


_TYPES: dict[str, dict[str, EventType]] = {}
# (subject, variant, value) -> formatter overriding the type's own for a variant.
_VARIANT_FORMATTERS: dict[tuple[str, str, str], Formatter] = {}


def register(
    subject: str, value: str, label: Any, formatter: Formatter | None = None
) -> EventType:
    """Register event type ``value`` of ``subject`` with its label and formatter.

    Registering the same value twice with another label is refused: two apps
    would be writing the same history entry with different meanings. A second
    registration with the same label may add a formatter.
    """
    types = _TYPES.setdefault(subject, {})
    existing = types.get(value)
    if existing is not None:
        if str(existing.label) != str(label):
            msg = f"Event type {subject}.{value} is registered twice."
            raise ValueError(msg)
        formatter = formatter or existing.formatter
    event_type = EventType(
        subject=subject, value=value, label=label, formatter=formatter
    )
    types[value] = event_type
    return event_type


def register_types(subject: str, choices: Iterable[tuple[str, Any]]) -> None:
    """Register ``(value, label)`` event types of ``subject``, without formatters."""
    for value, label in choices:
        register(subject, value, label)


def register_formatter(
    subject: str, value: str, formatter: Formatter, *, variant: str = ""
) -> None:
    """Set the formatter of ``subject``'s type ``value``, or of one ``variant``.

    The type must be registered already (by the app that writes it).
    """
    if value not in _TYPES.get(subject, {}):
        msg = f"Event type {subject}.{value} is not registered."
        raise ValueError(msg)
    if variant:
        _VARIANT_FORMATTERS[subject, variant, value] = formatter
    else:
        existing = _TYPES[subject][value]
        register(subject, value, existing.label, formatter)


def types_of(subject: str) -> list[EventType]:
    """Return the event types registered for ``subject``."""
    return list(_TYPES.get(subject, {}).values())


def is_registered(subject: str, value: str) -> bool:
    """Return whether ``value`` is a registered event type of ``subject``."""
    return value in _TYPES.get(subject, {})


def choices_of(subject: str) -> list[tuple[str, Any]]:
    """Return ``(value, label)`` of ``subject``'s event types."""
    return [(t.value, t.label) for t in types_of(subject)]


def label_of(subject: str, value: str) -> str:
    """Return the label of event type ``value`` of ``subject`` (or the value)."""
    found = _TYPES.get(subject, {}).get(value)
    return str(found.label) if found is not None else value


def formatter_of(subject: str, value: str, variant: str = "") -> Formatter | None:
    """Return the formatter for ``value`` of ``subject`` (``variant``'s first)."""
    if variant:
        override = _VARIANT_FORMATTERS.get((subject, variant, value))
        if override is not None:
            return override
    found = _TYPES.get(subject, {}).get(value)
    return found.formatter if found is not None else None


def describe(
    subject: str, value: str, params: dict[str, Any], variant: str = ""
) -> HistoryLine:
    """Return the History card's line for one entry, falling back to the label."""
    formatter = formatter_of(subject, value, variant)
    if formatter is None:
        return HistoryLine(label_of(subject, value))
    line = formatter(params)
    return HistoryLine(line) if isinstance(line, str) else line
