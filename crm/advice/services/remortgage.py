"""The Remortgage review that follows a completed mortgage case (SPEC D3)."""

import calendar
from datetime import date

from crm.advice.choices import AdviceKind, AdviceStatus, MortgagePurpose
from crm.advice.models import MortgageDetails
from crm.cases.models import Case, CaseApplicant
from crm.cases.services import NewCase, case_create
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User

# How long before a product ends its remortgage review falls due (SPEC D3).
REMORTGAGE_REVIEW_MONTHS = 6


def months_before(day: date, months: int) -> date | None:
    """Return ``day`` moved back ``months`` months, clamped to the month's end.

    None when that falls before year 1 (a mistyped end date must not block
    completing the case).
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    if year < 1:
        return None
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def remortgage_open(*, firm: Firm, actor: User | None, case: Case) -> Case:
    """Open the Remortgage review case that follows a completed mortgage (D3)."""
    details = MortgageDetails.objects.filter(firm=firm, case=case).first()
    end = details.product_end_date if details is not None else None
    data = NewCase(
        kind=AdviceKind.MORTGAGE,
        applicants=[
            a.contact
            for a in CaseApplicant.objects.filter(firm=firm, case=case)
            .select_related("contact")
            .order_by("position")
        ],
        # The review goes to the same adviser while they may still own work.
        owner=(
            case.owner
            if case.owner_id is not None
            and firm_selectors.may_own(firm=firm, user_id=case.owner_id)
            else None
        ),
        status=AdviceStatus.REMORTGAGE,
        follow_up_date=months_before(end, REMORTGAGE_REVIEW_MONTHS) if end else None,
        note=f"Remortgage review of {case.reference}",
        introducer=case.introducer,
        introducer_branch=case.introducer_branch,
        negotiator=case.negotiator,
        details={
            "mortgage_type": (
                details.mortgage_type if details is not None else "residential"
            ),
            "purpose": MortgagePurpose.REMORTGAGE,
        },
    )
    return case_create(firm=firm, actor=actor, data=data)


def after_move(*, firm: Firm, actor: User | None, case: Case, old: str) -> None:
    """Open the Remortgage review when a mortgage case reaches Completed."""
    if case.kind == AdviceKind.MORTGAGE and case.status == AdviceStatus.COMPLETED:
        remortgage_open(firm=firm, actor=actor, case=case)
