"""List-page throughput with and without the read replica: ``manage.py bench_replica``.

Run on the bench database of the primary that ``scripts/replica.sh`` started,
with ``DATABASE_REPLICA_URL`` on its standby (``make bench-replica`` sets it
all up). Without a replica it says so and does nothing. The figures go into
today's ``bench/results/<date>.json`` (``replica``) and ``bench/RESULTS.md``.
"""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from bench import load, report
from bench import replica as replica_bench
from bench.context import build_context
from bench.generate import database_label
from bench.suite import _counts, logged_in_client
from crm.core.management.commands.bench_run import NOTES


class Command(BaseCommand):
    help = "Load a list page with and without the read replica (and PgBouncer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--load-seconds", type=int, default=10)
        parser.add_argument(
            "--pgbouncer-url",
            default="",
            help="the primary's database through PgBouncer, for a third run",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if "bench" not in str(connection.settings_dict["NAME"]):
            msg = f"Refusing to run on {database_label()}: its name lacks 'bench'."
            raise CommandError(msg)
        if "replica" not in settings.DATABASES:
            self.stdout.write(
                "Replica benchmark skipped: DATABASE_REPLICA_URL is not set."
            )
            return
        if load.wrk_path() is None:
            self.stdout.write("Replica benchmark skipped: wrk is not installed.")
            return
        ctx = build_context(lead_count=0)
        session = logged_in_client(ctx).cookies["sessionid"]
        self.stdout.write(f"{database_label()} with its streaming standby:")
        result = replica_bench.run(
            session.value,
            seconds=options["load_seconds"],
            pgbouncer_url=options["pgbouncer_url"],
            log=self.stdout.write,
        )
        result["counts"] = _counts(ctx.firm_id)
        data = report.latest()
        data.setdefault("date", timezone.localdate().isoformat())
        data["replica"] = result
        path = report.RESULTS_DIR / f"{data['date']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n")
        report.write_markdown(data, NOTES)
        self.stdout.write(f"Wrote {path} and {report.RESULTS_MD}")
