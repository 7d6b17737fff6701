"""The shapes the event pipeline passes around: writers' protocols and events.

``crm.core.events.pipeline`` records events through them; apps implement the
writers (history, client timeline) and read ``RecordedEvent`` in subscribers.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models

from crm.core.models import AuditEvent

if TYPE_CHECKING:
    from crm.firms.models import Firm, User


class HistoryWriter(Protocol):
    """Write one history row of ``subject`` and return it (saved)."""

    def __call__(
        self,
        *,
        firm: "Firm",
        subject: Any,
        type: str,
        actor: "User | None",
        parameters: dict[str, Any],
    ) -> models.Model: ...


class HistoryBatchWriter(Protocol):
    """Write many history rows of one model at once: (subject, type, parameters)."""

    def __call__(
        self,
        *,
        firm: "Firm",
        actor: "User | None",
        entries: list[tuple[Any, str, dict[str, Any]]],
    ) -> Sequence[models.Model]: ...


class TimelineWriter(Protocol):
    """Write one client-timeline entry for ``contact`` and return it (saved)."""

    def __call__(
        self,
        *,
        firm: "Firm",
        contact: Any,
        type: str,
        actor: "User | None",
        summary: str,
        link: str,
        parameters: dict[str, Any],
    ) -> models.Model: ...


@dataclass(frozen=True)
class RecordedEvent:
    """What a subscriber hears about an event, once its transaction commits."""

    firm_id: int
    subject: str
    subject_id: str
    type: str
    params: dict[str, Any]
    changes: dict[str, Any]
    actor_id: int | None


@dataclass
class Recorded:
    """The rows one :func:`record` call wrote (for callers and tests)."""

    event: RecordedEvent
    history: models.Model | None = None
    timeline: list[models.Model] = field(default_factory=list)
    audit: AuditEvent | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """One client-timeline entry of a batch (see :func:`record_timeline`).

    ``type``, if given, is the entry's own (a deferred batch mixes types);
    otherwise the batch's.
    """

    contact: models.Model
    summary: str = ""
    link: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    type: str = ""


class TimelineBatchWriter(Protocol):
    """Write many client-timeline entries at once, of ``type`` unless their own."""

    def __call__(
        self,
        *,
        firm: "Firm",
        type: str,
        actor: "User | None",
        entries: list[TimelineEntry],
    ) -> Sequence[models.Model]: ...


Subscriber = Callable[[RecordedEvent], None]
# Called inside the recording transaction with the event and its subject.
Writer = Callable[[RecordedEvent, models.Model | None], None]
# A writer's form for a batch (``record_many``): every (event, subject) at once.
ManyWriter = Callable[[Sequence[tuple[RecordedEvent, models.Model | None]]], None]
