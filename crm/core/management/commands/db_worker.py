"""``manage.py db_worker``: django-tasks-db's worker with task leases (A10).

The same command and options as django-tasks-db's (this app is listed before
it, so this one answers to the name). What it adds is in
``crm.core.taskqueue``: each task it runs carries a lease that a keeper thread
renews, and every worker puts back in the queue the tasks whose lease has
expired, so a task whose worker was killed runs again.
"""

import logging
import os
import threading
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_scopes import scopes_disabled
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from crm.core import concurrency, periodic, taskqueue
from crm.core.frames import in_large_frame

logger = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 60 * 60


class LeasedWorker(upstream.Worker):
    """A ``db_worker`` loop whose tasks carry a lease another worker retakes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current: str | None = None
        self.schedule = periodic.Schedule()
        self._stopped = threading.Event()
        self._keeper = threading.Thread(
            target=self._keep, name=f"task-lease-{self.worker_id}", daemon=True
        )

    def run(self) -> None:
        """Start the keeper, then run the queue as django-tasks-db does."""
        taskqueue.task_retake_expired()
        self._keeper.start()
        try:
            super().run()
        finally:
            self._stopped.set()

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        """Run one task under a lease that the keeper renews."""
        task_id = str(db_task_result.pk)
        taskqueue.task_lease_take(task_id=task_id, worker=self.worker_id)
        self.current = task_id
        try:
            in_large_frame(super().run_task, db_task_result)  # crm/core/frames.py
        finally:
            self.current = None
            taskqueue.task_lease_drop(task_id=task_id, worker=self.worker_id)

    def _keep(self) -> None:
        """Renew the lease in hand, retake lost tasks and run scheduled jobs
        (``crm.core.periodic``), every third of a lease."""
        every = taskqueue.lease_length().total_seconds() / 3
        pruned_at = 0.0
        while not self._stopped.wait(every):
            try:
                close_old_connections()
                if (task_id := self.current) is not None:
                    taskqueue.task_lease_renew(task_id=task_id, worker=self.worker_id)
                taskqueue.task_retake_expired()
                self.schedule.run_due()
                if time.monotonic() - pruned_at > PRUNE_EVERY_SECONDS:
                    pruned_at = time.monotonic()
                    with scopes_disabled():  # spent form tokens of every firm
                        concurrency.tokens_prune()
            except Exception:
                # A locked or restarting database: try again next round.
                logger.exception("Task lease keeper: this round failed")
        connection.close()


class Command(upstream.Command):
    help = (
        "Run a database background worker; its tasks carry a lease, and tasks "
        "of workers that stopped are run again."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        """Run django-tasks-db's loop with :class:`LeasedWorker`."""
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            msg = "--exclude-queues can only be used with --queue-name=*"
            raise CommandError(msg)
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
