"""Leases on background tasks, so a killed worker's task runs again (A10).

django-tasks-db's ``db_worker`` claims a task by marking it RUNNING. A worker
killed mid-task (the OOM killer, a deploy, Ctrl-C twice) left the task
RUNNING for ever and whatever it was doing (a contact import) stuck. The
project's ``db_worker`` (``crm/core/management/commands/db_worker.py``) adds
what the outbox has: a lease.

- :func:`task_lease_take` writes a :class:`~crm.core.models.TaskClaim` when
  the worker starts a task; :func:`task_lease_renew` extends it while the task
  runs (a keeper thread does it every third of the lease); the claim is
  deleted when the task ends (:func:`task_lease_drop`).
- :func:`task_retake_expired`, run by every worker, puts a RUNNING task whose
  claim has expired (or that has no claim and started longer ago than a lease,
  a worker that died between the claim and the lease) back to READY, for any
  worker to take. A task that has been lost ``MAX_ATTEMPTS`` times is failed
  instead, so one that kills its worker cannot loop for ever.

Jobs must therefore be safe to run again; they see ``context.attempt > 1``
when retaken (the contact import carries on after the rows it committed).
"""

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from crm.core.models import TaskClaim

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """The workers running a task died ``MAX_ATTEMPTS`` times; it is not retried."""


def lease_length() -> timedelta:
    """Return how long a task claim lasts (``settings.TASK_LEASE_SECONDS``)."""
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def task_lease_take(*, task_id: UUID | str, worker: str) -> TaskClaim:
    """Claim the task ``worker`` has just started, for one lease."""
    claim, _ = TaskClaim.objects.update_or_create(
        task_id=task_id,
        defaults={
            "claimed_by": worker,
            "claimed_until": timezone.now() + lease_length(),
        },
    )
    return claim


def task_lease_renew(*, task_id: UUID | str, worker: str) -> bool:
    """Extend ``worker``'s claim on a task; False when the claim is no longer its."""
    renewed = TaskClaim.objects.filter(task_id=task_id, claimed_by=worker).update(
        claimed_until=timezone.now() + lease_length()
    )
    return bool(renewed)


def task_lease_drop(*, task_id: UUID | str, worker: str) -> None:
    """Forget ``worker``'s claim on a task that has finished."""
    TaskClaim.objects.filter(task_id=task_id, claimed_by=worker).delete()


@transaction.atomic
def task_retake_expired(*, now: datetime | None = None) -> int:
    """Queue again the RUNNING tasks whose worker has gone; return how many.

    A conditional update on status, so two workers retaking at once move
    each task once.
    """
    now = now or timezone.now()
    claimed = TaskClaim.objects.filter(task_id=OuterRef("pk"))
    live = claimed.filter(claimed_until__gt=now)
    unclaimed_for_a_lease = ~Exists(claimed) & Q(started_at__lt=now - lease_length())
    lost = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).filter(
        (Exists(claimed) & ~Exists(live)) | unclaimed_for_a_lease
    )
    retaken = failed = 0
    for task in lost.only("id", "worker_ids"):
        if len(task.worker_ids) >= MAX_ATTEMPTS:
            failed += _fail(task, now)
        else:
            retaken += DBTaskResult.objects.filter(
                pk=task.pk, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None)
        TaskClaim.objects.filter(task_id=task.pk, claimed_until__lte=now).delete()
    if retaken or failed:
        logger.warning(
            "Tasks: %d retaken from workers that stopped, %d failed after %d tries",
            retaken,
            failed,
            MAX_ATTEMPTS,
        )
    return retaken


def _fail(task: DBTaskResult[..., Any], now: datetime) -> int:
    error = WorkerLost(
        f"The worker running this task stopped {len(task.worker_ids)} times "
        "(killed or out of memory); it is not tried again."
    )
    return DBTaskResult.objects.filter(
        pk=task.pk, status=TaskResultStatus.RUNNING
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=str(error),
    )
