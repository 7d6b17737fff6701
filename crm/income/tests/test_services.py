"""Income services: lines, receipts, shares and clawbacks (SPEC L3)."""

import datetime
from decimal import Decimal

import pytest

from crm.advice.choices import AdviceKind
from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms.tests.factories import IntroducerFactory
from crm.income import services
from crm.income.choices import IncomeEventType, IncomeKind
from crm.income.models import IncomeLine
from crm.income.services import IncomeLineData
from crm.income.tests.factories import make_line
from crm.protection import services as protection_services
from crm.protection.choices import PolicyStatus
from crm.protection.services import FIELDS, PolicyData
from crm.protection.tests.factories import make_policy, protection_case
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


def _commission(case, policy, *, months=48, amount="1200.00", received_on=DAY):
    return make_line(
        case,
        kind=IncomeKind.COMMISSION,
        amount=amount,
        expected_on=received_on,
        received_on=received_on,
        policy=policy,
        indemnity_months=months,
    )


def _set_status(policy, status):
    data = {name: getattr(policy, name) for name in FIELDS}
    return protection_services.policy_update(
        firm=policy.firm,
        actor=None,
        policy=policy,
        data=PolicyData(**{**data, "status": status}),
    )


@pytest.mark.parametrize(
    ("ended", "expected"),
    [
        (datetime.date(2026, 3, 10), "1200.00"),  # the day it was paid: all of it
        (datetime.date(2027, 1, 10), "950.00"),  # 10 months in: 38/48
        (datetime.date(2027, 1, 9), "975.00"),  # a day short of 10 months: 39/48
        (datetime.date(2030, 3, 10), "0"),  # the period has run out
    ],
)
def test_clawback_is_pro_rata_by_months_remaining(ended, expected):
    """SPEC L3: a clawback is the received commission times the months left / period."""
    amount = services.clawback_amount(
        received=Decimal("1200.00"), indemnity_months=48, start=DAY, ended=ended
    )
    assert amount == Decimal(expected)


def test_shares_come_from_the_firm_rules_and_the_introducers_own(firm):
    """SPEC L3: the introducer's own share wins over the default; lines keep theirs."""
    agent, other = IntroducerFactory(firm=firm), IntroducerFactory(firm=firm)
    services.income_settings_update(
        firm=firm,
        actor=None,
        adviser_share_pct=Decimal(40),
        introducer_share_pct=Decimal(20),
        introducer_shares={agent: Decimal("12.5"), other: None},
    )
    own = make_line(make_case(firm, introducer=agent))
    default = make_line(make_case(firm, introducer=other))
    none = make_line(make_case(firm))
    assert (own.adviser_share_pct, own.introducer_share_pct) == (
        Decimal(40),
        Decimal("12.5"),
    )
    assert default.introducer_share_pct == 20
    assert none.introducer_share_pct == 0
    services.income_settings_update(
        firm=firm,
        actor=None,
        adviser_share_pct=Decimal(50),
        introducer_share_pct=Decimal(20),
        introducer_shares={agent: None},
    )
    own.refresh_from_db()
    assert own.adviser_share_pct == 40
    assert (
        AuditEvent.objects.filter(
            firm=firm, object_type="income.incomesettings"
        ).count()
        == 2
    )


