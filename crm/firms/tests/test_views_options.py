"""The introducer branch and negotiator options behind the lead and wizard selects."""

import pytest
from django.urls import reverse

from crm.firms.tests.factories import (
    IntroducerBranchFactory,
    MembershipFactory,
    NegotiatorFactory,
)

pytestmark = pytest.mark.django_db

BAD_IDS = ["²", "99999999999999999999", "-1", "abc"]


def text(response):
    return response.content.decode()


def test_introducer_branch_options_lists_that_introducers_branches(
    firm, other_firm, adviser_client
):
    """The endpoint returns options for the introducer's active branches only."""
    branch = IntroducerBranchFactory(introducer__firm=firm, name="Clifton")
    IntroducerBranchFactory(introducer__firm=firm, name="Elsewhere")
    theirs = IntroducerBranchFactory(introducer__firm=other_firm, name="Rival")
    url = reverse("firms:introducer_branch_options")
    body = text(adviser_client.get(url, {"introducer": branch.introducer_id}))
    assert f'<option value="{branch.pk}">Clifton</option>' in body
    assert "Elsewhere" not in body
    assert 'hx-swap-oob="innerHTML"' in body
    body = text(adviser_client.get(url, {"introducer": theirs.introducer_id}))
    assert "Rival" not in body


def test_negotiator_options_lists_the_branchs_negotiators(firm, adviser_client):
    """The endpoint returns options for the branch's active negotiators."""
    negotiator = NegotiatorFactory(branch__introducer__firm=firm, name="Maya Collins")
    NegotiatorFactory(branch__introducer__firm=firm, name="Someone Else")
    url = reverse("firms:negotiator_options")
    body = text(adviser_client.get(url, {"introducer_branch": negotiator.branch_id}))
    assert f'<option value="{negotiator.pk}">Maya Collins</option>' in body
    assert "Someone Else" not in body
    assert "<option" in text(adviser_client.get(url, {"introducer_branch": "x"}))


@pytest.mark.parametrize("value", BAD_IDS)
@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("firms:introducer_branch_options", "introducer"),
        ("firms:negotiator_options", "introducer_branch"),
    ],
)
def test_option_endpoints_treat_an_invalid_id_as_none_chosen(
    adviser_client, name, param, value
):
    """A junk or too-large id gets the empty options back, not a server error."""
    response = adviser_client.get(reverse(name), {param: value})
    assert response.status_code == 200
    assert response.context["choices"] == []


def test_any_member_of_an_advice_firm_may_read_the_options(firm, read_only, login):
    """Reading options needs no permission: the lead form and the wizard share them."""
    negotiator = NegotiatorFactory(branch__introducer__firm=firm, name="Maya Collins")
    client = login(read_only)

    response = client.get(
        reverse("firms:negotiator_options"),
        {"introducer_branch": negotiator.branch_id},
    )

    assert response.status_code == 200
    assert "Maya Collins" in text(response)


def test_a_firm_without_the_advice_module_gets_404(support_firm, login):
    """Introducers belong to the advice module; a support-only firm has none."""
    client = login(MembershipFactory(firm=support_firm, role="owner"))

    for name in ("firms:introducer_branch_options", "firms:negotiator_options"):
        assert client.get(reverse(name)).status_code == 404


def test_the_lead_form_and_the_wizard_load_the_same_options(firm, adviser_client):
    """Both forms point their htmx selects at the one pair of endpoints."""
    lead_form = text(adviser_client.get(reverse("leads:lead_create")))
    adviser_client.get(reverse("advice:wizard_start"))
    wizard = text(
        adviser_client.get(reverse("advice:wizard_step", kwargs={"step": "introducer"}))
    )

    for page in (lead_form, wizard):
        assert f'hx-get="{reverse("firms:introducer_branch_options")}"' in page
        assert f'hx-get="{reverse("firms:negotiator_options")}"' in page
