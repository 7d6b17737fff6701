"""What the case kernel adds to the registries (called from ``ready()``).

A case's history is ``CaseEvent`` rows; this module is the only one that
writes them, as the history writer ``crm.core.events.record`` calls for a
``Case``. It also says how the kernel's entries read on the History card;
a kind may tell them its own way (``events.register_formatter(...,
variant=<kind>)``).
"""

from typing import Any

from crm.cases import kinds
from crm.cases.choices import CaseContactEventType, CaseEventType
from crm.cases.models import Case, CaseEvent
from crm.core import events
from crm.firms.models import Firm, User


def write_history(
    *,
    firm: Firm,
    subject: Case,
    type: str,
    actor: User | None,
    parameters: dict[str, Any],
) -> CaseEvent:
    """Append one typed entry to the case's history."""
    event = CaseEvent(
        firm=firm, case=subject, type=type, actor=actor, parameters=parameters
    )
    event.save()
    return event


def _label(value: Any) -> str:
    return kinds.status_label(value) if isinstance(value, str) else str(value)


def _move(prefix: str) -> events.Formatter:
    """Return a formatter of a move: "<prefix> from A to B", with its reason."""

    def formatter(params: dict[str, Any]) -> events.HistoryLine:
        moved = f"from {_label(params.get('from'))} to {_label(params.get('to'))}"
        return events.HistoryLine(f"{prefix} {moved}", reason=params.get("reason", ""))

    return formatter


def _created(params: dict[str, Any]) -> str:
    return f"Case opened at {_label(params.get('status'))}"


def _updated(params: dict[str, Any]) -> events.HistoryLine:
    return events.HistoryLine(
        str(CaseEventType.UPDATED.label), changes=params.get("changes", {})
    )


FORMATTERS: dict[str, events.Formatter] = {
    CaseEventType.CREATED: _created,
    CaseEventType.UPDATED: _updated,
    CaseEventType.STATUS_CHANGED: _move("Moved"),
    CaseEventType.CLOSED: _move("Closed: moved"),
    CaseEventType.REOPENED: _move("Reopened: moved"),
}


def register() -> None:
    """Register the kernel's history and timeline entries and the history writer."""
    for value, label in CaseEventType.choices:
        events.register("case", value, label, FORMATTERS.get(value))
    events.register_types("contact", CaseContactEventType.choices)
    events.register_history(Case, subject="case", writer=write_history)
