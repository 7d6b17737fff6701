"""Moving a case through its stages, closing, reopening and editing it (SPEC D3).

Each service locks the case row and reads its status afresh, then records one
event (``crm.core.events.record``): the case's history row, an entry on every
applicant's timeline and the audit row, all in one transaction.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from crm.cases import kinds
from crm.cases.choices import CaseContactEventType, CaseEventType
from crm.cases.models import Case, CaseApplicant
from crm.cases.services.owners import owner_sort_name
from crm.cases.tally import services as tally
from crm.contacts.models import Contact
from crm.core import concurrency, events, validation
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User

REASON_MAX = 300
DETAIL_FIELDS = ("owner", "follow_up_date", "note")


def _label(status: str) -> str:
    return kinds.status_label(status)


def _locked(firm: Firm, case: Case) -> Case:
    """Lock ``case``'s row and refresh the fields the status services change."""
    ensure_same_firm(firm, case)
    current = (
        Case.objects.select_for_update()
        .filter(firm=firm, pk=case.pk)
        .values(
            "status",
            "is_open",
            "closed_at",
            "close_reason",
            "owner_id",
            "introducer_id",
        )
        .first()
    )
    if current is None:
        raise ApplicationError("That case is not in this firm.", "not_found")
    for name, value in current.items():
        setattr(case, name, value)
    return case


def _clients(firm: Firm, case: Case) -> list[Contact]:
    return [
        applicant.contact
        for applicant in CaseApplicant.objects.filter(firm=firm, case=case)
        .select_related("contact")
        .order_by("position")
    ]


def _check_move(case: Case, status: str, reason: str) -> None:
    kind = kinds.get(case.kind)
    if status not in kind.moves_from(case.status):
        raise ApplicationError(
            f"A case at {_label(case.status)} cannot move to {_label(status)}.",
            "illegal_transition",
            {"field": "status"},
        )
    if status in kind.reason_required and not reason.strip():
        raise ApplicationError(
            "Say why the case is not proceeding.",
            "reason_required",
            {"field": "reason"},
        )


@transaction.atomic
def case_move(
    *, firm: Firm, actor: User | None, case: Case, status: str, reason: str = ""
) -> Case:
    """Move a case to another stage of its kind, as the transition table allows.

    The kind says which stages need a reason (e.g. Not Proceeding With). A
    move into a closed stage closes the case (it is never deleted); the kind's
    ``after_move`` hook runs last, in the same transaction (a completed
    mortgage opens its Remortgage review).
    """
    case = _locked(firm, case)
    _check_move(case, status, reason)
    counted = tally.state_of(case)
    kind = kinds.get(case.kind)
    old, new = case.status, status
    reason = reason.strip()[:REASON_MAX]
    closing = kind.is_closed_status(new)
    case.status = new
    case.status_rank = kinds.status_rank(new)
    fields = ["status", "status_rank", "updated_at"]
    if closing:
        case.is_open = False
        case.closed_at = timezone.now()
        case.close_reason = reason
        fields += ["is_open", "closed_at", "close_reason"]
    validation.clean_changed(case, fields=fields)
    case.save(update_fields=fields)
    tally.case_moved(firm_id=firm.pk, before=counted, after=tally.state_of(case))
    params = {"from": old, "to": new, "reason": reason}
    summary = f"{case.reference} moved from {_label(old)} to {_label(new)}"
    changes: dict[str, list[str | bool | None]] = {"status": [old, new]}
    if closing:
        changes["is_open"] = [True, False]
        if reason:
            changes["close_reason"] = [None, reason]
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=CaseEventType.CLOSED if closing else CaseEventType.STATUS_CHANGED,
        params=params,
        timeline=_clients(firm, case),
        timeline_type=CaseContactEventType.CASE_STATUS,
        summary=f"{summary}: {reason}" if reason else summary,
        link=case.get_absolute_url(),
        timeline_params={"case_id": case.pk, **params},
        verb=AuditVerb.STATUS_CHANGE,
        changes=changes,
    )
    if kind.after_move is not None:
        kind.after_move(firm=firm, actor=actor, case=case, old=old)
    return case


