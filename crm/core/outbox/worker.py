"""The outbox worker loop, run by ``manage.py outbox_worker``."""

import logging
import os
import socket
import threading
import time
import uuid

from django.db import close_old_connections

from crm.core.frames import in_large_frame
from crm.core.outbox import batch, services

logger = logging.getLogger(__name__)

IDLE_SLEEP_SECONDS = 1.0
PRUNE_EVERY_SECONDS = 60 * 60


def worker_name(prefix: str = "outbox") -> str:
    """Return a name for this worker that no other process or worker shares."""
    return f"{prefix}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class OutboxWorker:
    """Claim due outbox messages and deliver them until told to stop.

    ``run_once`` drains what is due now; ``run_forever`` repeats it, sleeping
    ``idle_sleep`` seconds when nothing was due, until ``stop`` is called (the
    command calls it on SIGTERM and SIGINT). Delivered messages past their
    retention are pruned at most once every ``prune_every`` seconds.
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        batch: int = services.CLAIM_BATCH,
        idle_sleep: float = IDLE_SLEEP_SECONDS,
        prune_every: float = PRUNE_EVERY_SECONDS,
    ) -> None:
        self.name = name or worker_name()
        self.batch = batch
        self.idle_sleep = idle_sleep
        self.prune_every = prune_every
        self._stop = threading.Event()
        self._last_prune: float | None = None

    @property
    def stopping(self) -> bool:
        """Return True once ``stop`` has been called."""
        return self._stop.is_set()

    def stop(self) -> None:
        """Finish the message in hand, then leave the loop."""
        self._stop.set()

    def prune_if_due(self) -> int:
        """Prune old delivered messages unless that was done recently."""
        clock = time.monotonic()
        if self._last_prune is not None and clock - self._last_prune < self.prune_every:
            return 0
        self._last_prune = clock
        pruned = services.outbox_prune()
        if pruned:
            logger.info("Outbox: pruned %d delivered message(s)", pruned)
        finished = services.task_results_prune()
        if finished:
            logger.info("Outbox: pruned %d finished background job row(s)", finished)
        return pruned

    def run_once(self) -> int:
        """Deliver every message due now; return how many tries were made."""
        self.prune_if_due()
        services.relax_commits()
        tries = 0
        while not self.stopping:
            messages = services.outbox_claim(worker=self.name, limit=self.batch)
            if not messages:
                break
            # Send the batch, then record every outcome in one transaction;
            # a stopping worker hands back what it has not sent.
            tried = batch.outbox_send_batch(
                messages=messages, worker=self.name, stopping=lambda: self.stopping
            )
            batch.outbox_record_batch(tried=tried, worker=self.name)
            tries += len(tried)
        return tries

    def run_forever(self) -> None:
        """Run ``run_once`` again and again until ``stop`` is called."""
        logger.info("Outbox worker %s started", self.name)
        while not self.stopping:
            close_old_connections()
            try:
                tries = in_large_frame(self.run_once)  # crm/core/frames.py
            except Exception:
                # A database hiccup must not end the worker; try again shortly.
                logger.exception("Outbox worker %s: pass failed", self.name)
                tries = 0
            if not tries:
                self._stop.wait(self.idle_sleep)
        logger.info("Outbox worker %s stopped", self.name)
