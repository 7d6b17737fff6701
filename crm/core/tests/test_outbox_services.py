"""Outbox services: enqueue, claim under a lease, deliver, retry, give up, prune."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent, DeliveryAttempt, OutboxMessage
from crm.core.outbox import services
from crm.core.outbox.choices import DeliveryAttemptOutcome, OutboxMessageStatus
from crm.core.outbox.registry import DeliveryResult
from crm.core.tests.factories import DeliveryAttemptFactory, OutboxMessageFactory

pytestmark = pytest.mark.django_db

DELIVERED = DeliveryResult(ok=True, status_code=200, excerpt='{"ok": true}')
UNAVAILABLE = DeliveryResult(
    ok=False, status_code=503, excerpt="busy", error="HTTP 503 Service Unavailable"
)
REJECTED = DeliveryResult(
    ok=False, status_code=422, error="HTTP 422 Unprocessable", retryable=False
)


def _claim_and_deliver(message, worker="w1"):
    assert services.outbox_claim_due(worker=worker, message_ids=[message.pk]) == [
        message.pk
    ]
    attempt = services.outbox_deliver(message_id=message.pk, worker=worker)
    message.refresh_from_db()
    return attempt


# Enqueue


def test_enqueue_writes_a_pending_message_due_now(firm, clock):
    """A new message is pending, due at once, unclaimed, with no attempts."""
    message = services.outbox_enqueue(
        firm=firm,
        topic="partner.submission",
        payload={"case": 7},
        idempotency_key="submission-7-v1",
        max_attempts=3,
    )
    message.refresh_from_db()
    assert message.status == OutboxMessageStatus.PENDING
    assert message.payload == {"case": 7}
    assert message.attempts == 0
    assert message.max_attempts == 3
    assert message.next_attempt_at == timezone.now()
    assert message.claimed_until is None
    assert message.firm_id == firm.pk


def test_enqueue_twice_with_one_key_returns_the_first_message(firm, other_firm):
    """The same key in one firm gives back the first row; another firm has its own."""
    first = services.outbox_enqueue(
        firm=firm, topic="t", payload={"v": 1}, idempotency_key="k"
    )
    again = services.outbox_enqueue(
        firm=firm, topic="t", payload={"v": 2}, idempotency_key="k"
    )
    elsewhere = services.outbox_enqueue(
        firm=other_firm, topic="t", payload={"v": 3}, idempotency_key="k"
    )
    assert again.pk == first.pk
    assert again.payload == {"v": 1}
    assert elsewhere.pk != first.pk
    assert OutboxMessage.objects.filter(idempotency_key="k").count() == 2


def test_enqueue_returns_the_row_another_transaction_inserted_first(firm, monkeypatch):
    """A race lost at insert time (unique key) returns the winner's row."""
    winner = OutboxMessageFactory(firm=firm, idempotency_key="raced")
    monkeypatch.setattr(QuerySet, "first", lambda self: None)
    message = services.outbox_enqueue(
        firm=firm, topic="t", payload={}, idempotency_key="raced"
    )
    assert message.pk == winner.pk
    assert OutboxMessage.objects.filter(idempotency_key="raced").count() == 1


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("topic", {"topic": "x" * 65}),
        ("idempotency_key", {"idempotency_key": ""}),
        ("max_attempts", {"max_attempts": 0}),
    ],
)
def test_enqueue_refuses_invalid_messages(firm, field, kwargs):
    """Over-long topics, empty keys and zero attempts are refused."""
    values = {"topic": "t", "payload": {}, "idempotency_key": "k"} | kwargs
    with pytest.raises(ValidationError, match=field):
        services.outbox_enqueue(firm=firm, **values)
    assert OutboxMessage.objects.count() == 0


# Claiming


