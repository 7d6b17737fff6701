"""Writes of income: expected lines, receipts, clawbacks and the firm's split (L3)."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from crm.advice.choices import AdviceKind
from crm.cases.models import Case
from crm.contacts.services.exports import csv_chunks
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, Introducer, User
from crm.income import selectors
from crm.income.choices import IncomeEventType, IncomeKind
from crm.income.models import IncomeLine, IncomeSettings, IntroducerShare
from crm.protection.models import Policy

ADVICE_KINDS = (AdviceKind.MORTGAGE.value, AdviceKind.PROTECTION.value)
MAX_INDEMNITY_MONTHS = 60
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class IncomeLineData:
    """What a member enters for an expected income line."""

    kind: str
    amount: Decimal
    expected_on: datetime.date
    description: str = ""
    policy: Policy | None = None
    indemnity_months: int | None = None


def _refuse(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, "invalid", {"field": field})


def _check(firm: Firm, case: Case, data: IncomeLineData) -> None:
    if case.kind not in ADVICE_KINDS:
        raise ApplicationError("Only advice cases have income.", "invalid")
    if data.kind not in (k.value for k in IncomeKind) or data.kind == "clawback":
        raise _refuse("Choose a fee or commission.", "kind")
    if data.amount <= 0:
        raise _refuse("Enter an amount above zero.", "amount")
    if data.kind != IncomeKind.COMMISSION:
        if data.policy is not None or data.indemnity_months is not None:
            raise _refuse("Only a commission names a policy.", "policy")
        return
    if data.policy is None:
        raise _refuse("Choose the policy the commission is for.", "policy")
    ensure_same_firm(firm, data.policy)
    if data.policy.case_id != case.pk:
        raise _refuse("Choose a policy on this case.", "policy")
    months = data.indemnity_months
    if months is None or not 0 <= months <= MAX_INDEMNITY_MONTHS:
        raise _refuse(
            f"Enter an indemnity period of 0 to {MAX_INDEMNITY_MONTHS} months.",
            "indemnity_months",
        )


def shares_for(*, firm: Firm, case: Case) -> tuple[Decimal, Decimal]:
    """Return the adviser's and the introducer's share (%) of the case's income."""
    rules = selectors.income_settings_get(firm=firm)
    introducer = Decimal(0)
    if case.introducer_id is not None:
        own = selectors.introducer_share_of(firm=firm, introducer_id=case.introducer_id)
        introducer = own if own is not None else rules.introducer_share_pct
    return rules.adviser_share_pct, introducer


@transaction.atomic
def income_line_add(
    *, firm: Firm, actor: User | None, case: Case, data: IncomeLineData
) -> IncomeLine:
    """Add an expected fee or commission to an advice case (L3).

    The adviser's and introducer's shares are copied from the firm's rules.
    """
    ensure_same_firm(firm, case)
    _check(firm, case, data)
    adviser, introducer = shares_for(firm=firm, case=case)
    line = IncomeLine(
        firm=firm,
        case=case,
        kind=data.kind,
        description=data.description.strip(),
        policy=data.policy,
        amount=data.amount,
        expected_on=data.expected_on,
        indemnity_months=data.indemnity_months,
        adviser_share_pct=adviser,
        introducer_share_pct=introducer,
        created_by=actor,
    )
    line.full_clean()
    line.save()
    changes = {
        "kind": [None, line.kind],
        "amount": [None, str(line.amount)],
        "expected_on": [None, line.expected_on.isoformat()],
    }
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=IncomeEventType.INCOME_EXPECTED,
        params={"line": str(line), "line_id": line.pk},
        verb=AuditVerb.CREATE,
        audit_obj=line,
        changes=changes,
    )
    return line


