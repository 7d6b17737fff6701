"""Measure contact search at scale: ``manage.py bench_search --contacts 1000000``.

Fills one firm (on the configured database; use a throw-away one) with
realistic contacts in bulk, then times the search service for the cases that
matter: a surname prefix, a fragment of a common name, an e-mail fragment, a
phone fragment, and the first page of the Clients list. Prints p50/p95.
"""

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django_scopes import scopes_disabled

from crm.contacts.demo import FIRST, LAST, STREETS, TOWNS
from crm.contacts.models import Contact
from crm.contacts.search import contact_search
from crm.contacts.selectors import contact_list
from crm.contacts.services import apply_normalised
from crm.firms.models import Firm

BATCH = 10_000
BENCH_FIRM = "Search Benchmark Ltd"


class Command(BaseCommand):
    help = "Fill a firm with N contacts (if needed) and time the search."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--contacts", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            firm = self._fill(options["contacts"])
            self._measure(firm, options["runs"])

    def _fill(self, wanted: int) -> Firm:
        firm, _ = Firm.objects.get_or_create(name=BENCH_FIRM)
        have = Contact.objects.filter(firm=firm).count()
        rng = random.Random(1)  # noqa: S311 - benchmark data
        started = time.perf_counter()
        for start in range(have, wanted, BATCH):
            rows = []
            for i in range(start, min(start + BATCH, wanted)):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                town, area = rng.choice(TOWNS)
                contact = Contact(
                    firm=firm,
                    first_name=first,
                    last_name=last,
                    email=f"{first}.{last}.{i}@mail{i % 97}.example".lower(),
                    mobile=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                    address_line1=f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
                    town=town,
                    postcode=f"{area}{rng.randint(1, 16)} {rng.randint(1, 9)}AB",
                )
                apply_normalised(contact)
                rows.append(contact)
            with transaction.atomic():
                Contact.objects.bulk_create(rows, batch_size=2000)
        if wanted > have:
            took = time.perf_counter() - started
            self.stdout.write(
                f"inserted {wanted - have:,} contacts in {took:.0f}s "
                f"({(wanted - have) / took:,.0f} rows/s)"
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE contacts_contact")
        return firm

    def _time(self, runs: int, call: Callable[[], object]) -> tuple[float, float, int]:
        timings = []
        result: Any = None
        for _ in range(runs):
            started = time.perf_counter()
            result = call()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        return statistics.median(timings), p95, len(result)

    def _measure(self, firm: Firm, runs: int) -> None:
        total = Contact.objects.filter(firm=firm).count()
        self.stdout.write(f"{connection.vendor}: {total:,} contacts in the firm")
        sample = Contact.objects.filter(firm=firm).order_by("-id").first()
        assert sample is not None  # noqa: S101 - the firm was just filled
        cases = {
            "surname prefix 'pat'": "pat",
            "common-name fragment 'illia'": "illia",
            "e-mail fragment": sample.email[3:14],
            "phone fragment (6 digits)": sample.mobile_norm[-6:],
            "mobile typed +44": "+44 " + sample.mobile[1:],
            "full name": f"{sample.first_name} {sample.last_name}",
        }
        for label, q in cases.items():

            def run(q: str = q) -> list[Contact]:
                return contact_search(firm=firm, q=q)

            p50, p95, n = self._time(runs, run)
            self.stdout.write(
                f"  {label:<30} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({n} hits)"
            )
        p50, p95, n = self._time(runs, lambda: list(contact_list(firm=firm)[:25]))
        label = "Clients list, first page"
        self.stdout.write(
            f"  {label:<30} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({n} rows)"
        )
