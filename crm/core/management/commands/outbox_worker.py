"""Deliver outbox messages: ``manage.py outbox_worker [--once]``."""

import signal
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from crm.core.outbox.worker import IDLE_SLEEP_SECONDS, OutboxWorker

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Command(BaseCommand):
    help = (
        "Claim due outbox messages and deliver them; with --once drain what is "
        "due and exit, otherwise run until SIGTERM or SIGINT."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Deliver what is due now, then exit."
        )
        parser.add_argument(
            "--batch", type=int, default=20, help="Messages claimed at a time."
        )
        parser.add_argument(
            "--sleep",
            type=float,
            default=IDLE_SLEEP_SECONDS,
            help="Seconds to wait when nothing is due.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = OutboxWorker(batch=options["batch"], idle_sleep=options["sleep"])
        if options["once"]:
            tries = worker.run_once()
            self.stdout.write(f"Outbox: {tries} delivery attempt(s).")
            return

        def request_stop(signum: int, frame: FrameType | None) -> None:
            worker.stop()

        previous = {sig: signal.signal(sig, request_stop) for sig in STOP_SIGNALS}
        try:
            self.stdout.write(f"Outbox worker {worker.name} running.")
            worker.run_forever()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Outbox worker stopped.")