@transaction.atomic
def income_line_receive(
    *,
    firm: Firm,
    actor: User | None,
    line: IncomeLine,
    amount: Decimal,
    received_on: datetime.date,
    today: datetime.date,
) -> IncomeLine:
    """Mark an expected line received: how much, and on which day (L3)."""
    ensure_same_firm(firm, line)
    if line.kind == IncomeKind.CLAWBACK:
        raise ApplicationError("A clawback is applied when the policy ends.", "invalid")
    if line.received_on is not None:
        raise ApplicationError("This income is already marked received.", "received")
    if line.written_off_on is not None:
        raise ApplicationError(
            "This commission was written off when its policy ended.", "written_off"
        )
    if amount <= 0:
        raise _refuse("Enter an amount above zero.", "amount")
    if received_on > today:
        raise _refuse("Enter today's date or an earlier one.", "received_on")
    line.received_amount = amount
    line.received_on = received_on
    line.full_clean()
    line.save(update_fields=["received_amount", "received_on"])
    events.record(
        firm=firm,
        actor=actor,
        subject=line.case,
        type=IncomeEventType.INCOME_RECEIVED,
        params={"line": str(line), "line_id": line.pk, "received": str(amount)},
        verb=AuditVerb.UPDATE,
        audit_obj=line,
        changes={
            "received_amount": [None, str(amount)],
            "received_on": [None, received_on.isoformat()],
        },
    )
    return line


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
                line.written_off_on = ended
                line.save(update_fields=["written_off_on"])
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
        clawback.full_clean()
        clawback.save()
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


@transaction.atomic
def income_settings_update(
    *,
    firm: Firm,
    actor: User | None,
    adviser_share_pct: Decimal,
    introducer_share_pct: Decimal,
    introducer_shares: dict[Introducer, Decimal | None],
) -> IncomeSettings:
    """Set the firm's split of income, and each introducer's own share (L3).

    An introducer given None takes the default. Lines already added keep the
    shares they were added with.
    """
    rules = selectors.income_settings_get(firm=firm)
    before = {
        "adviser_share_pct": str(rules.adviser_share_pct),
        "introducer_share_pct": str(rules.introducer_share_pct),
    }
    rules.adviser_share_pct = adviser_share_pct
    rules.introducer_share_pct = introducer_share_pct
    rules.full_clean()
    rules.save()
    changes: dict[str, list[str | None]] = {
        name: [old, str(getattr(rules, name))]
        for name, old in before.items()
        if old != str(getattr(rules, name))
    }
    own = {s.introducer_id: s for s in IntroducerShare.objects.filter(firm=firm)}
    for introducer, pct in introducer_shares.items():
        ensure_same_firm(firm, introducer)
        existing = own.get(introducer.pk)
        old = str(existing.share_pct) if existing is not None else None
        if pct is None:
            if existing is not None:
                existing.delete()
        elif existing is None:
            row = IntroducerShare(firm=firm, introducer=introducer, share_pct=pct)
            row.full_clean()
            row.save()
        else:
            existing.share_pct = pct
            existing.full_clean()
            existing.save(update_fields=["share_pct"])
        new = str(pct) if pct is not None else None
        if old != new:
            changes[f"introducer:{introducer.name}"] = [old, new]
    if changes:
        events.record(
            firm=firm,
            actor=actor,
            verb=AuditVerb.UPDATE,
            audit_obj=rules,
            changes=changes,
        )
    return rules


def _money(value: Decimal) -> str:
    return f"{value:f}"


@transaction.atomic
def income_export(
    *,
    firm: Firm,
    actor: User | None,
    summary: selectors.IncomeSummary,
    query: selectors.IncomeQuery,
) -> Iterator[str]:
    """Return the Income page's figures as CSV, and record the export (A7).

    One row per adviser, then per introducer, then the total: the same
    numbers as the page.
    """
    filters = {
        "date_from": query.date_from.isoformat() if query.date_from else None,
        "date_to": query.date_to.isoformat() if query.date_to else None,
        "owner_id": query.owner_id,
        "introducer_id": query.introducer_id,
    }
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.EXPORT,
        object_type="income.incomeline",
        object_id="",
        object_repr="Income CSV export",
        changes={name: [None, value] for name, value in filters.items() if value},
    )
    header = ["Group", "Name", *selectors.COLUMNS]
    lines = [
        [group, row.label, *(_money(v) for v in row.values())]
        for group, rows in (
            ("Adviser", summary.advisers),
            ("Introducer", summary.introducers),
            ("Total", (summary.total,)),
        )
        for row in rows
    ]
    return csv_chunks(header, lines)
