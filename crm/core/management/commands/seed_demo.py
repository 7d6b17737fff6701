"""Load the demo data: ``manage.py seed_demo`` (idempotent)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django_scopes import scopes_disabled

from crm.core import demo
from crm.core.management.commands.demo_logins import write_logins

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEMO_BACKEND = "crm.core.mail.DatabaseEmailBackend"


class Command(BaseCommand):
    help = "Create the demo firms, members and data; running it again is safe."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's e-mails go to made-up addresses: never to a real mail
        # server, whatever the settings say. They land in the dev mailbox.
        backend = settings.EMAIL_BACKEND
        if backend == SMTP_BACKEND:
            backend = DEMO_BACKEND
        with (
            override_settings(EMAIL_BACKEND=backend),
            scopes_disabled(),
            transaction.atomic(),
        ):
            demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        write_logins(self.stdout)
