"""Writes of protection policies: add, edit, remove, select a quote (G1-G3)."""

from dataclasses import asdict, dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.advice.factfind import services as factfind_services
from crm.cases import locks
from crm.cases.models import Case
from crm.cases.services import NewCase, case_create
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.protection import listeners, selectors
from crm.protection.choices import (
    ENDED_STATUSES,
    BenefitType,
    CoverBasis,
    PolicyStatus,
    PremiumFrequency,
    ProtectionEventType,
)
from crm.protection.models import Policy
from crm.protection.quotes import Quote
from crm.protection.tally import services as tally

MAX_TERM_YEARS = 50
TOP_UP_REFUSED = (
    "This case already has a submitted or on-risk policy, so a new quote is a "
    "top-up: create a new case instead."
)
# The D&N protection part a top-up case starts with.
DN_COPIED = (
    "cover_reasons",
    "cover_types",
    "cover_amount",
    "cover_term_years",
    "monthly_budget",
    "existing_cover",
    "priorities",
)


@dataclass(frozen=True)
class PolicyData:
    """The editable fields of a policy."""

    provider: str = ""
    product: str = ""
    benefit_type: str = ""
    benefit_amount: Decimal | None = None
    premium: Decimal | None = None
    premium_frequency: str = PremiumFrequency.MONTHLY
    term_years: int | None = None
    cover_basis: str = CoverBasis.LEVEL
    lives_assured: str = ""
    status: str = PolicyStatus.QUOTED


FIELDS = tuple(PolicyData.__dataclass_fields__)


def _refuse(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, "invalid", {"field": field})


def _check_case(firm: Firm, case: Case) -> None:
    ensure_same_firm(firm, case)
    if case.kind != AdviceKind.PROTECTION:
        raise ApplicationError("Only protection cases have policies.", "invalid")


def _check(data: PolicyData) -> None:
    for name in ("benefit_amount", "premium"):
        value = getattr(data, name)
        if value is not None and value <= 0:
            raise _refuse("Enter an amount above zero.", name)
    if data.term_years is not None and not 1 <= data.term_years <= MAX_TERM_YEARS:
        raise _refuse(
            f"Enter a term between 1 and {MAX_TERM_YEARS} years.", "term_years"
        )


def _locked(firm: Firm, policy: Policy) -> tally.PolicyState:
    """Lock ``policy`` and its case; return what the tally counts of it now."""
    found = tally.locked_states(firm_id=firm.pk, policy_ids=[policy.pk])
    if policy.pk not in found:
        raise ApplicationError("That policy has been removed.", "not_found")
    return found[policy.pk]


def _write(policy: Policy, data: PolicyData) -> None:
    for name, value in asdict(data).items():
        setattr(policy, name, value.strip() if isinstance(value, str) else value)
    policy.full_clean()
    selectors.forget_policies(policy.case)


@transaction.atomic
def policy_add(
    *, firm: Firm, actor: User | None, case: Case, data: PolicyData
) -> Policy:
    """Add a policy to a protection case; history and audit record it."""
    _check_case(firm, case)
    locks.ensure_unlocked(firm, case)
    _check(data)
    policy = Policy(firm=firm, case=case)
    _write(policy, data)
    policy.save()
    tally.policy_added(firm_id=firm.pk, policy=policy)
    changes = events.diff(events.snapshot(Policy(), FIELDS), policy)
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=ProtectionEventType.POLICY_ADDED,
        params={"policy": str(policy), "changes": changes},
        verb=AuditVerb.CREATE,
        audit_obj=policy,
        changes=changes,
    )
    return policy


@transaction.atomic
def policy_update(
    *, firm: Firm, actor: User | None, policy: Policy, data: PolicyData
) -> Policy:
    """Change a policy; history and audit show what changed.

    On a case whose submitted data is locked only the status may change
    (On Risk, Not Taken Up): the rest goes through Amend and resubmit. A
    policy that lapses or is cancelled is reported to the apps listening
    (``crm.protection.listeners``), in this transaction.
    """
    _check_case(firm, policy.case)
    ensure_same_firm(firm, policy)
    _check(data)
    before = events.snapshot(policy, FIELDS)
    _write(policy, data)
    changes = events.diff(before, policy)
    if not changes:
        return policy
    if set(changes) - {"status"}:
        locks.ensure_unlocked(firm, policy.case)
    counted = _locked(firm, policy)
    policy.save(update_fields=[*changes])
    after = tally.with_fields(counted, policy, changes)
    tally.policies_moved(firm_id=firm.pk, changes=[(counted, after)])
    events.record(
        firm=firm,
        actor=actor,
        subject=policy.case,
        type=ProtectionEventType.POLICY_UPDATED,
        params={"policy": str(policy), "changes": changes},
        verb=AuditVerb.UPDATE,
        audit_obj=policy,
        changes=changes,
    )
    if "status" in changes and policy.status in ENDED_STATUSES:
        listeners.policy_ended(
            firm=firm, actor=actor, policy=policy, ended=timezone.localdate()
        )
    return policy


