"""The income tally: the services keep it equal to a fresh sum of the lines."""

import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from crm.cases.models import Case
from crm.cases.services import case_update
from crm.cases.tally import services as case_tally
from crm.cases.tests.factories import make_case
from crm.firms.choices import Role
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.income import selectors, services
from crm.income.models import IncomeLine
from crm.income.selectors import IncomeQuery
from crm.income.tally import services as tally
from crm.income.tally.models import KEY, MEASURES, IncomeTally
from crm.income.tests.factories import make_line, random_income

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)
# Stored sums are compared to a millionth: SQLite keeps them as floats.
PLACES = (None, Decimal("0.01"), Decimal("0.01"), Decimal("1e-6"), Decimal("1e-6"))


def _rounded(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        v if places is None else Decimal(v).quantize(places)
        for v, places in zip(values, PLACES, strict=True)
    )


def _stored(firm_ids: list[int]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    found = {}
    for row in IncomeTally.objects.filter(firm_id__in=firm_ids):
        key = tuple(getattr(row, "firm_id" if n == "firm" else n) for n in KEY)
        values = _rounded(tuple(getattr(row, name) for name in MEASURES))
        if any(values):
            found[key] = values
    return found


def _fresh(firm_ids: list[int]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    found = {}
    for firm_id in firm_ids:
        for key, values in tally.tally_sums(IncomeLine, firm_id).items():
            if any(rounded := _rounded(tuple(values))):
                found[(firm_id, *key)] = rounded
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_services_keep_the_tally_equal_to_a_fresh_sum(firm, other_firm, seed):
    """After random adds, receipts (early, late, in part), corrections,
    removals, write-offs, clawbacks, owner changes and new splits spread over
    months, the stored rows equal a fresh GROUP BY of the lines."""
    rng = random.Random(seed)  # noqa: S311  (test data)
    make_line(make_case(firm))  # another firm's line: summed apart
    random_income(other_firm, rng, steps=70)
    lines = IncomeLine.objects.filter(firm=other_firm)
    assert lines.exclude(received_on=None).exists()
    assert lines.filter(kind="clawback").exists()
    assert lines.exclude(written_off_on=None).exists()
    ids = [other_firm.pk, firm.pk]
    assert _stored(ids) == _fresh(ids)


def test_a_line_is_kept_under_both_its_days(firm, owner):
    """A line received after its day counts under each day once per end."""
    case = make_case(firm, owner=owner.user)
    make_line(
        case,
        expected_on=datetime.date(2026, 1, 30),
        received_on=datetime.date(2026, 2, 3),
    )
    rows = IncomeTally.objects.filter(firm=firm, by="o", n=1)
    assert {(r.end, r.grain, r.period) for r in rows} == {
        ("l", "m", datetime.date(2026, 1, 1)),
        ("l", "d", datetime.date(2026, 1, 30)),
        ("h", "a", datetime.date(1970, 1, 1)),
        ("h", "m", datetime.date(2026, 2, 1)),
        ("h", "d", datetime.date(2026, 2, 3)),
    }
    assert {r.flags for r in rows} == {tally.RECEIVED}


def _figures(firm, **query):
    summary = selectors.income_summary(
        firm=firm, principal=None, query=IncomeQuery(**query), today=TODAY
    )
    return {row.person_id: row.values() for row in summary.advisers}, {
        row.person_id: row.values() for row in summary.introducers
    }


def test_an_owner_change_moves_income(firm):
    """A case's new adviser takes its lines' figures, in the rows as on the page."""
    first, second = (
        MembershipFactory(firm=firm, role=Role.ADVISER).user for _ in range(2)
    )
    case = make_case(firm, owner=first)
    make_line(case, amount="300.00", expected_on=datetime.date(2026, 5, 1))
    make_line(case, amount="200.00", received_on=datetime.date(2026, 6, 1))
    before, _ = _figures(firm)
    assert set(before) == {first.pk}
    case_update(
        firm=firm, actor=None, case=case, owner=second, follow_up_date=None, note=""
    )
    after, _ = _figures(firm)
    assert after == {second.pk: before[first.pk]}
    assert _figures(firm, owner_id=first.pk) == ({}, {})
    assert _stored([firm.pk]) == _fresh([firm.pk])


def test_an_introducer_change_moves_income(firm, owner):
    """A change of introducer moves the case's lines through the people hook."""
    agent, broker = IntroducerFactory(firm=firm), IntroducerFactory(firm=firm)
    case = make_case(firm, owner=owner.user, introducer=agent)
    make_line(case, amount="450.00", received_on=datetime.date(2026, 4, 2))
    _, before = _figures(firm)
    counted = case_tally.state_of(case)
    Case.objects.filter(pk=case.pk).update(introducer=broker)
    case.refresh_from_db()
    case_tally.case_moved(
        firm_id=firm.pk, before=counted, after=case_tally.state_of(case)
    )
    _, after = _figures(firm)
    assert after == {broker.pk: before[agent.pk]}
    assert _stored([firm.pk]) == _fresh([firm.pk])


def test_rebuild_command_repairs_the_income_tally(firm, other_firm):
    """``rollups_rebuild --only income`` recomputes rows that went wrong."""
    make_line(make_case(firm), received_on=datetime.date(2026, 2, 1))
    make_line(make_case(other_firm))
    expected = _stored([firm.pk, other_firm.pk])
    IncomeTally.objects.update(n=7, amount=Decimal(1))
    call_command("rollups_rebuild", "--only", "income", "--firm", str(firm.pk))
    assert _stored([firm.pk]) == _fresh([firm.pk])
    assert set(
        IncomeTally.objects.filter(firm=other_firm).values_list("n", flat=True)
    ) == {7}
    call_command("rollups_rebuild", "--only", "income")
    assert _stored([firm.pk, other_firm.pk]) == expected


def test_a_half_penny_share_is_rounded_from_the_exact_sum(firm, owner):
    """Shares are kept to the last decimal of the live query's products, so a
    sum that is exactly half a penny rounds as PostgreSQL's live sum did (to
    even), not as a float near it happens to fall."""
    services.income_settings_update(
        firm=firm,
        actor=None,
        adviser_share_pct=Decimal("37.35"),
        introducer_share_pct=Decimal("12.5"),
        introducer_shares={},
    )
    case = make_case(firm, owner=owner.user, introducer=IntroducerFactory(firm=firm))
    make_line(case, amount="100.04", received_on=datetime.date(2026, 3, 2))
    make_line(case, amount="0.16", received_on=datetime.date(2026, 3, 9))
    total = selectors.income_summary(
        firm=firm, principal=None, query=IncomeQuery(), today=TODAY
    ).total
    # 100.20 x 12.5% = 12.525; x 87.5% x 37.35% = 32.7466125.
    assert total.introducer_share == Decimal("12.52")
    assert total.adviser_share == Decimal("32.75")
    row = IncomeTally.objects.get(
        firm=firm, by="o", end="h", grain="a", flags=tally.RECEIVED
    )
    assert row.adviser_share == Decimal("32.7466125000")
