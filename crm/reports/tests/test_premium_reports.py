"""The premiums report read from the policy tally gives the table the live
query gave.

``_live_premiums`` is the report as it was before the tally (an aggregate
over the policies themselves), kept here as the oracle: for policies made
through the services on days spread over months, every filter combination
(dates within and across months, adviser, introducer, both, a member who
sees only their own cases, one who sees none) gives the same table both
ways, rows in the same order.
"""

import datetime
import random
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Case as Conditional
from django.db.models import Count, DecimalField, F, Q, Sum, Value, When

from crm.cases.models import Case
from crm.cases.policies import case_child_visibility
from crm.cases.services import case_update
from crm.firms.choices import Perm, Role
from crm.firms.principals import StaffPrincipal
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.protection import services as protection_services
from crm.protection.choices import PolicyStatus, PremiumFrequency
from crm.protection.models import Policy
from crm.protection.tests.factories import protection_case
from crm.reports import selectors
from crm.reports.selectors.base import (
    Column,
    ReportQuery,
    Row,
    Table,
    for_people,
    in_range,
)

pytestmark = pytest.mark.django_db
START = datetime.datetime(2025, 12, 3, 11, tzinfo=datetime.UTC)
PENNY = Decimal("0.01")
PLACED = (PolicyStatus.SUBMITTED, PolicyStatus.ON_RISK)
PROVIDERS = ["Aviva", "Zurich", "Legal & General", "", "aviva", "Royal London"]
PREMIUMS = [None, Decimal("9.99"), Decimal("18.50"), Decimal("0.10"), Decimal(420)]


@pytest.fixture
def _recount_rollups():
    """Here every row is made through the services: no recount after updates."""
    return


def _annual_premium() -> Sum:
    money: DecimalField[Decimal, Decimal] = DecimalField(
        max_digits=14, decimal_places=2
    )
    return Sum(
        Conditional(
            When(
                premium_frequency=PremiumFrequency.MONTHLY,
                then=F("premium") * Value(Decimal(12), output_field=money),
            ),
            default=F("premium"),
            output_field=money,
        ),
        output_field=money,
    )


def _live_premiums(*, firm, principal, query):
    """Return placed protection policies (submitted or on risk) by provider.

    The annual premium counts a monthly premium twelve times; the date range
    bounds when the policies were added.
    """
    qs = case_child_visibility(
        Policy.objects.filter(firm=firm, status__in=PLACED), principal
    )
    qs = in_range(qs, "created_at", query.date_from, query.date_to)
    rows = (
        for_people(qs, query, via="case")
        .order_by()
        .values("provider")
        .annotate(
            submitted=Count("id", filter=Q(status=PolicyStatus.SUBMITTED)),
            on_risk=Count("id", filter=Q(status=PolicyStatus.ON_RISK)),
            annual=_annual_premium(),
        )
        .order_by("-annual", "provider")
    )
    lines = [
        Row(
            r["provider"] or "Provider not given",
            (r["submitted"], r["on_risk"], (r["annual"] or Decimal(0)).quantize(PENNY)),
        )
        for r in rows
    ]
    return Table(
        row_heading="Provider",
        columns=(
            Column("Submitted"),
            Column("On risk"),
            Column("Annual premium (£)", format="money", chart=True),
        ),
        rows=tuple(lines),
        total=Row(
            "Total",
            tuple(sum((line.values[i] or 0 for line in lines), 0) for i in range(3)),
        ),
    )


def _principal(firm, user, *, own: bool):
    """Return ``user``'s principal seeing only their own cases, or none."""
    membership = user.memberships.get(firm=firm)
    membership.revoked = [Perm.VIEW_ALL_CASES, *([] if own else [Perm.VIEW_OWN_CASES])]
    membership.granted = [Perm.VIEW_OWN_CASES] if own else []
    membership.save()
    return StaffPrincipal(membership)


