"""A record's interactions drawn in Python read as ``_record_interactions.html``."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context
from django.template.loader import get_template

from crm.advice.choices import AdviceKind
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import InteractionTypeFactory, UserFactory
from crm.interactions import record_rows, selectors
from crm.interactions.choices import InteractionKind
from crm.interactions.tests.factories import InteractionFactory
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'
NOTES = [
    "Talked about the remortgage.",
    f"Line one\r\nline <two> & {NASTY}\rthree\n\nfive",
    "",
]
# Winter and summer time in London, and an hour that changes the local day.
WHEN = [
    datetime(2026, 1, 15, 9, 5, tzinfo=UTC),
    datetime(2026, 7, 1, 23, 30, tzinfo=UTC),
    datetime(2025, 10, 26, 0, 59, tzinfo=UTC),
]


def _entries(firm) -> tuple[Any, int]:
    """Make entries of every kind, link, author and detail; return the client."""
    contact = ContactFactory(firm=firm, first_name=NASTY)
    cases = [
        make_case(firm, applicants=[contact]),
        make_case(firm, kind=AdviceKind.PROTECTION, applicants=[contact]),
    ]
    lead = LeadFactory(contact=contact)
    types = [InteractionTypeFactory(firm=firm, name=NASTY), None]
    authors = [UserFactory(first_name=NASTY, last_name="Jones"), None]
    authors.append(UserFactory(first_name="", last_name=""))
    links: list[dict[str, Any]] = [
        {"contact": contact},
        {"contact": contact, "case": cases[0]},
        {"contact": contact, "lead": lead},
        {"contact": None, "case": cases[1]},
        {"contact": contact, "lead": lead, "case": cases[1]},
    ]
    kinds = list(InteractionKind.values)
    made = 30
    for i in range(made):
        InteractionFactory(
            firm=firm,
            kind=kinds[i % len(kinds)],
            interaction_type=types[i % 2],
            created_by=authors[i % 3],
            duration_minutes=[None, 45, 0, 1440][i % 4],
            notes=NOTES[i % len(NOTES)],
            occurred_at=WHEN[i % len(WHEN)] + timedelta(minutes=i),
            **links[i % len(links)],
        )
    return contact, made


@pytest.mark.parametrize("show_lead", [True, False])
@pytest.mark.parametrize("hide_case", [True, False])
def test_interactions_draw_as_the_template_does(firm, show_lead, hide_case):
    """Every kind, link, author, date and note draws alike."""
    contact, made = _entries(firm)
    entries = selectors.interaction_recent_for_contact(
        firm=firm, principal=None, contact=contact, limit=made
    )
    assert len(entries) == made
    values = {
        "interactions": entries,
        "request": SimpleNamespace(),
        "show_lead": show_lead,
        "hide_case": hide_case,
    }
    empty = "No interactions or notes yet."
    template = get_template("interactions/_record_interactions.html")
    templated = template.render({**values, "empty": empty})
    drawn = record_rows.draw(
        Context(values), entries, empty=empty, show_lead=show_lead, hide_case=hide_case
    )
    assert drawn == templated
    assert drawn.count("<li>") == made
    assert ("On lead #" in drawn) is show_lead
    assert ("On PRO" in drawn) is not hide_case
    assert ("<br>line &lt;two&gt;" in drawn) is True


def test_no_interactions_draw_as_the_template_does():
    """With none, the text for none is shown (escaped) as the template shows it."""
    empty = "None for <you> & me."
    templated = get_template("interactions/_record_interactions.html").render(
        {"interactions": [], "empty": empty}
    )
    drawn = record_rows.draw(Context({}), [], empty=empty)
    assert drawn == templated
    assert "None for &lt;you&gt; &amp; me." in drawn
