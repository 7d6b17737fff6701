"""Writes to the outbox: enqueue, claim, deliver, retry and prune (SPEC K3/G5).

Enqueueing happens in the caller's transaction. Claiming, delivering and
pruning are the worker's: they read across firms under an explicit
``scopes_disabled()`` and enter ``scope(firm=...)`` for each message.
"""

import logging
import secrets
import time
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks_db.models import DBTaskResult

from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.outbox.choices import DeliveryAttemptOutcome, OutboxMessageStatus
from crm.core.outbox.models import (
    DEFAULT_MAX_ATTEMPTS,
    ERROR_MAX_LENGTH,
    EXCERPT_MAX_LENGTH,
    DeliveryAttempt,
    OutboxMessage,
)
from crm.core.outbox.registry import DeliveryResult, handler_for, outcomes_hook_for

if TYPE_CHECKING:
    from crm.firms.models import Firm, User

logger = logging.getLogger(__name__)

CLAIM_BATCH = 20
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)
PRUNE_BATCH = 500


def _clean_text(value: str, limit: int) -> str:
    """Return ``value`` cut to ``limit`` characters, without NUL characters."""
    return value.replace("\x00", "")[:limit]


def retry_delay(failures: int, *, jitter: float | None = None) -> timedelta:
    """Return how long to wait after the ``failures``-th failed try.

    The delay doubles from ``RETRY_BASE`` with each failure up to
    ``RETRY_CAP``, and a random ``jitter`` in [0.5, 1] scales it so that
    messages that failed together do not all come back together.
    """
    exponent = min(max(failures, 1) - 1, 20)
    delay = min(RETRY_BASE * (1 << exponent), RETRY_CAP)
    if jitter is None:
        jitter = 0.5 + secrets.SystemRandom().random() / 2
    return delay * jitter


def lease_length() -> timedelta:
    """Return how long a claim lasts (``settings.OUTBOX_LEASE_SECONDS``)."""
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


