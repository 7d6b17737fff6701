"""Writes of income lines: add, edit, delete and mark received (L3)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from crm.advice.choices import AdviceKind
from crm.cases.models import Case
from crm.core import concurrency, events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.income import selectors
from crm.income.choices import IncomeEventType, IncomeKind
from crm.income.models import IncomeLine
from crm.income.tally import services as tally
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
    people = tally.case_people(case)
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
    tally.line_added(firm_id=firm.pk, line=line, people=people)
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
    held = tally.hold(line)
    line.received_amount = amount
    line.received_on = received_on
    line.full_clean()
    fields = ["received_amount", "received_on"]
    line.save(update_fields=fields)
    tally.line_changed(firm_id=firm.pk, held=held, line=line, fields=fields)
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


EDITABLE_FIELDS = (
    "kind",
    "amount",
    "expected_on",
    "description",
    "policy",
    "indemnity_months",
)


def _lock_still_expected(line: IncomeLine, verb: str) -> tally.Held | None:
    """Lock the line's row and refuse it if its money has moved since it was read.

    The page's copy may be stale: a colleague can mark the line received, or
    its policy's end write it off, after the edit page opened, and neither
    raises the version. Under the row lock the stored state decides. Return
    what is stored, for the income tally (its case's row is locked too).
    """
    held = tally.hold(line)
    if held is not None:
        line.received_on = held.values["received_on"]
        line.written_off_on = held.values["written_off_on"]
    _check_still_expected(line, verb)
    return held


def _check_still_expected(line: IncomeLine, verb: str) -> None:
    """Refuse a change to a line whose money has moved (received, written off)."""
    if line.kind == IncomeKind.CLAWBACK:
        raise ApplicationError(
            f"A clawback comes from its policy's end; it cannot be {verb}.",
            "not_editable",
        )
    if line.received_on is not None:
        raise ApplicationError(
            f"This income is marked received, so it cannot be {verb}.", "not_editable"
        )
    if line.written_off_on is not None:
        raise ApplicationError(
            f"This commission was written off when its policy ended, so it cannot "
            f"be {verb}.",
            "not_editable",
        )


@transaction.atomic
def income_line_update(
    *,
    firm: Firm,
    actor: User | None,
    line: IncomeLine,
    data: IncomeLineData,
    version: int | None = None,
) -> IncomeLine:
    """Correct an expected fee or commission: kind, amount, date, policy (L3).

    Only a line still expected may change; its shares stay as they were
    agreed. ``version`` is the one the form was opened on: a save over a
    newer one raises ``StaleVersion`` naming who changed what (A10).
    """
    ensure_same_firm(firm, line)
    held = _lock_still_expected(line, "changed")
    _check(firm, line.case, data)
    before = events.snapshot(line, EDITABLE_FIELDS)
    line.kind = data.kind
    line.amount = data.amount.quantize(PENNY)
    line.expected_on = data.expected_on
    line.description = data.description.strip()
    line.policy = data.policy
    line.indemnity_months = data.indemnity_months
    line.full_clean()
    changes = events.diff(before, line)
    if not changes:
        return line
    concurrency.claim_version(firm=firm, instance=line, version=version)
    line.save(update_fields=list(changes))
    tally.line_changed(firm_id=firm.pk, held=held, line=line, fields=list(changes))
    events.record(
        firm=firm,
        actor=actor,
        subject=line.case,
        type=IncomeEventType.INCOME_UPDATED,
        params={"line": str(line), "line_id": line.pk},
        verb=AuditVerb.UPDATE,
        audit_obj=line,
        changes=changes,
    )
    return line


@transaction.atomic
def income_line_delete(
    *,
    firm: Firm,
    actor: User | None,
    line: IncomeLine,
    version: int | None = None,
) -> None:
    """Remove an expected fee or commission added in error (L3).

    A line received, written off or clawed back stays: the money moved. The
    case's history and the audit log keep what was removed. ``version`` as
    for an edit: a line changed since the page was opened is not removed.
    """
    ensure_same_firm(firm, line)
    held = _lock_still_expected(line, "removed")
    concurrency.claim_version(firm=firm, instance=line, version=version)
    events.record(
        firm=firm,
        actor=actor,
        subject=line.case,
        type=IncomeEventType.INCOME_REMOVED,
        params={"line": str(line), "line_id": line.pk},
        verb=AuditVerb.DELETE,
        audit_obj=line,
        changes={
            "kind": [line.kind, None],
            "amount": [str(line.amount), None],
            "expected_on": [line.expected_on.isoformat(), None],
        },
    )
    line.delete()
    tally.line_changed(firm_id=firm.pk, held=held, line=None)
