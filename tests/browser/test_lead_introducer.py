"""The lead form's introducer → branch → negotiator selects, in a real browser.

The lead form and the New Case wizard load the same option endpoints
(``firms:introducer_branch_options``, ``firms:negotiator_options``).
"""

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import (
    FirmFactory,
    IntroducerBranchFactory,
    IntroducerFactory,
    MembershipFactory,
    NegotiatorFactory,
)
from crm.leads.models import Lead
from crm.leads.tests.factories import LeadFactory

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    """An Adviser of a fresh advice firm."""
    firm = FirmFactory(name="Lighthouse Mortgages", has_advice=True)
    return MembershipFactory(firm=firm, role=Role.ADVISER)


def test_lead_edit_filters_branches_and_negotiators_by_the_choice_before(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    """Choosing an introducer offers its branches; a branch offers its negotiators."""
    firm = member.firm
    agent = IntroducerFactory(firm=firm, name="Acorn Estates")
    other = IntroducerFactory(firm=firm, name="Birch Homes")
    high_street = IntroducerBranchFactory(introducer=agent, name="High Street")
    IntroducerBranchFactory(introducer=agent, name="Station Road")
    IntroducerBranchFactory(introducer=other, name="Birch Central")
    nina = NegotiatorFactory(branch=high_street, name="Nina North")
    NegotiatorFactory(branch=high_street, name="Sam South")
    lead = LeadFactory(contact__firm=firm)
    log_in(page, member)
    page.goto(live_server.url + reverse("leads:lead_edit", args=[lead.pk]))
    page.wait_for_load_state("load")
    branch = page.locator("#id_introducer_branch")
    negotiator = page.locator("#id_negotiator")

    page.locator("#id_introducer").select_option(label="Acorn Estates")
    expect(branch.locator("option")).to_have_text(
        ["None", "High Street", "Station Road"]
    )
    expect(negotiator.locator("option")).to_have_text(["None"])
    branch.select_option(label="High Street")
    expect(negotiator.locator("option")).to_have_text(
        ["None", "Nina North", "Sam South"]
    )
    negotiator.select_option(label="Nina North")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Lead details saved.")).to_be_visible()

    saved = Lead.objects.get(pk=lead.pk)
    assert (saved.introducer, saved.introducer_branch, saved.negotiator) == (
        agent,
        high_street,
        nina,
    )
