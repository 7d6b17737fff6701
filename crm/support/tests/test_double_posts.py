"""Support Create case and Edit under two people and double clicks (A10)."""

import re

import pytest
from django.urls import reverse

from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.support.tests.pages import _case, flashes, text, url
from crm.support.tests.test_case_forms import _post

pytestmark = pytest.mark.django_db

CREATE = reverse("support:case_create")


def _token(client):
    response = client.get(CREATE)
    token = response.context["form"]["once"].value()
    assert token
    assert f'name="once" value="{token}"' in text(response)
    return token


def test_a_second_post_of_create_case_creates_nothing_more(
    sup_client, support_firm, sup_owner, ada
):
    """A double click on Create case makes one case and goes to it."""
    data = _post(sup_owner, ada, once=_token(sup_client))
    first = sup_client.post(CREATE, data)
    second = sup_client.post(CREATE, data)
    case = Case.objects.get(firm=support_firm)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == case.get_absolute_url()
    assert "already sent once" in flashes(second)[-1]


def test_a_second_post_with_a_new_person_creates_one_contact(
    sup_client, support_firm, sup_owner
):
    """The new beneficiary is created once too."""
    data = _post(
        sup_owner,
        None,
        beneficiary_mode="new",
        first_name="Bo",
        last_name="Diddley",
        email="bo@example.org",
        once=_token(sup_client),
    )
    sup_client.post(CREATE, data)
    sup_client.post(CREATE, data)
    assert Case.objects.filter(firm=support_firm).count() == 1
    assert Contact.objects.filter(firm=support_firm, last_name="Diddley").count() == 1


def test_a_refused_create_keeps_its_token_for_the_corrected_post(
    sup_client, support_firm, sup_owner, ada
):
    """A form sent back with an error can be corrected and sent again."""
    token = _token(sup_client)
    refused = sup_client.post(CREATE, _post(sup_owner, ada, title="", once=token))
    assert refused.status_code == 200
    assert refused.context["form"]["once"].value() == token
    assert sup_client.post(CREATE, _post(sup_owner, ada, once=token)).status_code == 302
    assert Case.objects.filter(firm=support_firm).count() == 1


def test_a_stale_support_case_edit_is_refused(support_firm, sup_owner, ada, login):
    """Two people editing one support case: the later, stale save is refused."""
    case = _case(support_firm, beneficiary=ada)
    colleague = MembershipFactory(
        firm=support_firm,
        role=Role.MANAGER,
        user__first_name="Kit",
        user__last_name="Moss",
    )
    me, them = login(sup_owner), login(colleague)
    version = me.get(url("case_edit", case)).context["form"]["version"].value()
    theirs = _post(sup_owner, ada, title="Theirs", version=version)
    assert them.post(url("case_edit", case), theirs).status_code == 302
    mine = _post(sup_owner, ada, title="Mine", version=version)
    response = me.post(url("case_edit", case), mine)
    assert response.status_code == 200
    body = text(response)
    assert re.search(r"Kit Moss changed [a-z, ]*title", body)
    assert 'value="Mine"' in body
    case.refresh_from_db()
    assert case.title == "Theirs"
