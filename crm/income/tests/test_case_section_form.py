"""The case page's add-income form is the form ``_form_fields.html`` draws (L3)."""

from typing import Any

import pytest
from django.template.loader import get_template
from django.utils import timezone

from crm.cases.tests.factories import make_case
from crm.core import formdraw
from crm.income.forms import IncomeLineForm
from crm.income.registry import _income_section
from crm.protection import selectors as protection_selectors
from crm.protection.tests.factories import make_policy, protection_case

pytestmark = pytest.mark.django_db


def _expected(policies: list[Any]) -> str:
    form = IncomeLineForm(
        policies=policies,
        auto_id="income_%s",
        initial={"expected_on": timezone.localdate()},
    )
    return get_template("components/_form_fields.html").render({"form": form})


@pytest.mark.parametrize("kept", [False, True])
def test_a_mortgage_case_s_form_is_drawn_once_per_value(firm, kept):
    """Drawn fresh and from the kept drawing alike (no policy fields)."""
    if not kept:
        formdraw.clear()
    case = make_case(firm)
    found = _income_section(firm=firm, case=case, contact=None, principal=None)
    assert found["income_form_html"] == _expected([])
    assert 'name="policy"' not in found["income_form_html"]


def test_a_protection_case_s_form_offers_its_policies(firm):
    """Policies are models: that form is drawn by Django each time, the same."""
    case = protection_case(firm)
    make_policy(case)
    policies = protection_selectors.case_policies(firm=firm, case=case)
    assert policies
    found = _income_section(firm=firm, case=case, contact=None, principal=None)
    assert found["income_form_html"] == _expected(policies)
    assert 'name="policy"' in found["income_form_html"]
