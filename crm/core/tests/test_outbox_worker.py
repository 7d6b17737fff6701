"""The outbox worker command and loop, the delivery job and the handler registry."""

import datetime
import os
import signal
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from crm.core.models import OutboxMessage
from crm.core.outbox import registry, services
from crm.core.outbox import worker as worker_module
from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.outbox.jobs import outbox_deliver_job
from crm.core.outbox.registry import DeliveryResult
from crm.core.outbox.worker import OutboxWorker, worker_name
from crm.core.tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db

DELIVERED = DeliveryResult(ok=True, status_code=200)


def _statuses():
    return dict(OutboxMessage.objects.values_list("pk", "status"))


def test_worker_once_delivers_every_due_message_and_exits(
    firm, other_firm, handlers, clock
):
    """``outbox_worker --once`` drains what is due in every firm, then stops."""
    handlers("test.echo", lambda msg: DELIVERED)
    due = [
        *OutboxMessageFactory.create_batch(3, firm=firm),
        OutboxMessageFactory(firm=other_firm),
    ]
    later = OutboxMessageFactory(
        firm=firm, next_attempt_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    out = StringIO()
    call_command("outbox_worker", "--once", "--batch", "2", stdout=out)
    assert out.getvalue() == "Outbox: 4 delivery attempt(s).\n"
    statuses = _statuses()
    assert {statuses[m.pk] for m in due} == {"delivered"}
    assert statuses[later.pk] == "pending"


def test_worker_once_prunes_old_delivered_messages(firm, clock):
    """The worker prunes delivered messages past the retention."""
    old = timezone.now() - datetime.timedelta(days=31)
    OutboxMessageFactory(firm=firm, status="delivered", delivered_at=old)
    call_command("outbox_worker", "--once", stdout=StringIO())
    assert OutboxMessage.objects.count() == 0


def test_pruning_runs_at_most_once_per_period(monkeypatch):
    """Passes in quick succession prune once; with no wait they prune each time."""
    calls = []

    def prune():
        calls.append(1)
        return 0

    monkeypatch.setattr(services, "outbox_prune", prune)
    monkeypatch.setattr(services, "outbox_claim", lambda **kwargs: [])
    worker = OutboxWorker(name="w")
    worker.run_once()
    worker.run_once()
    assert len(calls) == 1
    eager = OutboxWorker(name="w", prune_every=0)
    eager.run_once()
    eager.run_once()
    assert len(calls) == 3


def test_worker_loop_stops_cleanly_on_sigterm(firm, handlers, monkeypatch):
    """SIGTERM lets the message in hand finish, then the command returns."""
    # Between passes the loop drops stale connections; inside the test's
    # transaction that would drop the test's own connection.
    monkeypatch.setattr(worker_module, "close_old_connections", lambda: None)
    message = OutboxMessageFactory(firm=firm)
    before = signal.getsignal(signal.SIGTERM)

    def handler(msg):
        os.kill(os.getpid(), signal.SIGTERM)
        return DELIVERED

    handlers("test.echo", handler)
    # A backstop so a broken stop cannot hang the suite: SIGINT also stops it.
    backstop = threading.Timer(20, os.kill, (os.getpid(), signal.SIGINT))
    backstop.start()
    out = StringIO()
    try:
        call_command("outbox_worker", "--sleep", "0", stdout=out)
    finally:
        backstop.cancel()
    assert out.getvalue().endswith("Outbox worker stopped.\n")
    assert _statuses()[message.pk] == "delivered"
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_stopping_worker_hands_back_what_it_has_not_tried(firm, handlers):
    """Messages claimed but not yet tried are released for another worker."""
    messages = OutboxMessageFactory.create_batch(3, firm=firm)
    worker = OutboxWorker(name="w1", batch=3)

    def handler(msg):
        worker.stop()
        return DELIVERED

    handlers("test.echo", handler)
    assert worker.run_once() == 1
    rows = OutboxMessage.objects.filter(status=OutboxMessageStatus.PENDING)
    assert rows.count() == 2
    assert set(rows.values_list("claimed_by", flat=True)) == {""}
    assert len(services.outbox_claim_due(worker="w2")) == 2
    assert len(messages) == 3


def test_worker_loop_survives_a_failing_pass(monkeypatch, caplog):
    """An error in one pass is logged; the loop goes on until stopped."""
    monkeypatch.setattr(worker_module, "close_old_connections", lambda: None)
    worker = OutboxWorker(name="w1", idle_sleep=0)
    calls = []

    def claim(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        worker.stop()
        return []

    monkeypatch.setattr(services, "outbox_claim", claim)
    monkeypatch.setattr(services, "outbox_prune", lambda: 0)
    worker.run_forever()
    assert len(calls) == 2
    assert "pass failed" in caplog.text


def test_worker_names_are_unique():
    """Two workers in one process still get different names."""
    assert worker_name() != worker_name()
    assert worker_name("job").startswith("job:")


def test_deliver_job_delivers_one_due_message(firm, handlers):
    """The job (run inline by the test backend) delivers the message it names."""
    handlers("test.echo", lambda msg: DELIVERED)
    message, other = OutboxMessageFactory.create_batch(2, firm=firm)
    outbox_deliver_job.enqueue(message_id=message.pk)
    statuses = _statuses()
    assert statuses[message.pk] == "delivered"
    assert statuses[other.pk] == "pending"


def test_deliver_job_leaves_a_leased_message_alone(firm, handlers):
    """A message another worker holds is not delivered twice."""
    calls = []

    def handler(msg):
        calls.append(msg)
        return DELIVERED

    handlers("test.echo", handler)
    message = OutboxMessageFactory(firm=firm)
    services.outbox_claim_due(worker="w1")
    outbox_deliver_job.enqueue(message_id=message.pk)
    assert calls == []
    assert _statuses()[message.pk] == "pending"


def test_register_handler_refuses_a_second_handler_for_a_topic(handlers):
    """Registering again is harmless; a different handler for the topic is a bug."""

    def first(msg):
        return DELIVERED

    handlers("test.echo", first)
    handlers("test.echo", first)
    with pytest.raises(ValueError, match="already has a handler"):
        handlers("test.echo", lambda msg: DELIVERED)
    assert registry.handler_for("test.echo") is first
    assert registry.handler_for("nobody") is None
    assert registry.outcome_hook_for("nobody") is None
    assert registry.registered_topics() == ["test.echo"]
