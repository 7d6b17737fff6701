"""The client record's heading and Details card drawn in Python read as the reference.

Each record is opened through the page itself, so the drawings get the view's
own context; the reference templates are rendered from the same context and
compared byte for byte.
"""

from datetime import UTC, date, datetime

import pytest
from django.template import Context
from django.template.loader import get_template

from crm.contacts import record_draw
from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.firms.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'


def _compare(client, contact: Contact) -> str:
    response = client.get(contact.get_absolute_url())
    assert response.status_code == 200
    page = response.context
    context = (page[0] if isinstance(page, list) else page).flatten()
    html = response.content.decode()
    drawn = []
    for name, draw in (
        ("contacts/_record_head.html", record_draw.head),
        ("contacts/_record_details.html", record_draw.details),
    ):
        templated = get_template(name).render(context, response.wsgi_request)
        piece = draw(Context(context))
        # The reference files end with a newline; the page's pieces have none.
        assert piece + "\n" == templated, name
        assert piece in html
        drawn.append(piece)
    return "".join(drawn)


def _full(firm, **extra) -> Contact:
    values = {
        "first_name": NASTY,
        "last_name": "A&B",
        "title": "Mr",
        "preferred_name": f"Bo {NASTY}",
        "email": "o'brien&sons@example.com",
        "mobile": "07700 900<1>",
        "other_phone": "0161 496 0000 & ext",
        "date_of_birth": date(1980, 2, 29),
        "address_line1": f"1 {NASTY} Street",
        "address_line2": "Flat <2>",
        "town": "Leeds",
        "county": "West & Yorks",
        "postcode": "LS1 1AA",
        "notes": f"Line one {NASTY}\nLine two\n\nafter a gap",
        "marketing_consent": True,
        "marketing_consent_at": datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        "job_title": f"Chief {NASTY}",
        **extra,
    }
    return ContactFactory(firm=firm, **values)


@pytest.mark.parametrize("who", ["owner", "read_only"])
@pytest.mark.parametrize("unsafe", ["", "address", "phone", "both"])
def test_a_person_with_everything(who, unsafe, firm, owner, read_only, login):
    organisation = OrganisationFactory(firm=firm, organisation_name=NASTY)
    contact = _full(
        firm,
        organisation=organisation,
        address_unsafe=unsafe in ("address", "both"),
        address_unsafe_reason=f"Lives with {NASTY}",
        phone_unsafe=unsafe in ("phone", "both"),
        phone_unsafe_reason=f"Shared phone & {NASTY}",
    )
    drawn = _compare(login(owner if who == "owner" else read_only), contact)
    assert ("Archive</button>" in drawn) is (who == "owner")
    assert ("Not safe to contact:" in drawn) is bool(unsafe)


def test_a_bare_archived_person(firm, owner, login):
    contact = ContactFactory(
        firm=firm, email="", mobile="", is_archived=True, first_name="Ann"
    )
    drawn = _compare(login(owner), contact)
    assert "Restore</button>" in drawn
    assert "No consent" in drawn


def test_organisations_with_and_without_people(firm, owner, login):
    empty = OrganisationFactory(firm=firm, organisation_name=NASTY, other_phone="")
    assert "No people are linked" in _compare(login(owner), empty)
    busy = OrganisationFactory(firm=firm, other_phone="01", phone_unsafe=True)
    _full(firm, organisation=busy)
    ContactFactory(firm=firm, organisation=busy, job_title="")
    assert "People here" in _compare(login(owner), busy)


def test_a_firm_with_several_kinds_gets_the_new_case_menu(other_firm, login):
    member = MembershipFactory(firm=other_firm, role="owner")
    drawn = _compare(login(member), _full(other_firm))
    assert '<details class="dropmenu">' in drawn
