"""The History card: history rows turned into the lines every page shows.

One path for every subject: the lead page, the advice case page and the
support case page all pass their rows here and include
``components/_history.html``. The text of each line comes from the formatter
registered for the row's type (see :mod:`crm.core.events.registry`), else
its label.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from crm.core.events.registry import describe


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
