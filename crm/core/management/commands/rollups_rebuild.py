"""Recompute the reports' summary rows: ``manage.py rollups_rebuild``.

A repair tool (the services keep the rows in step with every change; see
``crm.core.rollups``): ``--firm`` limits it to some firms, ``--only`` to some
rollups. Run it when nobody writes to those firms: a change made while a
firm is being recounted may be counted twice or not at all.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.core import rollups


class Command(BaseCommand):
    help = "Recompute the reports' summary (rollup) rows from the base tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--firm", type=int, action="append", default=None, help="a firm id"
        )
        parser.add_argument(
            "--only", action="append", default=[], help="a rollup's name"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unknown = set(options["only"]) - set(rollups.names())
        if unknown:
            msg = f"No rollup named {', '.join(sorted(unknown))}; there are: "
            raise CommandError(msg + ", ".join(rollups.names()))
        written = rollups.rebuild_all(options["firm"], only=options["only"])
        for name, rows in written.items():
            self.stdout.write(f"{name}: {rows:,} rows")
