"""Driving the outbox worker in tests: deliver what is due, retries included."""

from django.utils import timezone

from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.outbox.models import OutboxMessage
from crm.core.outbox.worker import OutboxWorker


def deliver_once() -> int:
    """Run one pass of the worker over what is due now."""
    return OutboxWorker(name="test-worker", prune_every=10**9).run_once()


def drain(passes: int = 12) -> int:
    """Deliver until nothing is pending, making each retry due at once."""
    tries = 0
    for _ in range(passes):
        tries += deliver_once()
        pending = OutboxMessage.objects.filter(status=OutboxMessageStatus.PENDING)
        if not pending.exists():
            break
        pending.update(next_attempt_at=timezone.now(), claimed_until=None)
    return tries
