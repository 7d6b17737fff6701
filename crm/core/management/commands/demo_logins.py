"""Print the demo logins: ``manage.py demo_logins``."""

from typing import Any

from django.core.management.base import BaseCommand, OutputWrapper

from crm.firms import demo as firms_demo
from crm.firms.choices import Role


def write_logins(out: OutputWrapper) -> None:
    """Write the demo users, their roles and firms to ``out``."""
    out.write(f"Demo logins (password for all: {firms_demo.DEMO_PASSWORD})")
    width = max(len(u.email) for u in firms_demo.DEMO_USERS)
    roles = dict(Role.choices)
    for spec in firms_demo.DEMO_USERS:
        out.write(f"  {spec.email:<{width}}  {roles[spec.role]:<29} {spec.firm}")


class Command(BaseCommand):
    help = "Print the demo users' e-mail addresses, roles and password."

    def handle(self, *args: Any, **options: Any) -> None:
        write_logins(self.stdout)
