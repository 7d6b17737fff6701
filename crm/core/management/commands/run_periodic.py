"""``manage.py run_periodic [NAME ...]``: run scheduled jobs now (SPEC I14).

Every ``db_worker`` runs them on their schedule; this command is for a cron
line without a worker, and for tests. With no names it runs them all.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.core import periodic


class Command(BaseCommand):
    help = "Run the scheduled jobs now (all, or those named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help="Scheduled job names.")

    def handle(self, *args: Any, names: list[str], **options: Any) -> None:
        """Run the named scheduled jobs, or all of them."""
        known = {e.name: e for e in periodic.entries()}
        unknown = sorted(set(names) - set(known))
        if unknown:
            msg = (
                f"Unknown scheduled job(s): {', '.join(unknown)}. "
                f"Known: {', '.join(known) or 'none'}."
            )
            raise CommandError(msg)
        for name in names or list(known):
            known[name].run()
            self.stdout.write(f"Ran {name}")
