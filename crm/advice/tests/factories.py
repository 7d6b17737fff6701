"""Factories for Fact Finds and Demands & Needs, written through their services."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.advice.factfind import services
from crm.advice.factfind.models import DemandsNeeds, FactFind
from crm.cases.models import Case, CaseApplicant
from crm.cases.tests.factories import make_case
from crm.contacts.models import Contact
from crm.core.testing.isolation import register
from crm.firms.models import Firm

COMPLETE_FACT_FIND: dict[str, dict[str, Any]] = {
    "personal": {
        "date_of_birth": timezone.localdate().replace(year=1985, month=3, day=14),
        "marital_status": "married",
        "nationality": "British",
        "dependants": 0,
    },
    "employment": {
        "employment_status": "employed",
        "occupation": "Nurse",
        "employer": "NHS Lothian",
        "employment_start": timezone.localdate().replace(year=2015, month=1, day=5),
    },
    "income": {"basic_income": Decimal(38000), "net_monthly_income": Decimal(2450)},
    "health": {"smoker_status": "never", "health_conditions": "no"},
}
COMPLETE_DN: dict[str, dict[str, Any]] = {
    "mortgage": {
        "purpose": "Moving home",
        "property_value": Decimal(300000),
        "deposit": Decimal(60000),
        "loan_amount": Decimal(240000),
        "term_years": 25,
        "repayment_method": "repayment",
        "rate_preference": "fixed",
        "fee_preference": "add",
    },
    "protection": {
        "cover_reasons": "Protect the mortgage and the family.",
        "cover_types": ["life", "critical_illness"],
        "cover_amount": Decimal(240000),
        "cover_term_years": 25,
        "monthly_budget": Decimal(60),
        "existing_cover": "Death in service, four times salary.",
        "priorities": "Mortgage first, then income.",
    },
    "advice": {"recommendation": "Level term to match the mortgage."},
}


def applicant_of(case: Case, index: int = 0) -> CaseApplicant:
    return list(case.applicants.select_related("contact").order_by("id"))[index]


def complete_fact_find(
    firm: Firm, contact: Contact, case: Case | None = None
) -> FactFind:
    """Fill every section a protection case requires, with 3 years of addresses."""
    fact_find = None
    for section, data in COMPLETE_FACT_FIND.items():
        fact_find = services.fact_find_update(
            firm=firm,
            actor=None,
            contact=contact,
            section=section,
            data=data,
            case=case,
        )
    services.fact_find_row_add(
        firm=firm,
        actor=None,
        contact=contact,
        section="addresses",
        data={
            "line1": "4 Quay Street",
            "town": "Leith",
            "postcode": "EH6 6AA",
            "moved_in": timezone.localdate() - timedelta(days=5 * 365),
            "moved_out": None,
        },
        case=case,
    )
    assert fact_find is not None
    return fact_find


def complete_demands_needs(firm: Firm, case: Case) -> DemandsNeeds:
    parts = ("mortgage" if case.kind == AdviceKind.MORTGAGE else "protection", "advice")
    dn = None
    for part in parts:
        dn = services.demands_needs_update(
            firm=firm, actor=None, case=case, section=part, data=COMPLETE_DN[part]
        )
    assert dn is not None
    return dn


# One row of each row section, as the case page would add it.
FACT_FIND_ROWS: dict[str, dict[str, Any]] = {
    "addresses": {
        "line1": "4 Quay Street",
        "town": "Leith",
        "postcode": "EH6 6AA",
        "moved_in": timezone.localdate().replace(year=2019, month=3, day=1),
        "moved_out": None,
    },
    "commitments": {
        "kind": "loan",
        "description": "Car loan",
        "monthly_payment": Decimal("180.50"),
        "balance": Decimal(4000),
    },
    "policies": {
        "provider": "Aviva",
        "kind": "life",
        "cover_amount": Decimal(100000),
        "monthly_premium": Decimal(18),
    },
}


def make_fact_find_row(
    firm: Firm, section: str, case: Case | None = None, **data: Any
) -> Any:
    """Add a row of ``section`` to the main client's Fact Find on ``case``."""
    case = case if case is not None else make_case(firm)
    return services.fact_find_row_add(
        firm=firm,
        actor=None,
        contact=applicant_of(case).contact,
        case=case,
        section=section,
        data={**FACT_FIND_ROWS[section], **data},
    )


register("advice:applicant_id")(
    lambda firm: make_case(firm, kind=AdviceKind.PROTECTION).applicants.first()
)