def _policy_data(rng):
    return protection_services.PolicyData(
        provider=rng.choice(PROVIDERS),
        premium=rng.choice(PREMIUMS),
        premium_frequency=rng.choice(PremiumFrequency.values),
        status=rng.choice([*PLACED, *PLACED, *PLACED, *PolicyStatus.values]),
    )


def _make_data(firm, rng):
    members = [MembershipFactory(firm=firm, role=Role.OWNER).user for _ in range(3)]
    introducers = [IntroducerFactory(firm=firm) for _ in range(2)]
    for i in range(100):
        moment = START + datetime.timedelta(days=i, hours=rng.choice([0, 12]))
        with time_machine.travel(moment, tick=False):
            cases = list(Case.objects.filter(firm=firm).order_by("pk"))
            policies = list(Policy.objects.filter(firm=firm).order_by("pk"))
            roll = rng.random()
            if roll < 0.12 or not cases:
                protection_case(
                    firm,
                    complete=False,
                    owner=rng.choice([*members, None]),
                    introducer=rng.choice([*introducers, None]),
                )
            elif roll < 0.7 or not policies:
                protection_services.policy_add(
                    firm=firm,
                    actor=None,
                    case=rng.choice(cases),
                    data=_policy_data(rng),
                )
            elif roll < 0.85:
                protection_services.policy_update(
                    firm=firm,
                    actor=None,
                    policy=rng.choice(policies),
                    data=_policy_data(rng),
                )
            else:
                case_update(
                    firm=firm,
                    actor=None,
                    case=rng.choice(cases),
                    owner=rng.choice([*members, None]),
                    follow_up_date=None,
                    note="",
                )
    # A provider whose placed policies have no premium: no sum, which a
    # database sorts among the others in its own way.
    with time_machine.travel(START + datetime.timedelta(days=40), tick=False):
        protection_services.policy_add(
            firm=firm,
            actor=None,
            case=Case.objects.filter(firm=firm).earliest("pk"),
            data=protection_services.PolicyData(
                provider="Vitality", status=PolicyStatus.ON_RISK
            ),
        )
    return members, introducers


def test_premiums_report_matches_the_live_query(firm, other_firm):
    """Same table both ways, rows in the same order, for every filter."""
    rng = random.Random(7)  # noqa: S311  (test data)
    members, introducers = _make_data(other_firm, rng)
    protection_services.policy_add(
        firm=firm,
        actor=None,
        case=protection_case(firm, complete=False),
        data=_policy_data(rng),
    )
    everything = selectors.premiums_report(
        firm=other_firm, principal=None, query=ReportQuery()
    )
    assert len(everything.rows) >= 5
    assert "Provider not given" in [row.label for row in everything.rows]
    assert "Vitality" in [row.label for row in everything.rows]
    ranges = [
        (None, None),
        (datetime.date(2025, 12, 15), None),
        (None, datetime.date(2026, 2, 10)),
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)),
        (datetime.date(2025, 12, 20), datetime.date(2026, 3, 5)),
        (datetime.date(2026, 2, 3), datetime.date(2026, 2, 20)),
        (datetime.date(2026, 3, 1), datetime.date(2026, 2, 1)),
    ]
    people = [
        (None, None),
        (members[0].pk, None),
        (None, introducers[0].pk),
        (members[2].pk, introducers[1].pk),
        (members[2].pk, None),
    ]
    principals = [
        None,
        _principal(other_firm, members[2], own=True),
        _principal(other_firm, members[1], own=False),
    ]
    checked = shown = 0
    for date_from, date_to in ranges:
        for owner_id, introducer_id in people:
            query = ReportQuery(date_from, date_to, owner_id, introducer_id)
            for principal in principals:
                args = {"firm": other_firm, "principal": principal, "query": query}
                table = selectors.premiums_report(**args)
                assert table == _live_premiums(**args), (query, principal)
                checked += 1
                shown += bool(table.rows)
    assert checked == 105
    assert shown >= 35  # most combinations find policies to show
