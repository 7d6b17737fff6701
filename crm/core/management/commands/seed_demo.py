"""Load the demo data: ``manage.py seed_demo`` (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from crm.core import demo
from crm.core.management.commands.demo_logins import write_logins


class Command(BaseCommand):
    help = "Create the demo firms, members and data; running it again is safe."

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled(), transaction.atomic():
            demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        write_logins(self.stdout)
