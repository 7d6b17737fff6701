"""Time the pages on the bench database: ``manage.py bench_run``.

Writes this database's figures into ``bench/results/<date>.json`` and
regenerates ``bench/RESULTS.md`` from it (``bench/NOTES.md`` is appended).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from bench import report
from bench.generate import database_label
from bench.suite import run_load_only, run_suite

NOTES = Path(report.RESULTS_MD).with_name("NOTES.md")


class Command(BaseCommand):
    help = "Time each operation and the gunicorn throughput on the bench database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--only", nargs="*", default=None)
        parser.add_argument("--load-seconds", type=int, default=20)
        parser.add_argument("--no-save", action="store_true")
        parser.add_argument(
            "--load-only",
            action="store_true",
            help=(
                "measure only the throughput, into today's results for this "
                "database at --scale"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if "bench" not in str(connection.settings_dict["NAME"]):
            msg = f"Refusing to run on {database_label()}: its name lacks 'bench'."
            raise CommandError(msg)
        self.stdout.write(f"{database_label()}: {options['requests']} requests each")
        if options["load_only"]:
            key = report.entry_key(connection.vendor, options["scale"])
            entry = report.latest().get("databases", {}).get(key)
            if entry is None:
                msg = "No earlier results for this database to add the load test to."
                raise CommandError(msg)
            run_load_only(
                entry, load_seconds=options["load_seconds"], log=self.stdout.write
            )
            if not options["no_save"]:
                self._save(entry)
            return
        try:
            entry = run_suite(
                requests=options["requests"],
                scale=options["scale"],
                only=options["only"],
                load_seconds=options["load_seconds"],
                log=self.stdout.write,
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if not options["no_save"]:
            self._save(entry)

    def _save(self, entry: dict[str, Any]) -> None:
        path = report.save(connection.vendor, entry)
        markdown = report.write_markdown(report.latest(), NOTES)
        self.stdout.write(f"Wrote {path} and {markdown}")
