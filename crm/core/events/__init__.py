"""Events: the type registry, the one ``record`` seam, and the History card.

Services write through :func:`record`; apps register their event types,
formatters and history writers in ``AppConfig.ready()``; pages turn history
rows into lines with :func:`history_entries`.
"""

from crm.core.audit import Snapshot, diff, snapshot
from crm.core.events.history import HistoryEntry, history_entries
from crm.core.events.many import Happened, record_many
from crm.core.events.pipeline import (
    hold_audit,
    record,
    record_timeline,
    register_history,
    register_timeline,
    register_writer,
    subject_of,
    subscribe,
    unregister_writer,
    unsubscribe,
)
from crm.core.events.registry import (
    EventType,
    Formatter,
    HistoryLine,
    choices_of,
    describe,
    formatter_of,
    is_registered,
    label_of,
    register,
    register_formatter,
    register_types,
    types_of,
)
from crm.core.events.shapes import (
    Recorded,
    RecordedEvent,
    Subscriber,
    TimelineEntry,
    Writer,
)

__all__ = [
    "EventType",
    "Formatter",
    "Happened",
    "HistoryEntry",
    "HistoryLine",
    "Recorded",
    "RecordedEvent",
    "Snapshot",
    "Subscriber",
    "TimelineEntry",
    "Writer",
    "choices_of",
    "describe",
    "diff",
    "formatter_of",
    "history_entries",
    "hold_audit",
    "is_registered",
    "label_of",
    "record",
    "record_many",
    "record_timeline",
    "register",
    "register_formatter",
    "register_history",
    "register_timeline",
    "register_types",
    "register_writer",
    "snapshot",
    "subject_of",
    "subscribe",
    "types_of",
    "unregister_writer",
    "unsubscribe",
]
