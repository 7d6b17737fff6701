"""Scheduled jobs: a registry of things to run every so often (SPEC I14).

A higher app registers an entry in ``AppConfig.ready()``::

    periodic.register(periodic.Periodic(
        name="support.stale_cases", every=timedelta(hours=1), run=enqueue_checks))

``run`` should be quick: it enqueues the real work as background jobs, one
per firm. Two things run the entries: every ``db_worker`` (its lease keeper
thread calls :meth:`Schedule.run_due`), and ``manage.py run_periodic`` for a
cron line or a test. Times are wall-clock (``timezone.now()``), so a test can
move the clock forward with time-machine.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    """One scheduled job: its name, how often it runs, what it calls."""

    name: str
    every: timedelta
    run: Callable[[], object]


_REGISTRY: dict[str, Periodic] = {}


def register(entry: Periodic) -> Periodic:
    """Add a scheduled job (from the owning app's ``ready()``)."""
    existing = _REGISTRY.get(entry.name)
    if existing is not None and existing != entry:
        msg = f"Scheduled job {entry.name} is registered twice."
        raise ValueError(msg)
    _REGISTRY[entry.name] = entry
    return entry


def entries() -> list[Periodic]:
    """Return every scheduled job, by name."""
    return sorted(_REGISTRY.values(), key=lambda e: e.name)


def get(name: str) -> Periodic:
    """Return the scheduled job called ``name`` or raise ``KeyError``."""
    return _REGISTRY[name]


class Schedule:
    """When each scheduled job last ran, in one worker process.

    The first call runs every job (a worker that starts catches up); after
    that a job runs once its ``every`` has passed. A job that raises is
    logged and tried again at its next turn.
    """

    def __init__(self) -> None:
        self.last_run: dict[str, datetime] = {}

    def run_due(self, *, now: datetime | None = None) -> list[str]:
        """Run the jobs that are due; return their names."""
        now = now or timezone.now()
        ran = []
        for entry in entries():
            last = self.last_run.get(entry.name)
            if last is not None and now - last < entry.every:
                continue
            self.last_run[entry.name] = now
            try:
                entry.run()
            except Exception:
                logger.exception("Scheduled job %s failed", entry.name)
                continue
            ran.append(entry.name)
        return ran
