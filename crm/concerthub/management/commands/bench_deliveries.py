"""Benchmark: Concert Hub deliveries per second through the outbox workers (G5).

Starts the simulator and ``--workers`` outbox worker processes, makes
``--messages`` queued submissions due at once and times until all are
received; then adds ``--finished`` delivered outbox rows and runs again,
so the figure with a large finished history can be compared. Run by
``make bench`` on each database; the figures go into today's results file
and ``bench/RESULTS.md``. A benchmark, never a test: it only reports.
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from config.env import BASE_DIR
from crm.advice.choices import AdviceKind
from crm.cases import kinds
from crm.cases.models import Case
from crm.cases.services import NewCase, case_create
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import Submission
from crm.concerthub.services import TOPIC
from crm.contacts.models import Contact
from crm.core import outbound
from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.outbox.models import OutboxMessage
from crm.firms.models import Firm

EXAMPLE = BASE_DIR / "docs" / "concert-hub" / "example-submission.json"
FIRM_NAME = "Bench deliveries"
BATCH = 5000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """Return the user + system CPU time process ``pid`` has used (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _database_pids() -> list[int]:
    """Return the server process ids of every connection to this database."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        )
        return [row[0] for row in cursor.fetchall()]


def _wait_healthy(url: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if outbound.get(url=f"{url}/health", timeout=1).ok:
            return
        time.sleep(0.1)
    msg = f"The simulator at {url} did not start."
    raise RuntimeError(msg)


class Command(BaseCommand):
    help = "Time Concert Hub deliveries through the outbox workers and the simulator."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--messages", type=int, default=2000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--finished", type=int, default=250_000)

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            self._run(options)

    def _run(self, options: dict[str, Any]) -> None:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "CONCERT_HUB_URL": url,
            "OUTBOUND_ALLOWED_PRIVATE_HOSTS": f"127.0.0.1:{port}",
            "LOG_LEVEL": "WARNING",
        }
        settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{port}"]
        simulator = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "simulator", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        workers: list[subprocess.Popen[bytes]] = []
        try:
            _wait_healthy(url)
            firm = self._firm()
            workers = [
                subprocess.Popen(
                    [sys.executable, "manage.py", "outbox_worker"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for _ in range(options["workers"])
            ]
            time.sleep(3)  # let the workers start before the clock does
            self.parts = {
                "workers": [w.pid for w in workers],
                "simulator": [simulator.pid],
                "database": _database_pids(),
            }
            empty, cpu = self._round(firm, options["messages"])
            self._finished_rows(firm, options["finished"])
            loaded, cpu_loaded = self._round(firm, options["messages"])
        finally:
            for process in [*workers, simulator]:
                process.terminate()
            for process in [*workers, simulator]:
                process.wait(timeout=30)
        result = {
            "messages": options["messages"],
            "workers": options["workers"],
            "finished_rows": options["finished"],
            "per_second": round(empty, 1),
            "per_second_with_finished": round(loaded, 1),
            "cpu_ms_per_delivery": cpu,
            "cpu_ms_per_delivery_with_finished": cpu_loaded,
        }
        self._report(result)

    def _firm(self) -> Firm:
        """Return the bench's own firm and case (made once, kept between runs)."""
        firm = Firm.objects.filter(name=FIRM_NAME).first()
        if firm is None:
            firm = Firm.objects.create(
                name=FIRM_NAME, has_advice=True, has_support=False
            )
        case = Case.objects.filter(firm=firm, kind=AdviceKind.PROTECTION).first()
        if case is None:
            contact = Contact.objects.create(
                firm=firm, first_name="Bench", last_name="Client"
            )
            case = case_create(
                firm=firm,
                actor=None,
                data=NewCase(
                    kind=AdviceKind.PROTECTION,
                    applicants=[contact],
                    owner=None,
                    status=kinds.get(AdviceKind.PROTECTION).start_statuses[0],
                ),
            )
        self.case = case
        return firm

    def _cpu(self) -> dict[str, float]:
        return {
            part: sum(_cpu_seconds(pid) for pid in pids)
            for part, pids in self.parts.items()
        }

    def _round(self, firm: Firm, count: int) -> tuple[float, dict[str, float]]:
        """Queue ``count`` submissions not yet due, make them due, time the drain.

        Return deliveries per second and the CPU milliseconds one delivery
        cost in the workers, the simulator and the database server (the
        database's figure includes this command's polling). CPU per delivery
        holds when other work shares the machine; the rate does not.
        """
        payload = json.loads(EXAMPLE.read_text())
        later = timezone.now() + timedelta(hours=1)
        start = Submission.objects.filter(firm=firm, case=self.case).count()
        keys = [f"bench-{uuid.uuid4().hex}" for _ in range(count)]
        messages = OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    firm=firm,
                    topic=TOPIC,
                    payload={**payload, "case_reference": f"BENCH-{start + n}"},
                    idempotency_key=key,
                    next_attempt_at=later,
                )
                for n, key in enumerate(keys)
            ],
            batch_size=1000,
        )
        if connection.vendor != "postgresql":
            messages = list(OutboxMessage.objects.filter(idempotency_key__in=keys))
        Submission.objects.bulk_create(
            [
                Submission(
                    firm=firm,
                    case=self.case,
                    number=start + n + 1,
                    status=SubmissionStatus.QUEUED,
                    idempotency_key=m.idempotency_key,
                    payload=m.payload,
                    message=m,
                    is_latest=False,
                )
                for n, m in enumerate(messages)
            ],
            batch_size=1000,
        )
        ids = [m.pk for m in messages]
        cpu_before = self._cpu()
        began = time.monotonic()
        OutboxMessage.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
        pending = OutboxMessage.objects.filter(
            pk__in=ids, status=OutboxMessageStatus.PENDING
        )
        while pending.exists():
            time.sleep(0.05)
        seconds = time.monotonic() - began
        cpu_after = self._cpu()
        cpu = {
            part: round((cpu_after[part] - cpu_before[part]) * 1000 / count, 2)
            for part in cpu_after
        }
        cpu["total"] = round(sum(cpu.values()), 2)
        received = Submission.objects.filter(
            message_id__in=ids, status=SubmissionStatus.RECEIVED
        ).count()
        self.stdout.write(
            f"{count} messages: {received} received in {seconds:.1f} s "
            f"({count / seconds:.0f}/s); CPU ms per delivery: "
            + ", ".join(f"{part} {ms}" for part, ms in cpu.items())
        )
        return count / seconds, cpu

    def _finished_rows(self, firm: Firm, count: int) -> None:
        """Add ``count`` delivered outbox rows, as a long-running firm has."""
        now = timezone.now()
        for offset in range(0, count, BATCH):
            OutboxMessage.objects.bulk_create(
                [
                    OutboxMessage(
                        firm=firm,
                        topic=TOPIC,
                        payload={},
                        idempotency_key=f"done-{uuid.uuid4().hex}",
                        status=OutboxMessageStatus.DELIVERED,
                        attempts=1,
                        delivered_at=now,
                    )
                    for _ in range(min(BATCH, count - offset))
                ]
            )
        self.stdout.write(f"Added {count:,} delivered outbox rows.")

    def _report(self, result: dict[str, Any]) -> None:
        from bench import report
        from crm.core.management.commands.bench_run import NOTES

        data = report.latest()
        vendor = connection.vendor
        data.setdefault("deliveries", {})[vendor] = result
        directory = report.RESULTS_DIR
        name = data.get("date") or timezone.localdate().isoformat()
        data["date"] = name
        (directory / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n")
        report.write_markdown(data, NOTES)
        self.stdout.write(
            f"{vendor}: {result['per_second']}/s with {result['workers']} workers; "
            f"{result['per_second_with_finished']}/s with "
            f"{result['finished_rows']:,} finished rows."
        )
