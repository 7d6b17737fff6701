"""Check the audit hash chain: ``manage.py verify_audit [--firm ID]`` (SPEC A7)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scopes_disabled

from crm.core import auditchain
from crm.firms.models import Firm


class Command(BaseCommand):
    help = (
        "Verify each firm's audit hash chain and report the first broken link. "
        "Exits with status 1 when a chain is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--firm", type=int, help="Only this firm (its id).")

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            firms = Firm.objects.order_by("id")
            if options["firm"] is not None:
                firms = firms.filter(pk=options["firm"])
                if not firms.exists():
                    msg = f"No firm has id {options['firm']}."
                    raise CommandError(msg)
            found = list(firms.values_list("id", "name"))
        broken = 0
        for firm_id, name in found:
            result = auditchain.verify(firm_id)
            if result.broken is None:
                self.stdout.write(
                    f"{name} (firm {firm_id}): {result.rows} audit events, "
                    "chain intact."
                )
            else:
                broken += 1
                self.stderr.write(f"{name}: BROKEN at {result.broken}")
        if broken:
            msg = f"{broken} of {len(found)} audit chains are broken."
            raise CommandError(msg, returncode=1)
