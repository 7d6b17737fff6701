"""Print the demo logins: ``manage.py demo_logins``."""

from typing import Any

from django.core.management.base import BaseCommand, OutputWrapper

from crm.core import demo


def write_logins(out: OutputWrapper) -> None:
    """Write the demo users, their roles and firms to ``out``."""
    for line in demo.login_lines():
        out.write(line)


class Command(BaseCommand):
    help = "Print the demo users' e-mail addresses, roles and password."

    def handle(self, *args: Any, **options: Any) -> None:
        write_logins(self.stdout)
