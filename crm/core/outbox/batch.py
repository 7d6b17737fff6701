"""Deliver a claimed batch and record its outcome in one transaction (SPEC G5).

The worker sends every message of a batch it claimed (each in its firm's
scope, outside any transaction), then records the tries together: the
attempt rows in one insert, the delivered messages in one update, the others
in one more, and each topic's outcome hook once per firm with all of that
firm's pairs. The guarantees are those of ``services.outbox_deliver_claimed``:
an attempt moves its message on only while the worker still holds the lease
(checked under a row lock), and a worker that dies before recording leaves
leases that run out, so the messages are sent again with the same
idempotency keys, which the receiving end answers without a second delivery.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from crm.core.outbox.choices import DeliveryAttemptOutcome, OutboxMessageStatus
from crm.core.outbox.models import (
    ERROR_MAX_LENGTH,
    EXCERPT_MAX_LENGTH,
    DeliveryAttempt,
    OutboxMessage,
)
from crm.core.outbox.registry import DeliveryResult, Outcome, outcomes_hook_for
from crm.core.outbox.services import (
    RETRY_CAP,
    _call_handler,
    _clean_text,
    outbox_release,
    retry_delay,
)

logger = logging.getLogger(__name__)

# Fields a try may change; delivered messages take the same values together.
_MOVED = ["attempts", "claimed_until", "claimed_by", "status", "last_error"]


@dataclass(frozen=True)
class Tried:
    """One message sent, with what came back, not yet recorded."""

    message: OutboxMessage
    result: DeliveryResult
    started_at: datetime
    duration_ms: int


def _held(message: OutboxMessage, worker: str, now: datetime) -> bool:
    return (
        message.status == OutboxMessageStatus.PENDING
        and message.claimed_by == worker
        and message.claimed_until is not None
        and message.claimed_until > now
    )


def outbox_send_batch(
    *,
    messages: list[OutboxMessage],
    worker: str,
    stopping: Callable[[], bool] = lambda: False,
) -> list[Tried]:
    """Call each message's handler in its firm's scope; return what came back.

    A message whose lease ``worker`` no longer holds is skipped. Once
    ``stopping()`` is true, the messages not yet sent are handed back.
    """
    tried: list[Tried] = []
    for position, message in enumerate(messages):
        if stopping():
            outbox_release(
                worker=worker, message_ids=[m.pk for m in messages[position:]]
            )
            break
        if not _held(message, worker, timezone.now()):
            logger.warning("Outbox message %s is not leased to %s", message.pk, worker)
            continue
        with scope(firm=message.firm_id):
            started_at = timezone.now()
            clock = time.monotonic()
            result = _call_handler(message)
            duration_ms = int((time.monotonic() - clock) * 1000)
        tried.append(Tried(message, result, started_at, duration_ms))
    return tried


def _moved(tried: Tried, now: datetime) -> tuple[str, DeliveryAttempt]:
    """Set the message's new state on it; return the outcome and the attempt."""
    message, result = tried.message, tried.result
    attempts = message.attempts + 1
    error = _clean_text(result.error, ERROR_MAX_LENGTH)
    message.attempts = attempts
    message.claimed_until = None
    message.claimed_by = ""
    if result.ok:
        outcome = DeliveryAttemptOutcome.DELIVERED
        message.status = OutboxMessageStatus.DELIVERED
        message.delivered_at = now
        message.last_error = ""
    elif result.retryable and attempts < message.max_attempts:
        outcome = DeliveryAttemptOutcome.RETRY
        delay = retry_delay(attempts)
        if result.retry_after is not None:
            delay = max(delay, min(timedelta(seconds=result.retry_after), RETRY_CAP))
        message.next_attempt_at = now + delay
        message.last_error = error
    else:
        outcome = DeliveryAttemptOutcome.FAILED
        message.status = OutboxMessageStatus.FAILED
        message.last_error = error
    attempt = DeliveryAttempt(
        firm_id=message.firm_id,
        message=message,
        started_at=tried.started_at,
        duration_ms=tried.duration_ms,
        status_code=result.status_code,
        outcome=outcome,
        response_excerpt=_clean_text(result.excerpt, EXCERPT_MAX_LENGTH),
        error=error,
    )
    return outcome, attempt


@transaction.atomic
def outbox_record_batch(*, tried: list[Tried], worker: str) -> list[DeliveryAttempt]:
    """Record every try of ``tried`` and move on the messages ``worker`` holds.

    Every try gets its attempt row. A message whose lease was lost during
    the call (another worker took it) keeps its new holder's state, and its
    outcome hook is not called. Return the attempts, in the order given.
    """
    if not tried:
        return []
    now = timezone.now()
    with scopes_disabled():
        held = dict(
            OutboxMessage.objects.select_for_update()
            .filter(
                pk__in=[t.message.pk for t in tried],
                status=OutboxMessageStatus.PENDING,
                claimed_by=worker,
            )
            .values_list("pk", "attempts")
        )
        attempts: list[DeliveryAttempt] = []
        delivered: list[int] = []
        others: list[OutboxMessage] = []
        moved: list[Outcome] = []
        for one in tried:
            message = one.message
            still_held = held.get(message.pk) == message.attempts
            outcome, attempt = _moved(one, now)
            attempts.append(attempt)
            if not still_held:
                logger.warning(
                    "Outbox message %s: lease lost by %s", message.pk, worker
                )
                continue
            moved.append((message, attempt))
            if outcome == DeliveryAttemptOutcome.DELIVERED:
                delivered.append(message.pk)
            else:
                others.append(message)
        # Every field is set here and already cut to its length: no full_clean.
        DeliveryAttempt.objects.bulk_create(attempts)
        if delivered:
            OutboxMessage.objects.filter(pk__in=delivered).update(
                attempts=F("attempts") + 1,
                claimed_until=None,
                claimed_by="",
                status=OutboxMessageStatus.DELIVERED,
                delivered_at=now,
                last_error="",
            )
        if others:
            OutboxMessage.objects.bulk_update(others, [*_MOVED, "next_attempt_at"])
    _run_hooks(moved)
    return attempts


def _run_hooks(moved: list[Outcome]) -> None:
    """Call each topic's outcome hook once per firm, in that firm's scope."""
    groups: dict[tuple[str, int], list[Outcome]] = defaultdict(list)
    for message, attempt in moved:
        groups[(message.topic, message.firm_id)].append((message, attempt))
    for (topic, firm_id), outcomes in groups.items():
        hook = outcomes_hook_for(topic)
        if hook is not None:
            with scope(firm=firm_id):
                hook(outcomes)
