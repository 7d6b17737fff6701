"""Two people editing one case, lead or contact: the stale save is refused (A10)."""

import pytest
from django.urls import reverse

from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(firm):
    return MembershipFactory(
        firm=firm, role=Role.ADVISER, user__first_name="Sam", user__last_name="Lee"
    )


def _opened_version(client, url):
    """Return the version the edit form was opened on (its hidden field)."""
    response = client.get(url)
    assert response.status_code == 200
    version = response.context["form"]["version"].value()
    assert f'name="version" value="{version}"' in response.content.decode()
    return version


def _race(login, owner, colleague, url, mine, theirs):
    """Both open the form; the colleague saves first; then the owner saves."""
    me, them = login(owner), login(colleague)
    version = _opened_version(me, url)
    assert _opened_version(them, url) == version
    assert them.post(url, {**theirs, "version": version}).status_code == 302
    return me, me.post(url, {**mine, "version": version})


def _assert_refused(response, *, typed, names):
    """The page comes back with who changed what, and what was typed."""
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this record after you opened it" in body
    assert "Sam Lee changed" in body
    for name in names:
        assert name in body
    assert typed in body


def test_a_stale_case_edit_is_refused_naming_who_changed_what(
    login, firm, owner, colleague
):
    """The second save of a case does not revert the first; saving again wins."""
    case = make_case(firm, note="Original")
    url = reverse("advice:case_edit", kwargs={"case_id": case.pk})
    me, response = _race(
        login, owner, colleague, url, {"note": "Mine"}, {"note": "Theirs"}
    )
    _assert_refused(response, typed="Mine", names=["note"])
    case.refresh_from_db()
    assert case.note == "Theirs"
    updates = AuditEvent.objects.filter(
        object_id=str(case.pk), object_type="cases.case", verb=AuditVerb.UPDATE
    )
    assert [e.actor_id for e in updates] == [colleague.user_id]
    # The form now carries the current version: saving again is deliberate.
    current = response.context["form"]["version"].value()
    assert str(current) == str(case.version)
    assert me.post(url, {"note": "Mine", "version": current}).status_code == 302
    case.refresh_from_db()
    assert case.note == "Mine"


def test_a_stale_lead_edit_is_refused_naming_who_changed_what(
    login, firm, owner, colleague
):
    """The second save of a lead keeps the first and says who made it."""
    lead = LeadFactory(contact__firm=firm, notes="Original")
    url = reverse("leads:lead_edit", args=[lead.pk])
    _, response = _race(
        login,
        owner,
        colleague,
        url,
        {"source": "phone", "notes": "Mine"},
        {"source": "phone", "notes": "Theirs"},
    )
    _assert_refused(response, typed="Mine", names=["notes"])
    lead.refresh_from_db()
    assert lead.notes == "Theirs"


def test_a_stale_contact_edit_is_refused_naming_who_changed_what(
    login, firm, owner, colleague
):
    """The second save of a contact keeps the first and says who made it."""
    contact = ContactFactory(firm=firm, first_name="Ann", town="Bath")
    url = reverse("contacts:contact_edit", kwargs={"contact_id": contact.pk})
    _, response = _race(
        login,
        owner,
        colleague,
        url,
        {"first_name": "Ann", "town": "Mytown"},
        {"first_name": "Ann", "town": "Bristol"},
    )
    _assert_refused(response, typed="Mytown", names=["town"])
    contact.refresh_from_db()
    assert contact.town == "Bristol"


def test_an_edit_from_the_current_version_saves(login, firm, owner):
    """Nobody else saved: the edit goes through and the version moves on."""
    case = make_case(firm, note="Original")
    url = reverse("advice:case_edit", kwargs={"case_id": case.pk})
    me = login(owner)
    version = _opened_version(me, url)
    assert me.post(url, {"note": "New", "version": version}).status_code == 302
    case.refresh_from_db()
    assert (case.note, case.version) == ("New", version + 1)