def test_adding_a_line_writes_history_and_audit(firm):
    """SPEC L3, A7: an expected line leaves a case history entry and an audit row."""
    case = make_case(firm)
    line = make_line(case, amount="750.00")
    assert CaseEvent.objects.filter(
        case=case, type=IncomeEventType.INCOME_EXPECTED
    ).exists()
    assert AuditEvent.objects.filter(object_id=str(line.pk), verb="create").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "clawback"}, "kind"),
        ({"amount": Decimal(0)}, "amount"),
        ({"kind": "commission"}, "policy"),
        ({"kind": "client_fee", "indemnity_months": 12}, "policy"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(firm, data, field):
    """SPEC L3: a line the rules refuse names the field to fix."""
    values = {
        "kind": "client_fee",
        "amount": Decimal(100),
        "expected_on": DAY,
        **data,
    }
    with pytest.raises(ApplicationError) as caught:
        services.income_line_add(
            firm=firm, actor=None, case=make_case(firm), data=IncomeLineData(**values)
        )
    assert caught.value.field == field


def test_commission_must_name_a_policy_of_the_same_case(firm):
    """SPEC L3: commission on another case's policy is refused."""
    policy = make_policy(protection_case(firm, complete=False))
    with pytest.raises(ApplicationError, match="policy on this case"):
        services.income_line_add(
            firm=firm,
            actor=None,
            case=protection_case(firm, complete=False),
            data=IncomeLineData(
                kind="commission",
                amount=Decimal(100),
                expected_on=DAY,
                policy=policy,
                indemnity_months=48,
            ),
        )


def test_support_cases_have_no_income(support_firm):
    """SPEC L3: income is for advice cases only."""
    with pytest.raises(ApplicationError, match="advice cases"):
        make_line(make_support_case(support_firm))


def test_receiving_twice_or_in_the_future_is_refused(firm):
    """SPEC L3: a receipt is dated today or earlier, and only once."""
    line = make_line(make_case(firm))
    with pytest.raises(ApplicationError, match="today's date"):
        services.income_line_receive(
            firm=firm,
            actor=None,
            line=line,
            amount=Decimal(1),
            received_on=DAY + datetime.timedelta(days=1),
            today=DAY,
        )
    services.income_line_receive(
        firm=firm, actor=None, line=line, amount=Decimal(1), received_on=DAY, today=DAY
    )
    with pytest.raises(ApplicationError, match="already"):
        services.income_line_receive(
            firm=firm,
            actor=None,
            line=line,
            amount=Decimal(1),
            received_on=DAY,
            today=DAY,
        )


@pytest.mark.parametrize("status", [PolicyStatus.LAPSED, PolicyStatus.CANCELLED])
def test_a_policy_ending_inside_its_indemnity_period_claws_back_commission(
    firm, status, time_machine, django_capture_on_commit_callbacks
):
    """SPEC L3: lapsing or cancelling a policy adds a clawback line (event + audit).

    Commission of £1,200 on a 48-month indemnity paid 10 months before the
    policy lapses gives back 38/48 of it, £950; an unpaid commission on the
    same policy is written off.
    """
    time_machine.move_to(datetime.datetime(2027, 1, 10, 12, tzinfo=datetime.UTC))
    case = protection_case(firm, complete=False)
    policy = make_policy(case, status=PolicyStatus.ON_RISK)
    paid = _commission(case, policy)
    unpaid = make_line(
        case,
        kind=IncomeKind.COMMISSION,
        amount="300.00",
        policy=policy,
        indemnity_months=24,
    )
    with django_capture_on_commit_callbacks(execute=True):
        _set_status(policy, status)
    clawback = IncomeLine.objects.get(firm=firm, kind=IncomeKind.CLAWBACK)
    assert clawback.amount == Decimal("-950.00")
    assert clawback.received_on == datetime.date(2027, 1, 10)
    assert clawback.clawback_of == paid
    unpaid.refresh_from_db()
    assert unpaid.written_off_on == datetime.date(2027, 1, 10)
    assert CaseEvent.objects.filter(
        case=case, type=IncomeEventType.INCOME_CLAWBACK
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="income.incomeline", object_id=str(clawback.pk)
    ).exists()
    # Hearing of the same end again claws back nothing more.
    services.policy_clawback(
        firm=firm, actor=None, policy=policy, ended=datetime.date(2027, 1, 10)
    )
    assert IncomeLine.objects.filter(firm=firm, kind=IncomeKind.CLAWBACK).count() == 1


def test_no_clawback_after_the_indemnity_period_or_for_other_changes(
    firm, time_machine, django_capture_on_commit_callbacks
):
    """SPEC L3: a policy ending after its indemnity period, or not ending, keeps it."""
    time_machine.move_to(datetime.datetime(2031, 1, 10, 12, tzinfo=datetime.UTC))
    case = protection_case(firm, complete=False)
    policy = make_policy(case, status=PolicyStatus.SUBMITTED)
    _commission(case, policy, months=24)
    with django_capture_on_commit_callbacks(execute=True):
        _set_status(policy, PolicyStatus.ON_RISK)
        _set_status(policy, PolicyStatus.LAPSED)
    assert not IncomeLine.objects.filter(firm=firm, kind=IncomeKind.CLAWBACK).exists()
    assert case.kind == AdviceKind.PROTECTION
