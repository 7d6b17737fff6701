"""A mortgage case's details card drawn in Python reads as the reference (G8)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context
from django.template.loader import get_template

from crm.advice import mortgage_draw
from crm.advice.choices import MortgagePurpose, MortgageType, RepaymentMethod
from crm.advice.models import MortgageDetails
from crm.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'
FULL: dict[str, Any] = {
    "mortgage_type": MortgageType.BUY_TO_LET,
    "purpose": MortgagePurpose.REMORTGAGE,
    "property_value": Decimal("1234567.50"),
    "loan_amount": Decimal("987654.32"),
    "term_years": 25,
    "term_months": 6,
    "repayment_method": RepaymentMethod.INTEREST_ONLY,
    "offer_qualified": True,
    "lender": NASTY,
    "product": NASTY,
    "application_date": date(2026, 1, 2),
    "offer_date": date(2026, 2, 28),
    "completion_date": date(2026, 3, 31),
    "product_end_date": date(2031, 8, 31),
}
SPARSE: dict[str, Any] = {
    "purpose": "",
    "property_value": None,
    "loan_amount": Decimal("0"),
    "term_years": None,
    "term_months": 3,
    "repayment_method": "",
    "offer_qualified": False,
    "lender": "",
    "product": "",
}
HALF: dict[str, Any] = {
    "property_value": Decimal("250000"),
    "loan_amount": Decimal("200000"),
    "term_years": 30,
    "term_months": None,
    "lender": "Nationwide",
}


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("values", [FULL, SPARSE, HALF, None])
def test_the_card_draws_as_the_template_does(firm, can_edit, values):
    case = make_case(firm)
    details = MortgageDetails.objects.filter(case=case)
    if values is not None:
        details.update(**values)
    mortgage = details.first() if values is not None else None
    context = {"case": case, "mortgage": mortgage, "can_edit": can_edit}
    templated = get_template("advice/_mortgage_details.html").render(context)
    drawn = mortgage_draw.draw(Context(context))
    # The reference file ends with a newline; the page's card has none.
    assert drawn + "\n" == templated
    assert ("Edit mortgage details" in drawn) is can_edit
