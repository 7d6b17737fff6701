"""One seam for everything that happens: history, client timeline, audit, outbound.

A service calls :func:`record` once per thing that happened, inside its own
transaction. ``record`` writes the subject's history row through the history
writer its app registered (``crm.cases`` for cases, ``crm.leads`` for leads),
one client-timeline entry per contact given through the timeline writer
``crm.contacts`` registered, and the audit row. Subscribers hear of the
event only once the transaction commits, and never of a rolled-back one.
Writers (outbound deliveries such as webhooks, which queue an outbox message
per event) are called inside the transaction instead, with the subject, so
what they write commits or rolls back with the change itself.

Inside an all-or-nothing block (``crm.core.transactions``: Create Case), the
timeline entries and audit rows of every event are written together when the
block ends, one insert each (``transactions.deferred``); the history rows,
which belong to different models, are written at once.

Core knows none of the history models: the apps that own them register
their writers in ``AppConfig.ready()``.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from crm.core import auditchain, transactions
from crm.core.audit import object_type_of, plain
from crm.core.choices import AuditVerb
from crm.core.events.registry import is_registered
from crm.core.events.shapes import (
    HistoryBatchWriter,
    HistoryWriter,
    ManyWriter,
    Recorded,
    RecordedEvent,
    Subscriber,
    TimelineBatchWriter,
    TimelineEntry,
    TimelineWriter,
    Writer,
)
from crm.core.models import AuditEvent
from crm.core.request_context import client_ip

if TYPE_CHECKING:
    from crm.firms.models import Firm, User

TIMELINE = "contact"
SUMMARY_MAX = 300
LINK_MAX = 200
REPR_MAX = 200


_HISTORY: dict[type[models.Model], tuple[str, HistoryWriter]] = {}
_HISTORY_BATCH: dict[type[models.Model], HistoryBatchWriter] = {}
_TIMELINE: list[TimelineWriter] = []
_TIMELINE_BATCH: list[TimelineBatchWriter] = []
_SUBSCRIBERS: list[Subscriber] = []
_WRITERS: list[Writer] = []
_WRITERS_MANY: dict[Writer, ManyWriter] = {}


def register_history(
    model: type[models.Model],
    *,
    subject: str,
    writer: HistoryWriter,
    batch: HistoryBatchWriter | None = None,
) -> None:
    """Make ``writer`` write the history of ``model`` rows, as event ``subject``.

    ``batch``, if given, writes many rows at once for ``events.record_many``.
    """
    existing = _HISTORY.get(model)
    if existing is not None and existing != (subject, writer):
        msg = f"History of {model._meta.label} is registered twice."
        raise ValueError(msg)
    _HISTORY[model] = (subject, writer)
    if batch is not None:
        _HISTORY_BATCH[model] = batch


def register_timeline(writer: TimelineWriter, batch: TimelineBatchWriter) -> None:
    """Make ``writer`` (one entry) and ``batch`` (many) write the client timeline."""
    if _TIMELINE and _TIMELINE[0] is not writer:
        msg = "The client timeline writer is registered twice."
        raise ValueError(msg)
    _TIMELINE[:] = [writer]
    _TIMELINE_BATCH[:] = [batch]


def subscribe(subscriber: Subscriber) -> None:
    """Call ``subscriber`` with every event, each once its transaction commits."""
    if subscriber not in _SUBSCRIBERS:
        _SUBSCRIBERS.append(subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
    """Stop calling ``subscriber`` (for tests)."""
    if subscriber in _SUBSCRIBERS:
        _SUBSCRIBERS.remove(subscriber)


def register_writer(writer: Writer, *, many: ManyWriter | None = None) -> None:
    """Call ``writer(event, subject)`` with every event, inside its transaction.

    A writer's rows commit or roll back with the change they report (the
    webhooks' outbox messages). It must be quick and read little: it runs on
    every recorded event. ``subject`` is None for events recorded without one.
    ``many``, if given, takes a whole ``record_many`` batch in one call (so a
    worker's batch of outcomes costs one read, not one per event).
    """
    if writer not in _WRITERS:
        _WRITERS.append(writer)
    if many is not None:
        _WRITERS_MANY[writer] = many


def unregister_writer(writer: Writer) -> None:
    """Stop calling ``writer`` (for tests)."""
    if writer in _WRITERS:
        _WRITERS.remove(writer)
    _WRITERS_MANY.pop(writer, None)


def _model_of(instance: models.Model) -> type[models.Model]:
    return instance._meta.concrete_model or type(instance)


def subject_of(instance: models.Model) -> str:
    """Return the event subject of ``instance``: ``"case"``, or its model label."""
    found = _HISTORY.get(_model_of(instance))
    return found[0] if found is not None else object_type_of(instance)


def _check_type(subject: str, type: str) -> None:
    if not is_registered(subject, type):
        msg = f"Event type {subject}.{type} is not registered."
        raise ValueError(msg)


def _audit(
    *,
    firm: "Firm",
    actor: "User | None",
    verb: AuditVerb,
    obj: models.Model | None,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: dict[str, Any] | None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:REPR_MAX]
    event = AuditEvent(
        firm=firm,
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:REPR_MAX],
        changes=plain(changes or {}),
        ip_address=client_ip(),
    )
    pending = transactions.deferred("events.audit", auditchain.seal_many)
    if pending is None:
        return auditchain.seal(event)
    auditchain.hold(firm.pk)
    pending.append(event)
    return event


def hold_audit(firm: "Firm") -> None:
    """Take the firm's audit-chain lock now, for a write whose audit row comes later.

    Locks are taken in one order: the chain's, then the rows a write
    updates under it (a status change that opens a Remortgage case records
    its audit row before it takes the reference counter's). A write that
    would take a row's lock first calls this before it. One query, once a
    transaction (the head is kept for the rows to come).
    """
    auditchain.hold(firm.pk)


def _write_timeline(
    batches: list[tuple["Firm", "User | None", TimelineEntry]],
) -> None:
    """Write a block's deferred timeline entries: one batch per firm and actor."""
    groups: dict[tuple[int, int | None], tuple[Firm, User | None, list[TimelineEntry]]]
    groups = {}
    for firm, actor, entry in batches:
        key = (firm.pk, actor.pk if actor is not None else None)
        groups.setdefault(key, (firm, actor, []))[2].append(entry)
    for firm, actor, entries in groups.values():
        _TIMELINE_BATCH[0](firm=firm, type="", actor=actor, entries=entries)


def record(
    *,
    firm: "Firm",
    actor: "User | None",
    subject: models.Model | None = None,
    type: str = "",
    params: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    verb: AuditVerb | None = None,
    audit_obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    timeline: Iterable[models.Model] = (),
    timeline_type: str = "",
    timeline_params: dict[str, Any] | None = None,
    summary: str = "",
    link: str = "",
) -> Recorded:
    """Record that ``type`` happened to ``subject``, in the caller's transaction.

    Writes ``subject``'s history row with ``params`` when its model has a
    history writer and ``type`` is given; one timeline entry of
    ``timeline_type`` (default ``type``) per contact in ``timeline``, with
    ``summary``, ``link`` and ``timeline_params``; and, when ``verb`` is
    given, the audit row about ``audit_obj`` (default ``subject``) with
    ``changes``. Refuses a type its subject has not registered. Subscribers
    are called once the transaction commits. In an all-or-nothing block the
    timeline entries and the audit row are written at its end (the returned
    ``timeline`` is then empty, and ``audit`` gets its id then).
    """
    actor = actor if actor is not None and actor.is_authenticated else None
    params = params or {}
    contacts = list(timeline)
    history = _HISTORY.get(_model_of(subject)) if subject is not None else None
    subject_label = subject_of(subject) if subject is not None else ""
    if type and history is not None:
        _check_type(history[0], type)
    elif type and not contacts:
        # A type that neither a history nor a timeline takes says nothing.
        _check_type(subject_label, type)
    if contacts:
        if not _TIMELINE:
            msg = "No client timeline writer is registered."
            raise RuntimeError(msg)
        _check_type(TIMELINE, timeline_type or type)
    history_row = (
        history[1](
            firm=firm, subject=subject, type=type, actor=actor, parameters=params
        )
        if history is not None and type
        else None
    )
    pending = (
        transactions.deferred("events.timeline", _write_timeline) if contacts else None
    )
    entries = [
        TimelineEntry(
            contact=contact,
            summary=summary[:SUMMARY_MAX],
            link=link[:LINK_MAX],
            params=timeline_params or {},
            type=timeline_type or type,
        )
        for contact in contacts
    ]
    timeline_rows: list[models.Model] = []
    if pending is not None:
        pending.extend((firm, actor, entry) for entry in entries)
    else:
        timeline_rows = [
            _TIMELINE[0](
                firm=firm,
                contact=e.contact,
                type=e.type,
                actor=actor,
                summary=e.summary,
                link=e.link,
                parameters=e.params,
            )
            for e in entries
        ]
    audit_row = None
    if verb is not None:
        audit_row = _audit(
            firm=firm,
            actor=actor,
            verb=verb,
            obj=audit_obj if audit_obj is not None else subject,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            changes=changes,
        )
    target = subject if subject is not None else audit_obj
    event = RecordedEvent(
        firm_id=firm.pk,
        subject=subject_label
        or (object_type_of(target) if target is not None else object_type),
        subject_id=str(target.pk) if target is not None else object_id,
        type=type or (str(verb) if verb is not None else ""),
        params=plain(params),
        changes=plain(changes or {}),
        actor_id=actor.pk if actor is not None else None,
    )
    for writer in _WRITERS:
        writer(event, target)
    _notify(event)
    return Recorded(
        event=event, history=history_row, timeline=timeline_rows, audit=audit_row
    )


def record_timeline(
    *,
    firm: "Firm",
    actor: "User | None",
    type: str,
    entries: list[TimelineEntry],
) -> Sequence[models.Model]:
    """Append many client-timeline entries of ``type`` in one write (imports).

    Each entry has its own contact, summary, link and parameters; no history
    or audit row is written (the caller records the batch's audit row).
    """
    if not _TIMELINE_BATCH:
        msg = "No client timeline writer is registered."
        raise RuntimeError(msg)
    _check_type(TIMELINE, type)
    actor = actor if actor is not None and actor.is_authenticated else None
    entries = [
        TimelineEntry(
            contact=e.contact,
            summary=e.summary[:SUMMARY_MAX],
            link=e.link[:LINK_MAX],
            params=e.params,
        )
        for e in entries
    ]
    rows = _TIMELINE_BATCH[0](firm=firm, type=type, actor=actor, entries=entries)
    writers = list(_WRITERS)
    for entry in entries:
        event = RecordedEvent(
            firm_id=firm.pk,
            subject=object_type_of(entry.contact),
            subject_id=str(entry.contact.pk),
            type=type,
            params=plain(entry.params),
            changes={},
            actor_id=actor.pk if actor is not None else None,
        )
        for writer in writers:
            writer(event, entry.contact)
        _notify(event)
    return rows


def _notify(event: RecordedEvent) -> None:
    if not _SUBSCRIBERS:
        return
    subscribers = list(_SUBSCRIBERS)

    def deliver() -> None:
        for subscriber in subscribers:
            subscriber(event)

    transaction.on_commit(deliver)