def test_claim_leases_due_messages_oldest_due_first(firm, other_firm, clock):
    """Due messages of every firm are leased to the worker, oldest due first."""
    now = timezone.now()
    later = OutboxMessageFactory(firm=firm, next_attempt_at=now)
    earlier = OutboxMessageFactory(
        firm=other_firm, next_attempt_at=now - datetime.timedelta(minutes=5)
    )
    OutboxMessageFactory(firm=firm, next_attempt_at=now + datetime.timedelta(hours=1))
    OutboxMessageFactory(firm=firm, status=OutboxMessageStatus.DELIVERED)
    OutboxMessageFactory(firm=firm, status=OutboxMessageStatus.FAILED)

    ids = services.outbox_claim_due(worker="w1")

    assert ids == [earlier.pk, later.pk]
    later.refresh_from_db()
    assert later.claimed_by == "w1"
    assert later.claimed_until == now + datetime.timedelta(seconds=120)


def test_claim_takes_at_most_limit_messages(firm):
    """``limit`` caps one claim; the rest wait for the next."""
    OutboxMessageFactory.create_batch(3, firm=firm)
    assert len(services.outbox_claim_due(worker="w1", limit=2)) == 2
    assert len(services.outbox_claim_due(worker="w2", limit=2)) == 1


def test_two_workers_never_claim_the_same_message(firm, clock):
    """A leased message is not claimed again by another worker or the same one."""
    messages = OutboxMessageFactory.create_batch(3, firm=firm)
    first = services.outbox_claim_due(worker="w1", limit=2)
    second = services.outbox_claim_due(worker="w2")
    again = services.outbox_claim_due(worker="w1")
    assert len(first) == 2
    assert set(first).isdisjoint(second)
    assert set(first) | set(second) == {m.pk for m in messages}
    assert again == []


def test_an_expired_lease_is_taken_by_another_worker(firm, clock, settings):
    """A dead worker's claim outlives it only until the lease ends."""
    settings.OUTBOX_LEASE_SECONDS = 60
    message = OutboxMessageFactory(firm=firm)
    assert services.outbox_claim_due(worker="dead") == [message.pk]
    clock.shift(datetime.timedelta(seconds=59))
    assert services.outbox_claim_due(worker="w2") == []
    clock.shift(datetime.timedelta(seconds=2))
    assert services.outbox_claim_due(worker="w2") == [message.pk]
    message.refresh_from_db()
    assert message.claimed_by == "w2"
    # The dead worker, had it woken up, no longer holds the message.
    assert services.outbox_deliver(message_id=message.pk, worker="dead") is None


def test_release_hands_back_untried_claims(firm):
    """Released messages are free for the next claim at once."""
    message = OutboxMessageFactory(firm=firm)
    services.outbox_claim_due(worker="w1")
    assert services.outbox_release(worker="w1", message_ids=[message.pk]) == 1
    assert services.outbox_claim_due(worker="w2") == [message.pk]


# Delivery


def test_deliver_calls_the_topic_handler_in_the_message_firm_scope(
    firm, other_firm, handlers, clock
):
    """The handler sees only its firm's rows; success marks the message delivered."""
    message = OutboxMessageFactory(firm=firm, topic="test.echo")
    OutboxMessageFactory(firm=other_firm)
    seen = []

    def handler(msg):
        seen.append((msg.pk, OutboxMessage.objects.count()))
        return DeliveryResult(
            ok=True, status_code=201, excerpt="x\x00" + "y" * 2000, error=""
        )

    handlers("test.echo", handler)
    attempt = _claim_and_deliver(message)

    assert seen == [(message.pk, 1)]
    assert message.status == OutboxMessageStatus.DELIVERED
    assert message.delivered_at == timezone.now()
    assert message.attempts == 1
    assert message.claimed_until is None
    assert message.claimed_by == ""
    assert attempt.outcome == DeliveryAttemptOutcome.DELIVERED
    assert attempt.status_code == 201
    assert attempt.firm_id == firm.pk
    assert attempt.started_at == timezone.now()
    assert attempt.response_excerpt == "x" + "y" * 999
    assert list(message.delivery_attempts.all()) == [attempt]