def reopen_statuses(kind: str) -> list[tuple[str, str]]:
    """Return ``(value, label)`` of the stages a closed case may reopen at."""
    spec = kinds.get(kind)
    return [
        (value, str(label))
        for value, label in spec.statuses
        if value in spec.transitions
        and not spec.is_closed_status(value)
        and value not in spec.not_reopenable
    ]


@transaction.atomic
def case_reopen(
    *, firm: Firm, actor: User | None, case: Case, reason: str, status: str
) -> Case:
    """Reopen a closed case at an open stage of its kind; a reason is required."""
    case = _locked(firm, case)
    if case.is_open:
        raise ApplicationError("The case is already open.", "already_open")
    reason = reason.strip()[:REASON_MAX]
    if not reason:
        raise ApplicationError(
            "Say why the case is being reopened.",
            "reason_required",
            {"field": "reason"},
        )
    if status not in dict(reopen_statuses(case.kind)):
        raise ApplicationError(
            "Choose an open stage for this kind of case.",
            "invalid",
            {"field": "status"},
        )
    counted = tally.state_of(case)
    old = case.status
    case.status = status
    case.status_rank = kinds.status_rank(status)
    case.is_open = True
    case.closed_at = None
    case.close_reason = ""
    fields = ["status", "status_rank", "is_open", "closed_at", "close_reason"]
    validation.clean_changed(case, fields=fields)
    case.save(update_fields=[*fields, "updated_at"])
    tally.case_moved(firm_id=firm.pk, before=counted, after=tally.state_of(case))
    params = {"from": old, "to": status, "reason": reason}
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=CaseEventType.REOPENED,
        params=params,
        timeline=_clients(firm, case),
        timeline_type=CaseContactEventType.CASE_STATUS,
        summary=f"{case.reference} reopened at {_label(status)}: {reason}",
        link=case.get_absolute_url(),
        timeline_params={"case_id": case.pk, **params},
        verb=AuditVerb.STATUS_CHANGE,
        changes={"status": [old, status], "is_open": [False, True], "reason": reason},
    )
    after_reopen = kinds.get(case.kind).after_reopen
    if after_reopen is not None:
        after_reopen(firm=firm, actor=actor, case=case)
    return case


@transaction.atomic
def case_update(
    *,
    firm: Firm,
    actor: User | None,
    case: Case,
    owner: User | None,
    follow_up_date: date | None,
    note: str,
    version: int | None = None,
) -> Case:
    """Change a case's adviser, follow-up date and note; history shows the diff.

    ``version`` is the one the form was opened on: a save over a newer one
    raises ``StaleVersion`` naming who changed what (A10).
    """
    ensure_same_firm(firm, case)
    if (
        owner is not None
        and owner.pk != case.owner_id
        and not firm_selectors.may_own(firm=firm, user_id=owner.pk)
    ):
        raise ApplicationError(
            "Choose an adviser who is a member of this firm and may edit cases.",
            "invalid",
            {"field": "owner"},
        )
    before = events.snapshot(case, DETAIL_FIELDS)
    counted = tally.state_of(case)
    case.owner = owner
    case.owner_sort_name = owner_sort_name(owner)
    case.follow_up_date = follow_up_date
    case.note = note.strip()
    # A new owner was checked above (``may_own`` read their membership).
    validation.clean_changed(case, fields=("follow_up_date", "note", "owner_sort_name"))
    changes = events.diff(before, case)
    if not changes:
        return case
    concurrency.claim_version(firm=firm, instance=case, version=version)
    case.save(update_fields=[*DETAIL_FIELDS, "owner_sort_name", "updated_at"])
    tally.case_moved(firm_id=firm.pk, before=counted, after=tally.state_of(case))
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=CaseEventType.UPDATED,
        params={"changes": changes},
        verb=AuditVerb.UPDATE,
        changes=changes,
    )
    return case
