"""Fact Find and D&N sections drawn in Python match ``advice/_ff_section.html``."""

from typing import Any

import pytest
from django.template.loader import get_template
from django.test import RequestFactory

from bench.profile import normalised
from crm.advice import readiness
from crm.advice.choices import AdviceKind
from crm.advice.factfind import draw, page
from crm.advice.factfind.forms import SectionForm
from crm.advice.factfind.sections import DEMANDS_NEEDS, FACT_FIND
from crm.advice.factfind.selectors import case_facts
from crm.advice.tests.factories import (
    applicant_of,
    complete_demands_needs,
    complete_fact_find,
    make_fact_find_row,
)
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core import formdraw
from crm.firms.principals import staff_principal

pytestmark = [
    pytest.mark.django_db,
    # Django's own {% csrf_token %} with "NOTPROVIDED", in the reference.
    pytest.mark.filterwarnings("ignore:Calling format_html:DeprecationWarning"),
]

TOKENS = ["tok<en>&", "NOTPROVIDED", None, ""]
STATES: list[dict[str, Any]] = [
    {},
    {"message": "Saved <b>it</b> & more"},
    {"alert": "Not saved: it's <wrong>"},
]


def _by_template(section: page.SectionView, csrf_token: Any) -> str:
    template = get_template("advice/_ff_section.html")
    return template.render({"section": section, "csrf_token": csrf_token})


def _facts(firm):
    """A joint protection case: one client with rows and a full Fact Find, one bare."""
    case = make_case(
        firm,
        kind=AdviceKind.PROTECTION,
        applicants=[ContactFactory(firm=firm), ContactFactory(firm=firm)],
    )
    full = applicant_of(case)
    complete_fact_find(firm, full.contact, case)
    make_fact_find_row(firm, "commitments", case, description='Loan <& "car">')
    make_fact_find_row(firm, "policies", case, provider="O'Brien & Co")
    complete_demands_needs(firm, case)
    applicants = list(case.applicants.select_related("contact").order_by("id"))
    return case_facts(firm=firm, case=case, applicants=applicants)


def _sections(facts, *, editable: bool, **state: Any) -> list[page.SectionView]:
    sections = [
        page.section_context(
            facts, key, applicant=applicant, editable=editable, **state
        )
        for applicant in facts.applicants
        for key in FACT_FIND
    ]
    sections += [
        page.section_context(facts, key, applicant=None, editable=editable, **state)
        for key in DEMANDS_NEEDS
    ]
    return sections


@pytest.mark.parametrize("editable", [True, False])
@pytest.mark.parametrize("state", STATES)
def test_sections_draw_as_the_template_does(firm, editable, state):
    """Every section, with and without rows, missing fields or a message, matches."""
    facts = _facts(firm)
    sections = _sections(facts, editable=editable, **state)
    assert any(s.rows for s in sections)
    assert any(len(s.missing) > 1 for s in sections)
    assert any(not s.missing for s in sections)
    for section in sections:
        for token in TOKENS:
            assert str(draw.draw(section, token)) == _by_template(section, token), (
                section.anchor,
                token,
            )


def test_a_refused_form_draws_as_the_template_does(firm):
    """A bound section form with errors (a refused save) matches too."""
    facts = _facts(firm)
    applicant = facts.applicants[1]
    for key in ("addresses", "employment"):
        form = FACT_FIND[key].form(
            data={"line1": "", "net_profit_latest": "-5 <x>"},
            id_prefix=f"ff{applicant.pk}",
        )
        assert form.is_valid() is False
        section = page.section_context(
            facts, key, applicant=applicant, editable=True, form=form
        )
        assert str(draw.draw(section, "t")) == _by_template(section, "t")


def test_the_case_page_draws_its_sections_in_python(owner_client, firm, monkeypatch):
    """The case page's sections come from ``draw``, not the section template."""
    case = make_case(firm, kind=AdviceKind.PROTECTION)
    drawn: list[str] = []
    original = draw.draw

    def counted(section: page.SectionView, csrf_token: Any, **kwargs: Any) -> Any:
        drawn.append(section.anchor)
        return original(section, csrf_token, **kwargs)

    monkeypatch.setattr(draw, "draw", counted)
    body = owner_client.get(case.get_absolute_url()).content.decode()
    assert len(drawn) == len(FACT_FIND) + 2  # one client; protection and advice D&N
    for anchor in drawn:
        assert f'<details class="ff-section" id="{anchor}"' in body


def test_the_case_page_draws_its_forms_as_django_does(owner_client, firm, monkeypatch):
    """A full joint Fact Find's page: drawn, then from the kept fields, as by Django."""
    case = _facts(firm).case
    url = case.get_absolute_url()
    formdraw.clear()
    first = normalised(owner_client.get(url).content)
    again = normalised(owner_client.get(url).content)
    monkeypatch.setattr(SectionForm, "draw_from_memo", False)
    formdraw.clear()
    by_django = normalised(owner_client.get(url).content)
    assert b'value="NHS Lothian"' in by_django
    assert first == again == by_django


@pytest.mark.parametrize("oob", [False, True])
def test_the_readiness_card_draws_as_the_template_does(firm, owner, oob):
    """Blockers in several sections, none, links a member may or may not open."""
    facts = _facts(firm)
    blockers = readiness.blockers_of(firm=firm, case=facts.case, facts=facts)
    extra = readiness.Blocker("Odd <section>", "x", "Fix & <this>", "/settings/?a=1&b")
    template = get_template("advice/_readiness.html")
    for principal in (staff_principal(owner), None):
        request = RequestFactory().get("/")
        request.principal = principal  # type: ignore[attr-defined]  # set by middleware
        for shown in ([], blockers, [*blockers, extra, blockers[0]]):
            context = {"blockers": shown, "request": request, "oob": oob}
            drawn = draw.readiness(shown, principal, oob=oob)
            assert drawn == template.render(context), (principal, len(shown))
    assert len({b.section for b in blockers}) > 1


@pytest.mark.parametrize("editable", [True, False])
def test_the_fact_find_cards_draw_as_the_template_does(firm, owner, editable):
    """Both clients' blocks, D&N and readiness, with each kind of token."""
    facts = _facts(firm)
    context = page.facts_context(
        firm=firm, case=facts.case, facts=facts, editable=editable
    )
    assert len(context["fact_find_blocks"]) == 2
    template = get_template("advice/_facts.html")
    request = RequestFactory().get("/")
    request.principal = staff_principal(owner)  # type: ignore[attr-defined]  # set by middleware
    for token in TOKENS:
        for oob in (False, True):
            values = {**context, "csrf_token": token, "request": request, "oob": oob}
            assert draw.facts(values) == template.render(values), (token, oob)


def test_the_case_page_draws_the_fact_find_cards_from_its_context(owner_client, firm):
    case = _facts(firm).case
    response = owner_client.get(case.get_absolute_url())
    context = response.context[0].flatten()
    drawn = draw.facts(context)
    assert drawn == get_template("advice/_facts.html").render(
        context, response.wsgi_request
    )
    assert drawn in response.content.decode()
