"""Demo income on the advice firm's cases (L3).

Shares of 40% to the adviser and 20% to introducers by default; client and
procuration fees across the mortgage cases (some received, one overdue);
commission on the on-risk protection policy, and a policy placed on another
protection case that lapsed ten months in, its commission clawed back.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.cases.models import Case
from crm.firms.demo import ADVICE_FIRM
from crm.firms.models import Firm
from crm.income import services
from crm.income.models import IncomeLine
from crm.income.services import IncomeLineData
from crm.protection import services as protection_services
from crm.protection.choices import BenefitType, PolicyStatus
from crm.protection.models import Policy
from crm.protection.services import FIELDS, PolicyData

MORTGAGE_CASES = 8
# (kind, amount, days from today expected, days ago received or None)
FEES: tuple[tuple[str, str, int, int | None], ...] = (
    ("client_fee", "495.00", -60, 58),
    ("proc_fee", "1150.00", -45, 40),
    ("client_fee", "395.00", -20, None),
    ("proc_fee", "980.00", 25, None),
    ("client_fee", "595.00", -10, 9),
    ("proc_fee", "1420.00", 40, None),
    ("client_fee", "250.00", 5, None),
    ("proc_fee", "760.00", -90, 85),
)


def _day(today: datetime.date, offset: int) -> datetime.date:
    return today + datetime.timedelta(days=offset)


def _commission(
    firm: Firm,
    policy: Policy,
    amount: str,
    received_days_ago: int,
    today: datetime.date,
) -> IncomeLine:
    line = services.income_line_add(
        firm=firm,
        actor=policy.case.owner,
        case=policy.case,
        data=IncomeLineData(
            kind="commission",
            amount=Decimal(amount),
            expected_on=_day(today, -received_days_ago - 5),
            description=f"Indemnity commission, {policy.provider}",
            policy=policy,
            indemnity_months=48,
        ),
    )
    return services.income_line_receive(
        firm=firm,
        actor=policy.case.owner,
        line=line,
        amount=Decimal(amount),
        received_on=_day(today, -received_days_ago),
        today=today,
    )


def seed(firms: dict[str, Firm]) -> None:
    """Add income to the advice firm's cases, once."""
    firm = firms[ADVICE_FIRM]
    if IncomeLine.objects.filter(firm=firm).exists():
        return
    today = timezone.localdate()
    services.income_settings_update(
        firm=firm,
        actor=None,
        adviser_share_pct=Decimal(40),
        introducer_share_pct=Decimal(20),
        introducer_shares={},
    )
    cases = Case.objects.filter(firm=firm, kind=AdviceKind.MORTGAGE).order_by("id")
    for case, (kind, amount, expected, received) in zip(
        cases[:MORTGAGE_CASES], FEES, strict=False
    ):
        line = services.income_line_add(
            firm=firm,
            actor=case.owner,
            case=case,
            data=IncomeLineData(
                kind=kind, amount=Decimal(amount), expected_on=_day(today, expected)
            ),
        )
        if received is not None:
            services.income_line_receive(
                firm=firm,
                actor=case.owner,
                line=line,
                amount=line.amount,
                received_on=_day(today, -received),
                today=today,
            )
    policies = list(
        Policy.objects.filter(firm=firm, status=PolicyStatus.ON_RISK)
        .select_related("case__owner")
        .order_by("id")
    )
    if policies:
        _commission(firm, policies[0], "1240.00", 120, today)
    lapsed = _lapsed_policy(firm)
    if lapsed is not None:
        # Placed ten months ago, commission paid, then lapsed: the status
        # change claws the commission back (crm.protection.listeners).
        _commission(firm, lapsed, "820.00", 300, today)
        data = {name: getattr(lapsed, name) for name in FIELDS}
        protection_services.policy_update(
            firm=firm,
            actor=lapsed.case.owner,
            policy=lapsed,
            data=PolicyData(**{**data, "status": PolicyStatus.LAPSED}),
        )


def _lapsed_policy(firm: Firm) -> Policy | None:
    """Place a policy on a protection case that has none, to lapse it."""
    case = (
        Case.objects.filter(firm=firm, kind=AdviceKind.PROTECTION)
        .exclude(pk__in=Policy.objects.filter(firm=firm).values("case_id"))
        .select_related("owner")
        .order_by("id")
        .first()
    )
    if case is None:
        return None
    return protection_services.policy_add(
        firm=firm,
        actor=case.owner,
        case=case,
        data=PolicyData(
            provider="Legal & General",
            product="Life Insurance",
            benefit_type=BenefitType.LIFE,
            benefit_amount=Decimal(150000),
            premium=Decimal("12.80"),
            term_years=20,
            status=PolicyStatus.ON_RISK,
        ),
    )
