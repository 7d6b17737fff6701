"""The History card: history rows turned into the lines every page shows.

One path for every subject: the lead page, the advice case page and the
support case page all pass their rows here and draw
``components/_history.html`` (``{% history_card %}``, ``draw``). The text of
each line comes from the formatter registered for the row's type (see
:mod:`crm.core.events.registry`), else its label.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.template.base import render_value_in_context
from django.utils import timezone

from crm.core import rows
from crm.core.events.registry import describe
from crm.core.templatetags.dates import date


class HistoryRow(Protocol):
    """A stored history row: a ``CaseEvent``, a ``LeadEvent``."""

    type: str
    parameters: Any


@dataclass(frozen=True)
class HistoryEntry:
    """A history row as the History card shows it."""

    event: Any
    title: str
    reason: str = ""
    changes: Mapping[str, list[Any]] = field(default_factory=dict)


def history_entries(
    rows: Iterable[HistoryRow], *, subject: str, variant: str = ""
) -> list[HistoryEntry]:
    """Return ``rows`` of ``subject`` (of kind ``variant``) as History card lines."""
    entries = []
    for row in rows:
        line = describe(subject, row.type, row.parameters or {}, variant)
        entries.append(HistoryEntry(row, line.title, line.reason, line.changes))
    return entries


def _value(value: Any, context: Any) -> str:
    """Return ``{{ value }}``: text escaped, anything else as the engine shows it."""
    if type(value) is str:
        return rows.e(value)
    return str(render_value_in_context(value, context))


def _side(value: Any, tag: str, context: Any) -> str:
    """Return one side of a change: the value in ``<del>``/``<ins>``, or "none"."""
    if value is not None and value != "":
        shown = _value(value, context)
        return f"\n                  <{tag}>{shown}</{tag}>\n                "
    return '\n                  <span class="muted">none</span>\n                '


def _changes(changes: Mapping[str, Any], context: Any) -> str:
    if not changes:
        return ""
    items = "".join(
        [
            "\n              <li>"
            f"\n                <strong>{_value(name, context)}</strong>:"
            f"\n                {_side(values[0], 'del', context)}\n                →"
            f"\n                {_side(values[1], 'ins', context)}\n              </li>"
            "\n            "
            for name, values in changes.items()
        ]
    )
    return (
        f'\n          <ul class="changes">\n            {items}'
        "\n          </ul>\n        "
    )


def _entry(entry: HistoryEntry, context: Any) -> str:
    event = entry.event
    actor = event.actor
    moment = event.created_at
    if moment is not None and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    reason = f"<p>Reason: {_value(entry.reason, context)}</p>" if entry.reason else ""
    return (
        "\n      <li>"
        f'\n        <p class="lead-history__title">{_value(entry.title, context)}</p>'
        '\n        <p class="muted lead-history__meta">'
        f"\n          {_value(actor, context) if actor else 'System'} ·"
        f'\n          <time datetime="{rows.e(date(moment, "c"))}">'
        f"{rows.e(date(moment, 'j M Y, H:i'))}</time>\n        </p>"
        f"\n        {reason}\n        {_changes(entry.changes, context)}"
        "\n      </li>\n    "
    )


def draw(context: Any, subject: str) -> str:
    """Return ``components/_history.html`` for the context's ``history``.

    Through the template language a line cost about 100 Python calls (the
    lookups, two ``date`` filters, ``default``); the case, support case and
    lead pages draw it here. The template stays the reference, and a test
    draws varied lines both ways and compares them.
    """
    entries = context.get("history") or ()
    lines = "".join([_entry(entry, context) for entry in entries]) or (
        f'\n      <li class="muted">Nothing has happened to this {rows.e(subject)}'
        " yet.</li>\n    "
    )
    return (
        '\n<section class="card" aria-labelledby="history-heading">'
        '\n  <h2 id="history-heading">History</h2>\n  <ol class="lead-history">'
        f"\n    {lines}\n  </ol>\n</section>\n"
    )
