"""Profile pages on the bench database: ``manage.py bench_profile``.

Python calls (cProfile ``total_calls`` of one request after three warm ones),
the median time of ``--requests`` more and the time inside each template;
``--html DIR`` keeps each page's HTML (tokens blanked) for a byte-for-byte
comparison between two runs. Nothing is saved to the bench results.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from bench import operations, ops_paging
from bench.context import BenchContext, build_context
from bench.generate import database_label
from bench.operations import Operation, Statement
from bench.profile import profile_operation
from bench.suite import logged_in_client

DEFAULT_PAGES = (
    "cases_open",
    "cases_newest",
    "contact_list",
    "support_case_list",
    "case_detail",
    "contact_detail",
    "task_list",
)


def _no_sql(ctx: BenchContext, i: int) -> list[Statement]:
    return []


def _fixed(path: str) -> Callable[[BenchContext, int], str]:
    return lambda ctx, i: path


class Command(BaseCommand):
    help = "Count the Python calls and time the templates of the hot pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="*", default=list(DEFAULT_PAGES))
        parser.add_argument(
            "--path",
            nargs="*",
            default=[],
            help="also profile these paths (GET), e.g. /leads/list/",
        )
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument("--html", type=Path, default=None)
        parser.add_argument("--top", type=int, default=0, help="print N functions")
        parser.add_argument("--sort", default="cumulative")
        parser.add_argument("--templates", type=int, default=0, help="print N")

    def handle(self, *args: Any, **options: Any) -> None:
        if "bench" not in str(connection.settings_dict["NAME"]):
            msg = f"Refusing to run on {database_label()}: its name lacks 'bench'."
            raise CommandError(msg)
        ctx = build_context(lead_count=10)
        client = logged_in_client(ctx)
        ops = [*operations.operations(ctx), *ops_paging.paging_operations(ctx)]
        by_name = {op.name: op for op in ops}
        paths = {}
        for path in options["path"]:
            name = "path_" + (path.strip("/").replace("/", "_") or "root")
            paths[name] = path
            by_name[name] = Operation(name, path, _fixed(path), _no_sql)
        for name in [*options["only"], *paths]:
            if name not in by_name:
                raise CommandError(f"No operation {name!r}")
            result = profile_operation(
                client,
                by_name[name],
                ctx,
                requests=options["requests"],
                html_dir=options["html"],
                top=options["top"] or 25,
                sort=options["sort"],
            )
            self.stdout.write(
                f"{name:<22} calls {result.total_calls:>8,} "
                f"p50 {result.p50_ms:6.2f} ms, CPU {result.cpu_p50_ms:6.2f} ms"
            )
            if options["top"]:
                self.stdout.write(result.top)
            slowest = sorted(result.templates.items(), key=lambda kv: -kv[1])
            for template, ms in slowest[: options["templates"]]:
                self.stdout.write(f"    {ms:7.2f} ms  {template}")
