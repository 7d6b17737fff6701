"""The case page's Income section drawn in Python reads as the reference (L3)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.template.loader import get_template

from crm.cases.tests.factories import make_case
from crm.income.models import IncomeLine
from crm.income.registry import _income_section
from crm.income.tests.factories import make_line
from crm.protection.tests.factories import make_policy, protection_case

pytestmark = [
    pytest.mark.django_db,
    # Django's own {% csrf_token %} with "NOTPROVIDED", in the reference.
    pytest.mark.filterwarnings("ignore:Calling format_html:DeprecationWarning"),
]

NASTY = '<b>O\'Brien & "Sons"</b>'
PAST = datetime.date(2020, 1, 15)
FUTURE = datetime.date(2099, 6, 1)


def _lines(case: Any, *, policy: Any = None) -> None:
    make_line(case, expected_on=FUTURE, description=NASTY)
    make_line(case, kind="proc_fee", amount="1234.5", expected_on=PAST)
    make_line(case, expected_on=PAST, received_on=PAST, received="99.99")
    written = make_line(case, expected_on=PAST)
    IncomeLine.objects.filter(pk=written.pk).update(written_off_on=PAST)
    clawback = make_line(case, expected_on=FUTURE)
    IncomeLine.objects.filter(pk=clawback.pk).update(
        kind="clawback", amount=Decimal(-50)
    )
    applied = make_line(case, expected_on=PAST, received_on=PAST)
    IncomeLine.objects.filter(pk=applied.pk).update(kind="clawback")
    if policy is not None:
        make_line(case, kind="commission", policy=policy, indemnity_months=48)
        make_line(case, kind="commission", policy=policy, indemnity_months=0)


def _case(firm: Any, which: str) -> Any:
    if which == "protection":
        case = protection_case(firm)
        _lines(case, policy=make_policy(case))
        return case
    case = make_case(firm)
    if which == "mortgage":
        _lines(case)
    return case


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("csrf_token", ["tok<en>&", "NOTPROVIDED"])
@pytest.mark.parametrize("which", ["mortgage", "protection", "empty"])
def test_the_section_draws_as_the_template_does(firm, can_edit, csrf_token, which):
    case = _case(firm, which)
    permissions = {"edit_cases"} if can_edit else set()
    values = {
        **_income_section(firm=firm, case=case, contact=None, principal=None),
        "case": case,
        "csrf_token": csrf_token,
        "request": SimpleNamespace(membership=SimpleNamespace(permissions=permissions)),
    }
    drawn = get_template("income/_for_case.html").render(values)
    templated = get_template("income/_for_case_section.html").render(values)
    assert drawn == templated
    assert ("Add income" in drawn) is can_edit
    if which != "empty":
        assert ("Mark received" in drawn) is can_edit
        assert "Written off" in drawn
        assert "Applied" in drawn
