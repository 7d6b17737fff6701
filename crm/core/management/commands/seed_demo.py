"""Load the demo data: ``manage.py seed_demo`` (idempotent)."""

import importlib
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from crm.core.management.commands.demo_logins import write_logins
from crm.firms import demo as firms_demo

# Apps whose ``demo.seed(firms)`` adds to the demo, in dependency order.
DEMO_APPS = (
    "crm.contacts",
    "crm.leads",
    "crm.tasks",
    "crm.interactions",
    "crm.advice",
    "crm.support",
)


class Command(BaseCommand):
    help = "Create the demo firms, members and data; running it again is safe."

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled(), transaction.atomic():
            firms = firms_demo.seed()
            for app in DEMO_APPS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                module.seed(firms)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        write_logins(self.stdout)