def test_deliver_does_nothing_for_a_message_the_worker_does_not_hold(firm, handlers):
    """Without a lease (or for a missing message) nothing is called or recorded."""
    calls = []

    def handler(msg):
        calls.append(msg)
        return DELIVERED

    handlers("test.echo", handler)
    message = OutboxMessageFactory(firm=firm)
    assert services.outbox_deliver(message_id=message.pk, worker="w1") is None
    services.outbox_claim_due(worker="w1")
    assert services.outbox_deliver(message_id=message.pk, worker="w2") is None
    assert services.outbox_deliver(message_id=10**9, worker="w1") is None
    assert calls == []
    assert DeliveryAttempt.objects.count() == 0


def test_a_retryable_failure_backs_off_exponentially(firm, handlers, clock):
    """Each failure waits twice as long as the last (30 s, 60 s, ...) with jitter."""
    handlers("test.echo", lambda msg: UNAVAILABLE)
    message = OutboxMessageFactory(firm=firm, max_attempts=5)

    attempt = _claim_and_deliver(message)
    first_wait = message.next_attempt_at - timezone.now()
    assert attempt.outcome == DeliveryAttemptOutcome.RETRY
    assert attempt.status_code == 503
    assert attempt.response_excerpt == "busy"
    assert message.status == OutboxMessageStatus.PENDING
    assert message.attempts == 1
    assert message.last_error == "HTTP 503 Service Unavailable"
    assert message.claimed_until is None
    assert (
        datetime.timedelta(seconds=15) <= first_wait <= datetime.timedelta(seconds=30)
    )
    assert services.outbox_claim_due(worker="w1") == []

    clock.move_to(message.next_attempt_at)
    _claim_and_deliver(message)
    second_wait = message.next_attempt_at - timezone.now()
    assert message.attempts == 2
    assert (
        datetime.timedelta(seconds=30) <= second_wait <= datetime.timedelta(seconds=60)
    )


def test_retry_delay_doubles_up_to_the_cap():
    """Without jitter the delays are 30 s, 60 s, 120 s ... and never above an hour."""
    assert services.retry_delay(1, jitter=1.0) == datetime.timedelta(seconds=30)
    assert services.retry_delay(2, jitter=1.0) == datetime.timedelta(seconds=60)
    assert services.retry_delay(3, jitter=1.0) == datetime.timedelta(seconds=120)
    assert services.retry_delay(8, jitter=1.0) == datetime.timedelta(hours=1)
    assert services.retry_delay(500, jitter=1.0) == datetime.timedelta(hours=1)
    assert services.retry_delay(2, jitter=0.5) == datetime.timedelta(seconds=30)
    jittered = services.retry_delay(1)
    assert datetime.timedelta(seconds=15) <= jittered <= datetime.timedelta(seconds=30)


def test_a_message_fails_after_max_attempts(firm, handlers, clock):
    """The last allowed try that fails marks the message failed for good."""
    handlers("test.echo", lambda msg: UNAVAILABLE)
    message = OutboxMessageFactory(firm=firm, max_attempts=2)
    _claim_and_deliver(message)
    clock.move_to(message.next_attempt_at)
    attempt = _claim_and_deliver(message)

    assert attempt.outcome == DeliveryAttemptOutcome.FAILED
    assert message.status == OutboxMessageStatus.FAILED
    assert message.attempts == 2
    assert message.last_error == "HTTP 503 Service Unavailable"
    assert message.delivered_at is None
    clock.shift(datetime.timedelta(days=1))
    assert services.outbox_claim_due(worker="w1") == []
    outcomes = list(
        message.delivery_attempts.order_by("started_at").values_list(
            "outcome", flat=True
        )
    )
    assert outcomes == ["retry", "failed"]


def test_a_non_retryable_failure_fails_at_once(firm, handlers):
    """A 4xx-like refusal does not use up the remaining attempts."""
    handlers("test.echo", lambda msg: REJECTED)
    message = OutboxMessageFactory(firm=firm, max_attempts=10)
    attempt = _claim_and_deliver(message)
    assert attempt.outcome == DeliveryAttemptOutcome.FAILED
    assert attempt.status_code == 422
    assert message.status == OutboxMessageStatus.FAILED
    assert message.attempts == 1