@transaction.atomic
def policy_remove(*, firm: Firm, actor: User | None, policy: Policy) -> None:
    """Remove a policy that is not submitted or on risk."""
    _check_case(firm, policy.case)
    locks.ensure_unlocked(firm, policy.case)
    ensure_same_firm(firm, policy)
    counted = _locked(firm, policy)
    if policy.is_active or counted.counted:
        raise ApplicationError(
            "A submitted or on-risk policy cannot be removed; mark it Not Taken Up.",
            "active_policy",
        )
    label = str(policy)
    events.record(
        firm=firm,
        actor=actor,
        subject=policy.case,
        type=ProtectionEventType.POLICY_REMOVED,
        params={"policy": label},
        verb=AuditVerb.DELETE,
        audit_obj=policy,
    )
    policy.delete()
    tally.policies_moved(firm_id=firm.pk, changes=[(counted, None)])
    selectors.forget_policies(policy.case)


@transaction.atomic(savepoint=False)
def policies_mark_submitted(*, firm_id: int, policy_ids: list[int]) -> int:
    """Mark the quoted or recommended ones of the policies Submitted (the
    partner received them); return how many changed.

    Three statements whatever their number: the policies and their cases
    locked and read, the policies updated, their counts moved.
    """
    counted = tally.locked_states(
        firm_id=firm_id,
        policy_ids=policy_ids,
        statuses=(PolicyStatus.QUOTED, PolicyStatus.RECOMMENDED),
    )
    if not counted:
        return 0
    changed = Policy.objects.filter(firm_id=firm_id, pk__in=list(counted)).update(
        status=PolicyStatus.SUBMITTED
    )
    tally.policies_moved(
        firm_id=firm_id,
        changes=[
            (state, replace(state, status=PolicyStatus.SUBMITTED))
            for state in counted.values()
        ],
    )
    return changed


@transaction.atomic
def quote_select(
    *, firm: Firm, actor: User | None, case: Case, quote: Quote, lives_assured: str
) -> Policy:
    """Save a sourced quote to the case as a Quoted policy (G2).

    Refused on a case that already has a submitted or on-risk policy: a
    top-up is a new case (G3).
    """
    _check_case(firm, case)
    Case.objects.select_for_update().filter(firm=firm, pk=case.pk).first()
    if selectors.has_active_policy(firm=firm, case=case):
        raise ApplicationError(TOP_UP_REFUSED, "top_up")
    locks.ensure_unlocked(firm, case)
    policy = Policy(firm=firm, case=case, quote_reference=quote.reference)
    _write(
        policy,
        PolicyData(
            provider=quote.provider,
            product=quote.product,
            benefit_type=BenefitType(quote.benefit_type),
            benefit_amount=quote.amount,
            premium=quote.premium,
            term_years=quote.term_years,
            cover_basis=quote.cover_basis,
            lives_assured=lives_assured,
        ),
    )
    policy.save()
    tally.policy_added(firm_id=firm.pk, policy=policy)
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=ProtectionEventType.QUOTE_SELECTED,
        params={"policy": str(policy), "premium": f"{quote.premium}"},
        verb=AuditVerb.CREATE,
        audit_obj=policy,
    )
    return policy


@transaction.atomic
def top_up_case_create(*, firm: Firm, actor: User | None, case: Case) -> Case:
    """Open a protection case for the same clients and adviser (G3).

    The new case starts with the first case's Demands & Needs protection
    part, so a quote can be run on it straight away.
    """
    _check_case(firm, case)
    applicants = [a.contact for a in case.applicants.select_related("contact")]
    new = case_create(
        firm=firm,
        actor=actor,
        data=NewCase(
            kind=AdviceKind.PROTECTION,
            applicants=applicants,
            owner=case.owner,
            status=AdviceStatus.NEW_LEAD,
            note=f"Top-up of {case.reference}.",
        ),
    )
    dn = getattr(case, "demands_needs", None)
    if dn is not None:
        data = {name: getattr(dn, name) for name in DN_COPIED}
        factfind_services.demands_needs_update(
            firm=firm, actor=actor, case=new, section="protection", data=data
        )
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=ProtectionEventType.TOP_UP_CASE_OPENED,
        params={"reference": new.reference},
    )
    return new
