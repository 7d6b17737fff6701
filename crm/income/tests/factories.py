"""Income test data: lines made through the services."""

import datetime
import random
from decimal import Decimal
from typing import Any

from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.core.testing.isolation import register
from crm.income import services
from crm.income.models import IncomeLine
from crm.income.services import IncomeLineData


def make_line(
    case: Case,
    *,
    kind: str = "client_fee",
    amount: str = "500.00",
    expected_on: datetime.date | None = None,
    received_on: datetime.date | None = None,
    received: str | None = None,
    **extra: Any,
) -> IncomeLine:
    """Add an income line to ``case``, received if ``received_on`` is given."""
    expected_on = expected_on or datetime.date(2026, 1, 15)
    line = services.income_line_add(
        firm=case.firm,
        actor=None,
        case=case,
        data=IncomeLineData(
            kind=kind, amount=Decimal(amount), expected_on=expected_on, **extra
        ),
    )
    if received_on is not None:
        line = services.income_line_receive(
            firm=case.firm,
            actor=None,
            line=line,
            amount=Decimal(received or amount),
            received_on=received_on,
            today=max(received_on, datetime.date.today()),  # noqa: DTZ011 - a bound only
        )
    return line


register("income:case_id")(lambda firm: make_case(firm))
register("line_id")(lambda firm: make_line(make_case(firm)))


# Dates the random income spreads over: months either side of BASE.
BASE = datetime.date(2026, 3, 15)
LATER = datetime.date(2030, 1, 1)  # "today" for receipts: any day may be used
# Adviser's, introducer's and one introducer's own shares (%), whole and not.
# In hundredths of a percent each is a multiple of 16, so no sum of shares of
# whole pence is ever exactly half a penny: rounding it to pence cannot turn
# on the last bit of a float (SQLite sums these columns as floats).
SPLITS = (
    (Decimal(40), Decimal("37.44")),
    (Decimal(20), Decimal("12.48")),
    (None, Decimal("7.84")),
)
# Any shares: sums of them may fall on half a penny (for exact arithmetic).
ANY_SPLITS = (
    (Decimal(40), Decimal("37.35")),
    (Decimal(20), Decimal("12.5")),
    (None, Decimal("7.77")),
)


def _day(rng: random.Random, spread: int = 120) -> datetime.date:
    return BASE + datetime.timedelta(days=rng.randint(-spread, spread))


def _pence(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(5_000, 300_000)) / 100


def random_income(
    firm: Any, rng: random.Random, *, steps: int, splits: Any = SPLITS
) -> dict[str, Any]:
    """Change the firm's income ``steps`` times at random, through the services.

    Lines added, received (before, on or after their day, in part or whole),
    corrected, removed, written off and clawed back as policies end; cases'
    owners changed; the split changed (whole and fractional percentages,
    from ``splits``: the adviser's, the introducer's, one introducer's own).
    Return the people and cases made.
    """
    from crm.cases.services import case_update
    from crm.firms.choices import Role
    from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
    from crm.protection.choices import PolicyStatus
    from crm.protection.tests.factories import make_policy, protection_case

    members = [MembershipFactory(firm=firm, role=Role.OWNER).user for _ in range(3)]
    introducers = [IntroducerFactory(firm=firm) for _ in range(3)]
    cases: list[Case] = []
    policies: list[Any] = []

    def a_case() -> Case:
        owner = rng.choice([*members, None])
        introducer = rng.choice([*introducers, None])
        if rng.random() < 0.3:
            case = protection_case(
                firm, complete=False, owner=owner, introducer=introducer
            )
            policies.append(make_policy(case, status=PolicyStatus.ON_RISK))
        else:
            case = make_case(firm, owner=owner, introducer=introducer)
        cases.append(case)
        return case

    def awaited() -> list[IncomeLine]:
        return list(
            IncomeLine.objects.filter(firm=firm, received_on=None, written_off_on=None)
            .exclude(kind="clawback")
            .select_related("case")
            .order_by("pk")
        )

    for _ in range(3):
        a_case()
    start = protection_case(firm, complete=False, owner=members[0])
    cases.append(start)
    # Its commission is clawed back at the end, and one still awaited
    # written off.
    placed = make_policy(start, status=PolicyStatus.ON_RISK)
    make_line(
        start,
        kind="commission",
        amount="960.00",
        expected_on=BASE - datetime.timedelta(days=45),
        received_on=BASE - datetime.timedelta(days=40),
        policy=placed,
        indemnity_months=48,
    )

    def add_fee() -> None:
        make_line(
            rng.choice(cases),
            kind=rng.choice(["client_fee", "proc_fee"]),
            amount=str(_pence(rng)),
            expected_on=_day(rng),
        )

    for _ in range(steps):
        roll = rng.random()
        waiting = awaited()
        if roll < 0.06:
            a_case()
        elif roll < 0.4 or not waiting or (roll < 0.5 and not policies):
            add_fee()
        elif roll < 0.47:
            policy = rng.choice(policies)
            line = make_line(
                policy.case,
                kind="commission",
                amount=str(_pence(rng)),
                expected_on=_day(rng),
                policy=policy,
                indemnity_months=rng.choice([12, 24, 48]),
            )
            if rng.random() < 0.7:
                services.income_line_receive(
                    firm=firm,
                    actor=None,
                    line=line,
                    amount=line.amount,
                    received_on=line.expected_on
                    + datetime.timedelta(days=rng.randint(-20, 20)),
                    today=LATER,
                )
        elif roll < 0.5:
            policy = policies.pop(rng.randrange(len(policies)))
            services.policy_clawback(
                firm=firm, actor=None, policy=policy, ended=_day(rng, 60)
            )
        elif roll < 0.62:
            line = rng.choice(waiting)
            offset = rng.choice([0, 0, rng.randint(-45, 45)])
            services.income_line_receive(
                firm=firm,
                actor=None,
                line=line,
                amount=rng.choice([line.amount, _pence(rng)]),
                received_on=line.expected_on + datetime.timedelta(days=offset),
                today=LATER,
            )
        elif roll < 0.72:
            line = rng.choice([x for x in waiting if x.kind != "commission"] or waiting)
            services.income_line_update(
                firm=firm,
                actor=None,
                line=line,
                data=services.IncomeLineData(
                    kind=line.kind
                    if line.kind == "commission"
                    else rng.choice(["client_fee", "proc_fee"]),
                    amount=_pence(rng),
                    expected_on=_day(rng),
                    policy=line.policy,
                    indemnity_months=line.indemnity_months,
                ),
            )
        elif roll < 0.77:
            services.income_line_delete(firm=firm, actor=None, line=rng.choice(waiting))
        elif roll < 0.9:
            case = rng.choice(cases)
            case.refresh_from_db()
            case_update(
                firm=firm,
                actor=None,
                case=case,
                owner=rng.choice([*members, None]),
                follow_up_date=None,
                note=case.note,
            )
        else:
            services.income_settings_update(
                firm=firm,
                actor=None,
                adviser_share_pct=rng.choice(splits[0]),
                introducer_share_pct=rng.choice(splits[1]),
                introducer_shares={introducers[0]: rng.choice(splits[2])},
            )
    make_line(
        start,
        kind="commission",
        amount="480.00",
        expected_on=BASE + datetime.timedelta(days=10),
        policy=placed,
        indemnity_months=48,
    )
    for policy in [placed, *policies]:  # the rest end: their commissions go
        services.policy_clawback(firm=firm, actor=None, policy=policy, ended=BASE)
    return {"members": members, "introducers": introducers, "cases": cases}
