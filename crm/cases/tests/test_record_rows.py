"""A client record's Cases card drawn in Python reads as the reference template."""

from typing import Any

import pytest
from django.template.loader import get_template

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases.models import Case
from crm.cases.registry import _contact_cases
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'


def _both_ways(values: dict[str, Any]) -> tuple[str, str]:
    drawn = get_template("cases/_for_contact.html").render(values)
    templated = get_template("cases/_for_contact_section.html").render(values)
    return drawn, templated


def test_the_card_draws_as_the_template_does(firm):
    contact = ContactFactory(firm=firm, first_name=NASTY)
    owner = MembershipFactory(firm=firm, user__first_name=NASTY).user
    statuses = list(AdviceStatus)
    for i in range(7):
        case = make_case(
            firm,
            kind=AdviceKind.PROTECTION if i % 2 else AdviceKind.MORTGAGE,
            status=statuses[i % len(statuses)],
            applicants=[contact],
            owner=owner if i % 3 else None,
        )
        if i % 3 == 2:
            Case.objects.filter(pk=case.pk).update(title=NASTY)
    values = {
        **_contact_cases(firm=firm, contact=contact, principal=None),
        "contact": contact,
    }
    drawn, templated = _both_ways(values)
    assert drawn == templated
    assert drawn.count("<li>") == 7
    assert "no owner" in drawn


def test_no_cases_draw_as_the_template_does(firm):
    contact = ContactFactory(firm=firm, last_name=NASTY)
    values = {"cases": [], "contact": contact}
    drawn, templated = _both_ways(values)
    assert drawn == templated
    assert "No cases for" in drawn
