"""Clawback of commission when a protection policy ends early (L3)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.income import selectors
from crm.income.choices import IncomeEventType, IncomeKind
from crm.income.models import IncomeLine
from crm.income.services.lines import PENNY
from crm.income.tally import services as tally
from crm.protection.models import Policy


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Return the whole months from ``start`` to ``end`` (0 if ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def clawback_amount(
    *,
    received: Decimal,
    indemnity_months: int,
    start: datetime.date,
    ended: datetime.date,
) -> Decimal:
    """Return what a commission loses when its policy ends on ``ended`` (L3).

    Pro rata by the whole months of the indemnity period still to run: a
    policy that ends 10 months into a 48-month period gives back 38/48.
    """
    if indemnity_months <= 0:
        return Decimal(0)
    remaining = indemnity_months - months_between(start, ended)
    if remaining <= 0:
        return Decimal(0)
    share = received * remaining / indemnity_months
    return share.quantize(PENNY, rounding=ROUND_HALF_UP)


@transaction.atomic
def policy_clawback(
    *, firm: Firm, actor: User | None, policy: Policy, ended: datetime.date
) -> list[IncomeLine]:
    """Claw back the policy's commission, as it lapsed or was cancelled (L3).

    Each received commission still inside its indemnity period gets one
    clawback line (negative, applied on ``ended``); a commission not yet
    received is written off. A commission clawed back already is left alone.
    """
    ensure_same_firm(firm, policy)
    made = []
    for line in selectors.policy_commissions(firm=firm, policy=policy):
        if line.received_on is None:
            if line.written_off_on is None:
                held = tally.hold(line)
                line.written_off_on = ended
                line.save(update_fields=["written_off_on"])
                tally.line_changed(
                    firm_id=firm.pk, held=held, line=line, fields=["written_off_on"]
                )
            continue
        if getattr(line, "has_clawback", False) or line.received_amount is None:
            continue
        amount = clawback_amount(
            received=line.received_amount,
            indemnity_months=line.indemnity_months or 0,
            start=line.received_on,
            ended=ended,
        )
        if not amount:
            continue
        clawback = IncomeLine(
            firm=firm,
            case=line.case,
            kind=IncomeKind.CLAWBACK,
            description=(
                f"{policy.get_status_display()} {ended.day} {ended:%b %Y}, inside the "
                f"{line.indemnity_months}-month indemnity period"
            ),
            policy=policy,
            amount=-amount,
            expected_on=ended,
            received_amount=-amount,
            received_on=ended,
            clawback_of=line,
            adviser_share_pct=line.adviser_share_pct,
            introducer_share_pct=line.introducer_share_pct,
            created_by=actor,
        )
        people = tally.case_people(line.case)
        clawback.full_clean()
        clawback.save()
        tally.line_added(firm_id=firm.pk, line=clawback, people=people)
        events.record(
            firm=firm,
            actor=actor,
            subject=line.case,
            type=IncomeEventType.INCOME_CLAWBACK,
            params={"line": str(line), "line_id": clawback.pk, "amount": str(amount)},
            verb=AuditVerb.CREATE,
            audit_obj=clawback,
            changes={"amount": [None, str(-amount)], "clawback_of": [None, line.pk]},
        )
        made.append(clawback)
    return made
