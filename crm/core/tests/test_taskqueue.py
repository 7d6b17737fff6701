"""Task leases: a dead worker's task is queued again, a live one's is not (A10)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from crm.core import taskqueue
from crm.core.models import TaskClaim

pytestmark = pytest.mark.django_db


def _task(*, status=TaskResultStatus.RUNNING, started=0, workers=1):
    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="crm.contacts.jobs.contact_import_job",
        backend_name="default",
        run_after=get_date_max(),
        started_at=timezone.now() - timedelta(seconds=started),
        worker_ids=[f"w{i}" for i in range(workers)],
    )


def _status(task):
    task.refresh_from_db()
    return task.status


def test_a_task_whose_lease_expired_is_queued_again(settings):
    """The claim outlived its lease: the task is READY for another worker."""
    settings.TASK_LEASE_SECONDS = 60
    dead, alive = _task(), _task()
    taskqueue.task_lease_take(task_id=dead.pk, worker="w0")
    taskqueue.task_lease_take(task_id=alive.pk, worker="w1")
    TaskClaim.objects.filter(task_id=dead.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert taskqueue.task_retake_expired() == 1
    assert _status(dead) == TaskResultStatus.READY
    assert _status(alive) == TaskResultStatus.RUNNING
    assert list(TaskClaim.objects.values_list("task_id", flat=True)) == [alive.pk]
    # Taken again by another worker, the lease is that worker's.
    taskqueue.task_lease_take(task_id=dead.pk, worker="w9")
    assert taskqueue.task_lease_renew(task_id=dead.pk, worker="w0") is False
    assert taskqueue.task_lease_renew(task_id=dead.pk, worker="w9") is True


def test_a_running_task_with_no_claim_is_retaken_after_a_lease(settings):
    """A worker that died between claiming and leasing loses the task too."""
    settings.TASK_LEASE_SECONDS = 60
    old, new = _task(started=61), _task(started=5)
    done = _task(status=TaskResultStatus.SUCCESSFUL, started=600)
    assert taskqueue.task_retake_expired() == 1
    assert _status(old) == TaskResultStatus.READY
    assert _status(new) == TaskResultStatus.RUNNING
    assert _status(done) == TaskResultStatus.SUCCESSFUL


def test_a_task_that_lost_its_worker_three_times_fails(settings):
    """A task that kills its worker is not retried for ever."""
    settings.TASK_LEASE_SECONDS = 60
    task = _task(started=120, workers=taskqueue.MAX_ATTEMPTS)
    assert taskqueue.task_retake_expired() == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "crm.core.taskqueue.WorkerLost"
    assert "stopped 3 times" in task.traceback


def test_the_project_db_worker_runs_tasks_under_a_lease(settings, monkeypatch):
    """``manage.py db_worker`` is the leased worker; the lease goes with the task."""
    from django.core.management import get_commands

    from crm.core.management.commands.db_worker import LeasedWorker

    assert get_commands()["db_worker"] == "crm.core"
    seen = []
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.Worker.run_task",
        lambda self, result: seen.append(
            TaskClaim.objects.filter(task_id=result.pk, claimed_by="me").exists()
        ),
    )
    worker = LeasedWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="me",
        excluded_queue_names=[],
    )
    task = _task()
    worker.run_task(task)
    assert seen == [True]
    assert not TaskClaim.objects.exists()


def test_spent_form_tokens_are_pruned_after_two_days(firm):
    """The one-time tokens of create forms do not pile up (A10)."""
    from crm.core import concurrency
    from crm.core.models import SpentToken

    concurrency.spend_token(firm=firm, token="old", purpose="contact")
    concurrency.spend_token(firm=firm, token="new", purpose="contact")
    SpentToken.objects.filter(token="old").update(
        created_at=timezone.now() - timedelta(days=3)
    )
    assert concurrency.tokens_prune() == 1
    assert list(SpentToken.objects.values_list("token", flat=True)) == ["new"]
    with pytest.raises(concurrency.AlreadySubmitted):
        concurrency.spend_token(firm=firm, token="new", purpose="contact")
