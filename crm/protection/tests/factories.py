"""Protection test data: cases ready to quote, policies through the service."""

from decimal import Decimal
from typing import Any

from crm.advice.choices import AdviceKind
from crm.advice.tests.factories import complete_demands_needs, complete_fact_find
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.core.testing.isolation import register
from crm.firms.models import Firm
from crm.protection import services
from crm.protection.choices import BenefitType
from crm.protection.models import Policy

COMPLETE_POLICY: dict[str, Any] = {
    "provider": "Aviva",
    "product": "Simple Life Cover",
    "benefit_type": BenefitType.LIFE,
    "benefit_amount": Decimal(240000),
    "premium": Decimal("18.50"),
    "term_years": 25,
}


def protection_case(firm: Firm, *, complete: bool = True, **extra: Any) -> Case:
    """Return a protection case, with a complete Fact Find and D&N if asked."""
    case = make_case(firm, kind=AdviceKind.PROTECTION, **extra)
    if complete:
        for applicant in case.applicants.select_related("contact"):
            complete_fact_find(firm, applicant.contact, case)
        complete_demands_needs(firm, case)
    return case


def make_policy(case: Case, **fields: Any) -> Policy:
    """Add a policy to ``case`` (complete unless fields say otherwise)."""
    data = services.PolicyData(**{**COMPLETE_POLICY, **fields})
    return services.policy_add(firm=case.firm, actor=None, case=case, data=data)


register("protection:case_id")(lambda firm: protection_case(firm, complete=False))
register("protection:policy_id")(
    lambda firm: make_policy(protection_case(firm, complete=False))
)
