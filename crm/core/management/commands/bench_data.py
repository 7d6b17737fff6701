"""Fill a throw-away database with benchmark data: ``manage.py bench_data``.

``--scale 1`` (the default) is one firm with 1,000,000 contacts, 300,000
cases, 3,000,000 interactions and 500,000 tasks, plus 49 small firms; the
counts can also be given one by one. Refuses a database whose name does not
contain "bench", so the development database is never filled by mistake.
Does nothing when the database already holds bench data of the same size.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from bench.generate import Plan, bench_firm, database_label, generate, matches


class Command(BaseCommand):
    help = "Fill the bench database with one large firm and 49 small ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0)
        for name in ("contacts", "leads", "cases", "interactions", "tasks"):
            parser.add_argument(f"--{name}", type=int, default=None)
        parser.add_argument(
            "--fresh", action="store_true", help="empty the database and migrate first"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="start afresh when the database holds bench data of another size",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if "bench" not in str(connection.settings_dict["NAME"]):
            msg = f"Refusing to fill {database_label()}: its name lacks 'bench'."
            raise CommandError(msg)
        plan = Plan.scaled(
            options["scale"],
            **{
                k: options[k]
                for k in ("contacts", "leads", "cases", "interactions", "tasks")
            },
        )
        if options["fresh"]:
            self._empty()
        if bench_firm() is not None:
            if matches(plan):
                self.stdout.write(f"{database_label()}: bench data already there.")
                return
            if not options["replace"]:
                msg = (
                    f"{database_label()} holds bench data of another size or "
                    "build; run with --fresh or --replace."
                )
                raise CommandError(msg)
            self._empty()
        self.stdout.write(f"{database_label()}: generating {plan}")
        stats = generate(plan, log=self.stdout.write)
        self.stdout.write(
            f"{stats.total_rows:,} rows in {stats.total_seconds:.0f}s "
            f"({stats.total_rows / max(stats.total_seconds, 1e-9):,.0f} rows/s)"
        )

    def _empty(self) -> None:
        """Drop every table (a new schema on PostgreSQL) and migrate again."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP SCHEMA public CASCADE")
                cursor.execute("CREATE SCHEMA public")
            else:
                cursor.execute("PRAGMA foreign_keys = OFF")
                cursor.execute(
                    "SELECT type, name FROM sqlite_master WHERE type IN "
                    "('table', 'view') AND name NOT LIKE 'sqlite_%'"
                )
                for kind, name in cursor.fetchall():
                    cursor.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
                cursor.execute("VACUUM")
        call_command("migrate", verbosity=0, interactive=False)
