"""Background job that delivers one outbox message now instead of at the next poll."""

from django_tasks import task

from crm.core.outbox import services
from crm.core.outbox.worker import worker_name


@task()
def outbox_deliver_job(*, message_id: int) -> None:
    """Claim message ``message_id`` if it is due and free, and deliver it.

    Enqueue it with ``transaction.on_commit`` after ``outbox_enqueue`` for a
    prompt first try. The message row carries its firm; the delivery enters
    that firm's scope. A message another worker holds, or one not yet due, is
    left to the ``outbox_worker``.
    """
    worker = worker_name("job")
    for claimed in services.outbox_claim_due(
        worker=worker, message_ids=[message_id], limit=1
    ):
        services.outbox_deliver(message_id=claimed, worker=worker)