def test_an_unknown_topic_is_a_failed_attempt(firm, handlers):
    """A topic nobody registered fails the message with a clear error."""
    message = OutboxMessageFactory(firm=firm, topic="nobody.listens")
    attempt = _claim_and_deliver(message)
    assert attempt.outcome == DeliveryAttemptOutcome.FAILED
    assert attempt.error == "No handler is registered for topic 'nobody.listens'."
    assert message.status == OutboxMessageStatus.FAILED
    assert message.last_error == attempt.error


def test_a_crashing_handler_is_a_retryable_failure(firm, handlers, caplog):
    """An exception in the handler is recorded and retried, never raised."""

    def handler(msg):
        raise RuntimeError("boom\x00")

    handlers("test.echo", handler)
    message = OutboxMessageFactory(firm=firm)
    attempt = _claim_and_deliver(message)
    assert attempt.outcome == DeliveryAttemptOutcome.RETRY
    assert attempt.error == "RuntimeError: boom"
    assert attempt.status_code is None
    assert message.status == OutboxMessageStatus.PENDING
    assert "crashed" in caplog.text


def test_a_handler_returning_something_else_fails_the_message(firm, handlers):
    """A handler must return a DeliveryResult; anything else is a bug, not a retry."""
    handlers("test.echo", lambda msg: True)
    message = OutboxMessageFactory(firm=firm)
    attempt = _claim_and_deliver(message)
    assert attempt.outcome == DeliveryAttemptOutcome.FAILED
    assert attempt.error == "The handler returned bool, not a DeliveryResult."


def test_the_outcome_hook_runs_with_the_updated_message(firm, handlers):
    """``on_outcome`` sees the message as recorded and the attempt."""
    seen = []
    handlers(
        "test.echo",
        lambda msg: DELIVERED,
        on_outcome=lambda msg, attempt: seen.append((msg.status, attempt.outcome)),
    )
    message = OutboxMessageFactory(firm=firm)
    _claim_and_deliver(message)
    assert seen == [("delivered", "delivered")]


def test_a_lease_lost_during_the_call_records_the_attempt_only(firm, handlers, caplog):
    """When another worker took the message meanwhile, its state is left alone."""
    hook_calls = []

    def handler(msg):
        OutboxMessage.objects.filter(pk=msg.pk).update(claimed_by="w2")
        return DELIVERED

    handlers("test.echo", handler, on_outcome=lambda m, a: hook_calls.append(a))
    message = OutboxMessageFactory(firm=firm)
    attempt = _claim_and_deliver(message)
    assert attempt.outcome == DeliveryAttemptOutcome.DELIVERED
    assert message.status == OutboxMessageStatus.PENDING
    assert message.attempts == 0
    assert message.claimed_by == "w2"
    assert hook_calls == []
    assert "lease lost" in caplog.text


# Retry by hand


def test_retry_puts_a_failed_message_back_to_pending(firm, owner, clock):
    """A failed message is due again with a fresh set of tries; it is audited."""
    message = OutboxMessageFactory(
        firm=firm,
        status=OutboxMessageStatus.FAILED,
        attempts=10,
        last_error="HTTP 500",
        next_attempt_at=timezone.now() - datetime.timedelta(days=2),
    )
    DeliveryAttemptFactory(message=message, outcome="failed")
    services.outbox_retry(firm=firm, message=message, actor=owner.user)
    message.refresh_from_db()
    assert message.status == OutboxMessageStatus.PENDING
    assert message.attempts == 0
    assert message.next_attempt_at == timezone.now()
    assert message.delivery_attempts.count() == 1
    event = AuditEvent.objects.get(firm=firm, object_type="core.outboxmessage")
    assert event.verb == AuditVerb.STATUS_CHANGE
    assert event.actor == owner.user
    assert event.changes == {"status": ["failed", "pending"]}
    assert services.outbox_claim_due(worker="w1") == [message.pk]


def test_retry_refuses_a_message_that_has_not_failed(firm):
    """Pending and delivered messages cannot be retried."""
    for status in (OutboxMessageStatus.PENDING, OutboxMessageStatus.DELIVERED):
        message = OutboxMessageFactory(firm=firm, status=status)
        with pytest.raises(ApplicationError, match="Only a failed message"):
            services.outbox_retry(firm=firm, message=message)


