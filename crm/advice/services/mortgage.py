"""Editing a mortgage case's details (SPEC G8)."""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.db import transaction

from crm.advice.choices import AdviceEventType, AdviceKind
from crm.advice.models import MortgageDetails
from crm.cases.models import Case
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

MAX_TERM_YEARS = 40
MAX_TERM_MONTHS = 11


@dataclass(frozen=True)
class MortgageData:
    """The editable mortgage details of a case."""

    mortgage_type: str
    purpose: str = ""
    property_value: Decimal | None = None
    loan_amount: Decimal | None = None
    term_years: int | None = None
    term_months: int | None = None
    repayment_method: str = ""
    offer_qualified: bool = False
    lender: str = ""
    product: str = ""
    application_date: date | None = None
    offer_date: date | None = None
    completion_date: date | None = None
    product_end_date: date | None = None


FIELDS = tuple(MortgageData.__dataclass_fields__)


def _refuse(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, "invalid", {"field": field})


def _check(data: MortgageData) -> None:
    for name in ("property_value", "loan_amount"):
        value = getattr(data, name)
        if value is not None and value <= 0:
            raise _refuse("Enter an amount above zero.", name)
    if data.term_years is not None and not 1 <= data.term_years <= MAX_TERM_YEARS:
        raise _refuse(
            f"Enter a term between 1 and {MAX_TERM_YEARS} years.", "term_years"
        )
    if data.term_months is not None and not 0 <= data.term_months <= MAX_TERM_MONTHS:
        raise _refuse("Enter between 0 and 11 months.", "term_months")
    if data.term_months and data.term_years is None:
        raise _refuse("Enter the term's years as well.", "term_years")
    dates = [
        ("application_date", data.application_date),
        ("offer_date", data.offer_date),
        ("completion_date", data.completion_date),
    ]
    known = [(name, day) for name, day in dates if day is not None]
    for (_first, earlier), (name, later) in pairwise(known):
        if later < earlier:
            raise _refuse(
                "Dates must run in order: application, then offer, then completion.",
                name,
            )


@transaction.atomic
def mortgage_update(
    *, firm: Firm, actor: User | None, case: Case, data: MortgageData
) -> MortgageDetails:
    """Change a mortgage case's details; history and audit show the diff."""
    ensure_same_firm(firm, case)
    if case.kind != AdviceKind.MORTGAGE:
        raise ApplicationError("Only mortgage cases have mortgage details.", "invalid")
    _check(data)
    details = (
        MortgageDetails.objects.select_for_update().filter(firm=firm, case=case).first()
    )
    if details is None:
        details = MortgageDetails(firm=firm, case=case)
    before = events.snapshot(details, FIELDS)
    for name, value in asdict(data).items():
        setattr(details, name, value.strip() if isinstance(value, str) else value)
    details.full_clean()
    changes = events.diff(before, details)
    if not changes and details.pk is not None:
        return details
    details.save()
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=AdviceEventType.MORTGAGE_UPDATED,
        params={"changes": changes},
        verb=AuditVerb.UPDATE,
        audit_obj=details,
        changes=changes,
    )
    return details
