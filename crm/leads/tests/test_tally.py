"""The lead tally: the services keep it equal to a fresh count, and the
conversion report read from it gives the live query's table."""

import datetime
import random
from typing import Any

import pytest
import time_machine
from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth

from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.leads import services
from crm.leads.choices import TRANSITIONS, LeadSource, LeadStatus
from crm.leads.models import Lead
from crm.leads.tally import services as tally
from crm.leads.tally.models import KEY, LeadTally
from crm.reports import selectors
from crm.reports.selectors.base import (
    ReportQuery,
    for_people,
    in_range,
    month_label,
    months_of,
    rate,
)

pytestmark = pytest.mark.django_db
START = datetime.datetime(2025, 12, 3, 11, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 4, 10)


def _stored(firm_id: int) -> dict[tuple[Any, ...], int]:
    return {
        tuple(getattr(r, name) for name in KEY[1:]): r.n
        for r in LeadTally.objects.filter(firm_id=firm_id).exclude(n=0)
    }


def _fresh(firm_id: int) -> dict[tuple[Any, ...], int]:
    return {k: n for k, n in tally.tally_counts(Lead, firm_id).items() if n}


def _make_data(firm: Any, rng: random.Random) -> tuple[list[Any], list[Any]]:
    members = [MembershipFactory(firm=firm, role=Role.OWNER).user for _ in range(3)]
    introducers = [IntroducerFactory(firm=firm) for _ in range(2)]
    for i in range(45):
        moment = START + datetime.timedelta(days=3 * i, hours=rng.choice([0, 12]))
        with time_machine.travel(moment, tick=False):
            leads = list(Lead.objects.filter(firm=firm).order_by("pk"))
            roll = rng.random()
            if roll < 0.45 or not leads:
                introducer = rng.choice([*introducers, None])
                services.lead_create(
                    firm=firm,
                    actor=None,
                    contact=ContactFactory(firm=firm),
                    source=LeadSource.INTRODUCER if introducer else LeadSource.PHONE,
                    owner=rng.choice([*members, None]),
                    introducer=introducer,
                )
                continue
            lead = rng.choice(leads)
            if roll < 0.7:
                moves = sorted(TRANSITIONS.get(lead.status, frozenset()))
                moves = [m for m in moves if m != LeadStatus.CONVERTED]
                if moves:
                    services.lead_move(
                        firm=firm,
                        actor=None,
                        lead=lead,
                        status=rng.choice(moves),
                        reason="No",
                    )
            elif roll < 0.85 and lead.status != LeadStatus.NOT_PROCEEDING:
                make_case(firm, lead=lead, applicants=[lead.contact])
            else:
                services.lead_update(
                    firm=firm,
                    actor=None,
                    lead=lead,
                    source=lead.source,
                    owner=rng.choice([*members, None]),
                    introducer=lead.introducer,
                    introducer_branch=None,
                    negotiator=None,
                    follow_up_date=None,
                    notes="",
                )
    return members, introducers


def _live_conversion(*, firm, query, today):
    """The conversion report's figures as the live query gave them."""
    span = months_of(query, today=today)
    qs = in_range(
        Lead.objects.filter(firm=firm), "created_at", span.date_from, span.date_to
    )
    counts = {
        row["month"]: row
        for row in for_people(qs, query)
        .order_by()
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("month")
        .annotate(
            leads=Count("id"),
            converted=Count("id", filter=Q(status=LeadStatus.CONVERTED)),
            lost=Count("id", filter=Q(status=LeadStatus.NOT_PROCEEDING)),
        )
    }
    rows = []
    for month in span.months:
        row = counts.get(month, {})
        leads, converted = row.get("leads", 0), row.get("converted", 0)
        rows.append(
            (
                month_label(month),
                (leads, converted, row.get("lost", 0), rate(converted, leads)),
            )
        )
    return rows


def test_services_keep_the_tally_and_the_report_right(firm):
    """Creates, moves, updates and conversions over months: the stored rows
    equal a fresh count, and every filter gives the live query's figures."""
    rng = random.Random(7)  # noqa: S311  (test data)
    members, introducers = _make_data(firm, rng)
    assert _stored(firm.pk) == _fresh(firm.pk)
    assert Lead.objects.filter(firm=firm, status=LeadStatus.CONVERTED).exists()
    ranges = [
        (None, None),
        (datetime.date(2025, 12, 15), None),
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)),
        (datetime.date(2025, 12, 20), datetime.date(2026, 3, 5)),
        (datetime.date(2026, 2, 3), datetime.date(2026, 2, 20)),
    ]
    people = [
        (None, None),
        (members[0].pk, None),
        (None, introducers[0].pk),
        (members[1].pk, introducers[1].pk),
    ]
    for date_from, date_to in ranges:
        for owner_id, introducer_id in people:
            query = ReportQuery(date_from, date_to, owner_id, introducer_id)
            table = selectors.conversion_report(
                firm=firm, principal=None, query=query, today=TODAY
            )
            got = [(row.label, row.values) for row in table.rows]
            assert got == _live_conversion(firm=firm, query=query, today=TODAY)
    everything = selectors.conversion_report(
        firm=firm, principal=None, query=ReportQuery(), today=TODAY
    )
    assert not everything.is_empty
