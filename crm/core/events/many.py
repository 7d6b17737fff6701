"""Record many history-only events at once (a worker's batch of outcomes).

:func:`record_many` is :func:`crm.core.events.record` for a list of events
that write only their subjects' history (no timeline, no audit row): the
history rows of each model go in one insert when its app registered a batch
writer, and writers and subscribers hear of every event as ``record``'s do (a
writer registered with a ``many`` form hears of the whole batch in one call).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models

from crm.core.audit import plain
from crm.core.events import pipeline
from crm.core.events.shapes import RecordedEvent

if TYPE_CHECKING:
    from crm.firms.models import Firm, User


@dataclass(frozen=True)
class Happened:
    """One event of a batch: ``type`` happened to ``subject``, with ``params``."""

    subject: models.Model
    type: str
    params: dict[str, Any] = field(default_factory=dict)


def record_many(
    *, firm: "Firm", actor: "User | None", happened: list[Happened]
) -> list[RecordedEvent]:
    """Write the history rows of ``happened`` in the caller's transaction.

    Every subject's model must have a history writer, and every type must be
    registered for it (as ``record`` requires). Return the recorded events.
    """
    actor = actor if actor is not None and actor.is_authenticated else None
    by_model: dict[type[models.Model], list[Happened]] = defaultdict(list)
    for one in happened:
        model = pipeline._model_of(one.subject)
        history = pipeline._HISTORY.get(model)
        if history is None:
            msg = f"{model._meta.label} has no history writer."
            raise ValueError(msg)
        pipeline._check_type(history[0], one.type)
        by_model[model].append(one)
    recorded: list[RecordedEvent] = []
    pairs: list[tuple[RecordedEvent, models.Model | None]] = []
    for model, items in by_model.items():
        subject_label, writer = pipeline._HISTORY[model]
        batch = pipeline._HISTORY_BATCH.get(model)
        if batch is not None:
            batch(
                firm=firm,
                actor=actor,
                entries=[(h.subject, h.type, h.params) for h in items],
            )
        else:
            for h in items:
                writer(
                    firm=firm,
                    subject=h.subject,
                    type=h.type,
                    actor=actor,
                    parameters=h.params,
                )
        for h in items:
            event = RecordedEvent(
                firm_id=firm.pk,
                subject=subject_label,
                subject_id=str(h.subject.pk),
                type=h.type,
                params=plain(h.params),
                changes={},
                actor_id=actor.pk if actor is not None else None,
            )
            pairs.append((event, h.subject))
            recorded.append(event)
    for write in list(pipeline._WRITERS):
        many = pipeline._WRITERS_MANY.get(write)
        if many is not None:
            many(pairs)
        else:
            for event, subject in pairs:
                write(event, subject)
    for event in recorded:
        pipeline._notify(event)
    return recorded
