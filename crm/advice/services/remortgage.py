"""The Remortgage review that follows a completed mortgage case (SPEC D3).

Completing a mortgage opens one Remortgage case for the same clients and
adviser, carrying the property value, lender, product and product end date,
due for follow-up the firm's review months before the product ends. The new
case's details point back at the completed case (``review_of``, one-to-one),
so reopening and completing again opens no second review.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from crm.advice.choices import (
    AdviceEventType,
    AdviceKind,
    AdviceStatus,
    MortgagePurpose,
    MortgageType,
)
from crm.advice.models import MortgageDetails
from crm.cases.models import Case, CaseApplicant
from crm.cases.services import NewCase, case_create
from crm.contacts.models import Contact
from crm.core import events
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User

CARRIED = ("mortgage_type", "property_value", "lender", "product", "product_end_date")


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


@dataclass(frozen=True)
class CompletionPlan:
    """What completing a mortgage case will do, for its confirmation."""

    completion_date: date | None
    product_end_date: date | None
    review_months: int
    follow_up_date: date | None
    owner: User | None
    clients: list[Contact]
    existing: Case | None

    @property
    def opens_review(self) -> bool:
        """Return True if completing opens a new Remortgage case."""
        return self.existing is None


def existing_review(*, firm: Firm, case: Case) -> Case | None:
    """Return the Remortgage case already opened from ``case``, if any."""
    found = (
        MortgageDetails.objects.filter(firm=firm, review_of=case)
        .select_related("case")
        .first()
    )
    return found.case if found is not None else None


def completion_plan(*, firm: Firm, case: Case) -> CompletionPlan:
    """Return what completing ``case`` will do: its dates and the review case."""
    details = MortgageDetails.objects.filter(firm=firm, case=case).first()
    end = details.product_end_date if details is not None else None
    months = firm.remortgage_review_months
    return CompletionPlan(
        completion_date=details.completion_date if details is not None else None,
        product_end_date=end,
        review_months=months,
        follow_up_date=months_before(end, months) if end else None,
        # The review goes to the same adviser while they may still own work.
        owner=(
            case.owner
            if case.owner_id is not None
            and firm_selectors.may_own(firm=firm, user_id=case.owner_id)
            else None
        ),
        clients=[
            a.contact
            for a in CaseApplicant.objects.filter(firm=firm, case=case)
            .select_related("contact")
            .order_by("position")
        ],
        existing=existing_review(firm=firm, case=case),
    )


def remortgage_open(*, firm: Firm, actor: User | None, case: Case) -> Case:
    """Open the Remortgage review case that follows a completed mortgage (D3).

    At most one per completed case: if one was opened before (the case was
    reopened and completed again), return it and open nothing.
    """
    plan = completion_plan(firm=firm, case=case)
    if plan.existing is not None:
        return plan.existing
    details = MortgageDetails.objects.filter(firm=firm, case=case).first()
    carried = {
        name: getattr(details, name)
        for name in CARRIED
        if details is not None and getattr(details, name) not in (None, "")
    }
    carried.setdefault("mortgage_type", MortgageType.RESIDENTIAL)
    review = case_create(
        firm=firm,
        actor=actor,
        data=NewCase(
            kind=AdviceKind.MORTGAGE,
            applicants=plan.clients,
            owner=plan.owner,
            status=AdviceStatus.REMORTGAGE,
            follow_up_date=plan.follow_up_date,
            note=f"Remortgage review of {case.reference}",
            introducer=case.introducer,
            introducer_branch=case.introducer_branch,
            negotiator=case.negotiator,
            details={
                **carried,
                "purpose": MortgagePurpose.REMORTGAGE,
                "review_of": case,
            },
        ),
    )
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=AdviceEventType.REMORTGAGE_OPENED,
        params={
            "case_id": review.pk,
            "reference": review.reference,
            "follow_up_date": plan.follow_up_date.isoformat()
            if plan.follow_up_date
            else None,
        },
    )
    return review


def after_move(*, firm: Firm, actor: User | None, case: Case, old: str) -> None:
    """Open the Remortgage review when a mortgage case reaches Completed."""
    if case.kind == AdviceKind.MORTGAGE and case.status == AdviceStatus.COMPLETED:
        remortgage_open(firm=firm, actor=actor, case=case)
