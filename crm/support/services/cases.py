"""Opening, editing, closing and reopening support cases (SPEC I1-I3, I9).

A support case is a ``Case`` of kind Support made by the shared
``case_create``; these services add its ``SupportDetails`` and open periods,
and refuse anything that would change its beneficiary.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction
from django.utils import timezone

from crm.cases import services as case_services
from crm.cases.choices import CaseEventType
from crm.cases.models import Case, CaseApplicant
from crm.cases.tally import services as tally
from crm.contacts.models import Contact
from crm.core import concurrency, events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User
from crm.support.choices import (
    ConcernLevel,
    Duration,
    SupportEventType,
    SupportKind,
    SupportStatus,
)
from crm.support.models import OpenPeriod, Pathway, SupportDetails
from crm.support.tally import services as score_tally

REASON_MAX = 300
CASE_FIELDS = ("title", "owner", "note")
DETAIL_FIELDS = ("start_date", "duration", "expected_end_date", "pathway")
BENEFICIARY_FIXED = "The beneficiary cannot be changed after the case is created."


@dataclass
class SupportCaseData:
    """What the Create case and Edit forms set (everything but the beneficiary)."""

    title: str
    case_manager: User | None
    start_date: date | None = None
    duration: str = Duration.OPEN_ENDED
    expected_end_date: date | None = None
    pathway: Pathway | None = None
    note: str = ""


def check_support_case(firm: Firm, case: Case, *, open_only: bool = True) -> None:
    """Refuse a case of another firm or kind, or (by default) a closed one."""
    ensure_same_firm(firm, case)
    if case.kind != SupportKind.SUPPORT:
        raise ApplicationError("That support case is not in this firm.", "not_found")
    if open_only and not case.is_open:
        raise ApplicationError(
            "This case is closed. Reopen it to make changes.", "case_closed"
        )


def beneficiary_of(case: Case) -> Contact:
    """Return the contact the support case is for (its one applicant)."""
    applicant = (
        CaseApplicant.objects.filter(firm_id=case.firm_id, case=case)
        .select_related("contact")
        .order_by("position")
        .first()
    )
    if applicant is None:
        msg = f"Support case {case.pk} has no beneficiary."
        raise ValueError(msg)
    return applicant.contact


def _check(firm: Firm, data: SupportCaseData, current: SupportDetails | None) -> None:
    if not data.title.strip():
        raise ApplicationError("Enter a title.", "required", {"field": "title"})
    manager = data.case_manager
    if manager is None:
        raise ApplicationError(
            "Choose a case manager.", "required", {"field": "case_manager"}
        )
    kept = current is not None and manager.pk == current.case.owner_id
    if not kept and not firm_selectors.may_own(firm=firm, user_id=manager.pk):
        raise ApplicationError(
            "Choose a case manager who is an active member of this firm and may "
            "edit cases.",
            "invalid",
            {"field": "case_manager"},
        )
    if data.duration not in Duration.values:
        raise ApplicationError(
            "Choose Open-ended or Fixed.", "invalid", {"field": "duration"}
        )
    if data.duration == Duration.FIXED:
        if data.expected_end_date is None:
            raise ApplicationError(
                "Enter the expected end date of a fixed-length case.",
                "required",
                {"field": "expected_end_date"},
            )
        if data.start_date and data.expected_end_date < data.start_date:
            raise ApplicationError(
                "The expected end date can't be before the start date.",
                "invalid",
                {"field": "expected_end_date"},
            )
    pathway = data.pathway
    if pathway is not None:
        ensure_same_firm(firm, pathway)
        if not pathway.is_active and (current is None or current.pathway != pathway):
            raise ApplicationError(
                f"The pathway “{pathway.name}” is archived; choose another.",
                "invalid",
                {"field": "pathway"},
            )


@transaction.atomic
def support_case_create(
    *,
    firm: Firm,
    actor: User,
    beneficiary: Contact,
    data: SupportCaseData,
    concern_level: str = ConcernLevel.LOW,
) -> Case:
    """Open a support case for ``beneficiary`` (I1); it starts Open."""
    if not firm.has_support:
        raise ApplicationError("This firm does not manage support cases.")
    ensure_same_firm(firm, beneficiary)
    data = replace(data, start_date=data.start_date or timezone.localdate())
    _check(firm, data, None)
    if concern_level not in ConcernLevel.values:
        raise ApplicationError(
            "Choose a concern level.", "invalid", {"field": "concern_level"}
        )
    case = case_services.case_create(
        firm=firm,
        actor=actor,
        data=case_services.NewCase(
            kind=SupportKind.SUPPORT,
            applicants=[beneficiary],
            owner=data.case_manager,
            status=SupportStatus.OPEN,
            note=data.note.strip(),
            title=data.title,
            tally_detail=concern_level,
        ),
    )
    fixed = data.duration == Duration.FIXED
    details = SupportDetails(
        firm=firm,
        case=case,
        start_date=data.start_date,
        duration=data.duration,
        expected_end_date=data.expected_end_date if fixed else None,
        pathway=data.pathway,
        concern_level=concern_level,
        concern_rank=ConcernLevel(concern_level).rank,
    )
    details.full_clean()
    details.save()
    OpenPeriod.objects.create(firm=firm, case=case, opened_at=timezone.now())
    events.record(
        firm=firm,
        actor=actor,
        subject=details,
        verb=AuditVerb.CREATE,
        changes={
            name: [None, value]
            for name, value in events.snapshot(
                details, (*DETAIL_FIELDS, "concern_level")
            ).items()
        },
    )
    return case


@transaction.atomic
def support_case_update(
    *,
    firm: Firm,
    actor: User,
    case: Case,
    data: SupportCaseData,
    beneficiary: Contact | None = None,
    version: int | None = None,
) -> Case:
    """Change title, case manager, duration, dates, pathway and notes (I2).

    ``beneficiary`` exists to be refused: passing any contact other than the
    current beneficiary raises, and nothing is saved. ``version`` is the
    case's version the form was opened on: a save over a newer one raises
    ``StaleVersion`` naming who changed what (A10).
    """
    check_support_case(firm, case)
    if beneficiary is not None and beneficiary.pk != beneficiary_of(case).pk:
        raise ApplicationError(BENEFICIARY_FIXED, "beneficiary_fixed")
    details = SupportDetails.objects.select_for_update().get(firm=firm, case=case)
    details.case = case
    _check(firm, data, details)
    case_before = events.snapshot(case, CASE_FIELDS)
    details_before = events.snapshot(details, DETAIL_FIELDS)
    counted = tally.state_of(case)
    pathway_before = details.pathway_id or 0
    case.title = data.title.strip()
    case.owner = data.case_manager
    case.owner_sort_name = case_services.owner_sort_name(data.case_manager)
    case.note = data.note.strip()
    details.start_date = data.start_date
    details.duration = data.duration
    details.expected_end_date = (
        data.expected_end_date if data.duration == Duration.FIXED else None
    )
    details.pathway = data.pathway
    case.full_clean()
    details.full_clean()
    changes = events.diff(case_before, case) | events.diff(details_before, details)
    if not changes:
        return case
    concurrency.claim_version(firm=firm, instance=case, version=version)
    case.save(update_fields=[*CASE_FIELDS, "owner_sort_name", "updated_at"])
    details.save(update_fields=list(DETAIL_FIELDS))
    tally.case_moved(firm_id=firm.pk, before=counted, after=tally.state_of(case))
    score_tally.pathway_moved(
        firm_id=firm.pk,
        case_id=case.pk,
        before=pathway_before,
        after=details.pathway_id or 0,
    )
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


@transaction.atomic
def support_case_reopen(*, firm: Firm, actor: User, case: Case, reason: str) -> Case:
    """Reopen a closed case with a reason; its manager, plans and links are kept."""
    check_support_case(firm, case, open_only=False)
    return case_services.case_reopen(
        firm=firm, actor=actor, case=case, reason=reason, status=SupportStatus.OPEN
    )


def after_move(*, firm: Firm, actor: User | None, case: Case, old: str) -> None:
    """End the case's open period when it closes, however it was closed (I3)."""
    if not case.is_open:
        OpenPeriod.objects.filter(firm=firm, case=case, closed_at=None).update(
            closed_at=case.closed_at
        )