def test_retry_refuses_another_firms_message(firm, other_firm):
    """Another firm's message is refused as not found."""
    message = OutboxMessageFactory(firm=other_firm, status=OutboxMessageStatus.FAILED)
    with pytest.raises(ApplicationError, match="not in this firm"):
        services.outbox_retry(firm=firm, message=message)
    message.refresh_from_db()
    assert message.status == OutboxMessageStatus.FAILED


# Pruning


def _delivered(firm, days_ago):
    when = timezone.now() - datetime.timedelta(days=days_ago)
    message = OutboxMessageFactory(
        firm=firm,
        status=OutboxMessageStatus.DELIVERED,
        delivered_at=when,
        created_at=when,
    )
    DeliveryAttemptFactory(message=message, started_at=when)
    return message


def test_prune_deletes_delivered_messages_past_the_retention(firm, other_firm, clock):
    """Delivered messages older than 30 days go with their attempts; others stay."""
    old = [_delivered(firm, 31), _delivered(other_firm, 45), _delivered(firm, 90)]
    recent = _delivered(firm, 29)
    old_failed = OutboxMessageFactory(
        firm=firm,
        status=OutboxMessageStatus.FAILED,
        created_at=timezone.now() - datetime.timedelta(days=90),
    )
    DeliveryAttemptFactory(message=old_failed, outcome="failed")
    pending = OutboxMessageFactory(firm=firm)

    assert services.outbox_prune(batch_size=2) == 3

    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, old_failed.pk, pending.pk}
    assert not DeliveryAttempt.objects.filter(message_id__in=[m.pk for m in old])
    assert DeliveryAttempt.objects.count() == 2


def test_prune_follows_the_retention_setting(firm, clock, settings):
    """``OUTBOX_RETENTION_DAYS`` sets how long delivered messages are kept."""
    settings.OUTBOX_RETENTION_DAYS = 5
    _delivered(firm, 6)
    kept = _delivered(firm, 4)
    assert services.outbox_prune() == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [kept.pk]


# Concurrency


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_split_the_due_messages(firm):
    """Workers claiming at the same time on real connections never share a message."""
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database in memory serialises connections anyway")
    total = 60
    OutboxMessageFactory.create_batch(total, firm=firm)
    start = threading.Barrier(3)
    claimed: dict[str, list[int]] = {}

    def work(name):
        try:
            start.wait(10)
            mine = claimed.setdefault(name, [])
            while ids := services.outbox_claim_due(worker=name, limit=7):
                mine.extend(ids)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    everything = [pk for ids in claimed.values() for pk in ids]
    assert len(everything) == total
    assert len(set(everything)) == total


def test_messages_and_attempts_describe_themselves(firm, clock):
    """``str()`` names the topic, key and status, or the attempt's outcome and time."""
    message = OutboxMessageFactory(
        firm=firm, topic="webhook.delivery", idempotency_key="k1"
    )
    attempt = DeliveryAttemptFactory(message=message, outcome="retry")
    assert str(message) == "webhook.delivery k1 (pending)"
    assert str(attempt) == f"{message.pk} retry at 2026-06-01 12:00"


def test_finished_background_job_rows_are_pruned_after_the_retention(db):
    """Finished job-queue rows go after the retention; queued and recent ones stay."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()

    def row(status, finished_days_ago):
        finished = (
            now - timedelta(days=finished_days_ago) if finished_days_ago else None
        )
        return DBTaskResult.objects.create(
            status=status,
            task_path="crm.core.outbox.jobs.outbox_deliver_job",
            args_kwargs={"args": [], "kwargs": {"message_id": 1}},
            queue_name="default",
            backend_name="default",
            finished_at=finished,
        )

    old = row(TaskResultStatus.SUCCESSFUL, 40)
    old_failed = row(TaskResultStatus.FAILED, 40)
    recent = row(TaskResultStatus.SUCCESSFUL, 1)
    waiting = row(TaskResultStatus.READY, 0)
    assert services.task_results_prune() == 2
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {recent.pk, waiting.pk}
    assert old.pk not in left
    assert old_failed.pk not in left