@transaction.atomic
def outbox_enqueue(
    *,
    firm: "Firm",
    topic: str,
    payload: Any,
    idempotency_key: str,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> OutboxMessage:
    """Queue ``payload`` for delivery under ``topic``, in the caller's transaction.

    A message already queued in ``firm`` with the same ``idempotency_key`` is
    returned as it is (its payload is kept) instead of queuing a second one.
    """
    existing = OutboxMessage.objects.filter(
        firm=firm, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing
    message = OutboxMessage(
        firm=firm,
        topic=topic,
        payload=payload,
        idempotency_key=idempotency_key,
        max_attempts=max_attempts,
        next_attempt_at=timezone.now(),
        created_at=timezone.now(),
    )
    message.full_clean(exclude=["firm"], validate_constraints=False)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # Another transaction queued the same key between the read and the insert.
        return OutboxMessage.objects.get(firm=firm, idempotency_key=idempotency_key)
    return message


def outbox_claim_due(
    *,
    worker: str,
    now: datetime | None = None,
    limit: int = CLAIM_BATCH,
    message_ids: Collection[int] | None = None,
) -> list[int]:
    """Lease up to ``limit`` due messages to ``worker`` and return their ids.

    See :func:`outbox_claim`, which returns the messages themselves.
    """
    claimed = outbox_claim(worker=worker, now=now, limit=limit, message_ids=message_ids)
    return [message.pk for message in claimed]


def outbox_claim(
    *,
    worker: str,
    now: datetime | None = None,
    limit: int = CLAIM_BATCH,
    message_ids: Collection[int] | None = None,
) -> list[OutboxMessage]:
    """Lease up to ``limit`` due messages to ``worker`` and return them.

    A message is due when it is pending, its ``next_attempt_at`` has come and
    no other worker holds an unexpired lease on it. On PostgreSQL the rows are
    locked with ``SKIP LOCKED``; everywhere, the lease is taken with a
    compare-and-set update that only changes rows whose lease is still free,
    so two workers never hold the same message. ``message_ids`` narrows the
    claim to those messages.
    """
    now = now or timezone.now()
    until = now + lease_length()
    lease_free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    with scopes_disabled(), transaction.atomic():
        due = OutboxMessage.objects.filter(
            lease_free,
            status=OutboxMessageStatus.PENDING,
            next_attempt_at__lte=now,
        )
        if message_ids is not None:
            due = due.filter(pk__in=list(message_ids))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        candidates = list(
            due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return []
        OutboxMessage.objects.filter(
            lease_free, pk__in=candidates, status=OutboxMessageStatus.PENDING
        ).update(claimed_until=until, claimed_by=worker)
        taken = OutboxMessage.objects.filter(
            pk__in=candidates, claimed_by=worker, claimed_until=until
        ).in_bulk()
    return [taken[pk] for pk in candidates if pk in taken]


def relax_commits() -> None:
    """Let this worker's commits return before they reach the disk (PostgreSQL).

    Everything the outbox worker writes may be lost in a server crash without
    harm: a lost claim is a lease that runs out, a lost attempt record means
    the message is tried again with the same idempotency key, which the
    receiving end answers without a second delivery. Not waiting for the
    disk on every commit halves the time a delivery spends on the database.
    Set for the worker's own connection only; web requests are unaffected.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def outbox_release(*, worker: str, message_ids: Collection[int]) -> int:
    """Give up ``worker``'s leases on ``message_ids`` untried; return how many."""
    with scopes_disabled():
        return OutboxMessage.objects.filter(
            pk__in=list(message_ids),
            status=OutboxMessageStatus.PENDING,
            claimed_by=worker,
        ).update(claimed_until=None, claimed_by="")


def _call_handler(message: OutboxMessage) -> DeliveryResult:
    """Run the topic's handler; turn a missing handler or a crash into a result."""
    handler = handler_for(message.topic)
    if handler is None:
        return DeliveryResult(
            ok=False,
            error=f"No handler is registered for topic {message.topic!r}.",
            retryable=False,
        )
    try:
        result = handler(message)
    except Exception as exc:
        logger.exception("Outbox handler for %r crashed", message.topic)
        return DeliveryResult(ok=False, error=f"{type(exc).__name__}: {exc}")
    if not isinstance(result, DeliveryResult):
        return DeliveryResult(
            ok=False,
            error=f"The handler returned {type(result).__name__}, "
            "not a DeliveryResult.",
            retryable=False,
        )
    return result


def outbox_deliver(*, message_id: int, worker: str) -> DeliveryAttempt | None:
    """Deliver one message ``worker`` has claimed and record the attempt.

    Call the topic's handler in the message firm's scope, outside any
    transaction, then record a ``DeliveryAttempt`` and move the message on:
    delivered; back to pending after a backoff (``retry_delay``) when the
    failure may pass; or failed once it is not retryable or ``max_attempts``
    tries have failed. Return None, doing nothing, when ``worker`` does not
    hold the message's lease.
    """
    with scopes_disabled():
        message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        logger.warning("Outbox message %s does not exist", message_id)
        return None
    return outbox_deliver_claimed(message=message, worker=worker)


def outbox_deliver_claimed(
    *, message: OutboxMessage, worker: str
) -> DeliveryAttempt | None:
    """Deliver ``message`` as :func:`outbox_deliver` does, given the row itself.

    ``message`` is the row as :func:`outbox_claim` returned it. Its lease is
    checked against the clock: no other worker takes a message before its
    lease runs out, so an unexpired lease is still ``worker``'s, and the
    attempt is recorded only if it still is (see ``_record``).
    """
    if (
        message.status != OutboxMessageStatus.PENDING
        or message.claimed_by != worker
        or message.claimed_until is None
        or message.claimed_until <= timezone.now()
    ):
        logger.warning("Outbox message %s is not leased to %s", message.pk, worker)
        return None
    with scope(firm=message.firm_id):
        started_at = timezone.now()
        clock = time.monotonic()
        result = _call_handler(message)
        duration_ms = int((time.monotonic() - clock) * 1000)
        return _record(
            message=message,
            worker=worker,
            result=result,
            started_at=started_at,
            duration_ms=duration_ms,
        )


@transaction.atomic
def _record(
    *,
    message: OutboxMessage,
    worker: str,
    result: DeliveryResult,
    started_at: datetime,
    duration_ms: int,
) -> DeliveryAttempt:
    """Write the attempt and move the message on, if ``worker`` still holds it."""
    now = timezone.now()
    attempts = message.attempts + 1
    error = _clean_text(result.error, ERROR_MAX_LENGTH)
    changes: dict[str, Any] = {
        "attempts": attempts,
        "claimed_until": None,
        "claimed_by": "",
    }
    if result.ok:
        outcome = DeliveryAttemptOutcome.DELIVERED
        changes |= {
            "status": OutboxMessageStatus.DELIVERED,
            "delivered_at": now,
            "last_error": "",
        }
    elif result.retryable and attempts < message.max_attempts:
        outcome = DeliveryAttemptOutcome.RETRY
        delay = retry_delay(attempts)
        if result.retry_after is not None:
            delay = max(delay, min(timedelta(seconds=result.retry_after), RETRY_CAP))
        changes |= {
            "next_attempt_at": now + delay,
            "last_error": error,
        }
    else:
        outcome = DeliveryAttemptOutcome.FAILED
        changes |= {"status": OutboxMessageStatus.FAILED, "last_error": error}
    attempt = DeliveryAttempt(
        firm_id=message.firm_id,
        message=message,
        started_at=started_at,
        duration_ms=duration_ms,
        status_code=result.status_code,
        outcome=outcome,
        response_excerpt=_clean_text(result.excerpt, EXCERPT_MAX_LENGTH),
        error=error,
    )
    # Every field is set here and already cut to its length: no full_clean.
    attempt.save()
    updated = OutboxMessage.objects.filter(
        pk=message.pk,
        status=OutboxMessageStatus.PENDING,
        claimed_by=worker,
        attempts=message.attempts,
    ).update(**changes)
    if not updated:
        # The lease ran out during the call and another worker took the message.
        logger.warning("Outbox message %s: lease lost by %s", message.pk, worker)
        return attempt
    for name, value in changes.items():
        setattr(message, name, value)
    hook = outcomes_hook_for(message.topic)
    if hook is not None:
        hook([(message, attempt)])
    return attempt


@transaction.atomic
def outbox_retry(
    *, firm: "Firm", message: OutboxMessage, actor: "User | None" = None
) -> OutboxMessage:
    """Put a failed ``message`` back to pending, due now, with a fresh set of tries.

    Earlier attempts stay on record. Raise ``ApplicationError`` if the message
    is not in ``firm`` or has not failed.
    """
    if message.firm_id != firm.pk:
        raise ApplicationError("That message is not in this firm.", "not_found")
    current = (
        OutboxMessage.objects.select_for_update()
        .filter(firm=firm, pk=message.pk)
        .values_list("status", flat=True)
        .first()
    )
    if current != OutboxMessageStatus.FAILED:
        raise ApplicationError(
            "Only a failed message can be retried.", "invalid_status"
        )
    message.status = OutboxMessageStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.claimed_until = None
    message.claimed_by = ""
    message.save(
        update_fields=[
            "status",
            "attempts",
            "next_attempt_at",
            "claimed_until",
            "claimed_by",
        ]
    )
    events.record(
        firm=firm,
        actor=actor,
        subject=message,
        verb=AuditVerb.STATUS_CHANGE,
        changes={"status": [OutboxMessageStatus.FAILED, OutboxMessageStatus.PENDING]},
    )
    return message


def outbox_prune(
    *,
    now: datetime | None = None,
    older_than: timedelta | None = None,
    batch_size: int = PRUNE_BATCH,
) -> int:
    """Delete delivered messages (and their attempts) older than the retention.

    The retention is ``older_than``, by default ``settings.OUTBOX_RETENTION_DAYS``
    days, counted from delivery. Pending and failed messages are kept. Delete
    in batches of ``batch_size``, each in its own transaction, so a large
    backlog never holds a long lock; return how many messages went.
    """
    now = now or timezone.now()
    if older_than is None:
        older_than = timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    cutoff = now - older_than
    total = 0
    with scopes_disabled():
        while True:
            ids = list(
                OutboxMessage.objects.filter(
                    status=OutboxMessageStatus.DELIVERED, delivered_at__lt=cutoff
                ).values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return total
            with transaction.atomic():
                DeliveryAttempt.objects.filter(message_id__in=ids).delete()
                OutboxMessage.objects.filter(pk__in=ids).delete()
            total += len(ids)


def task_results_prune(*, older_than: timedelta | None = None) -> int:
    """Delete finished background-job rows (``django_tasks_db``) past the retention.

    Each prompt delivery (``outbox_deliver_job``) and every other job leaves a
    row in the job queue's table; finished ones older than ``older_than``
    (default ``settings.OUTBOX_RETENTION_DAYS`` days) go. Rows still queued or
    running are kept.
    """
    if older_than is None:
        older_than = timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    cutoff = timezone.now() - older_than
    finished = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    deleted, _ = finished.delete()
    return int(deleted)