def after_reopen(*, firm: Firm, actor: User | None, case: Case) -> None:
    """Start a new open period when the case reopens, however it was reopened."""
    OpenPeriod.objects.create(firm=firm, case=case, opened_at=timezone.now())


@transaction.atomic
def concern_change(
    *, firm: Firm, actor: User, case: Case, level: str, reason: str
) -> SupportDetails:
    """Change the case's concern level with a reason; history keeps each change (I9)."""
    check_support_case(firm, case)
    if level not in ConcernLevel.values:
        raise ApplicationError("Choose a concern level.", "invalid", {"field": "level"})
    reason = reason.strip()[:REASON_MAX]
    if not reason:
        raise ApplicationError(
            "Say why the concern level is changing.",
            "reason_required",
            {"field": "reason"},
        )
    details = SupportDetails.objects.select_for_update().get(firm=firm, case=case)
    old = details.concern_level
    if old == level:
        raise ApplicationError(
            f"The concern level is already {ConcernLevel(level).label}.",
            "unchanged",
            {"field": "level"},
        )
    details.concern_level = level
    details.concern_rank = ConcernLevel(level).rank
    details.save(update_fields=["concern_level", "concern_rank"])
    counted = tally.state_of(case, detail=old)
    tally.case_moved(
        firm_id=firm.pk, before=counted, after=tally.with_detail(counted, level)
    )
    params = {"from": old, "to": level, "reason": reason}
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=SupportEventType.CONCERN_CHANGED,
        params=params,
        verb=AuditVerb.UPDATE,
        changes={"concern_level": [old, level], "reason": reason},
    )
    return details
