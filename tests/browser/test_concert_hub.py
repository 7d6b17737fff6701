"""Seed 003 end to end in a browser: from blockers to Received on Concert Hub.

An adviser opens a protection case whose Fact Find lacks the smoker status
and which holds a PMI policy: Readiness lists the "!" items, the unsupported
type and the network prerequisites. They fix each one (the Firm ID and their
Adviser UID are checked with the simulator when saved), run a quote, select
it, Send to Concert Hub and see Received. A second case with a policy
without a term comes back Rejected: the troubleshooting panel links to the
term, and Resubmit after the fix is received.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.advice.factfind.models import FactFind
from crm.concerthub.tests.fixtures import hub, hub_server
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.protection.tests.factories import make_policy, protection_case
from simulator.server import Running
from tests.browser.a11y import a11y_problems

__all__ = ["hub", "hub_server"]

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    firm = FirmFactory(name="Harbour Protection", has_advice=True, has_support=False)
    return MembershipFactory(firm=firm, role=Role.OWNER)


def test_seed_003_from_blockers_to_received(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer, hub: Running
) -> None:
    firm = member.firm
    client = ContactFactory(firm=firm, first_name="Priya", last_name="Jones")
    case = protection_case(firm, applicants=[client], owner=member.user)
    FactFind.objects.filter(contact=client).update(smoker_status="")
    make_policy(case, provider="Bupa", benefit_type="pmi")
    applicant = case.applicants.get()
    ff = f"ff{applicant.pk}"
    log_in(page, member)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{case.get_absolute_url()}")

    # Readiness: the "!" field, the unsupported type, the network IDs.
    readiness = page.locator("#readiness")
    expect(readiness).to_contain_text("4 things to fix")
    readiness.locator("summary").click()
    expect(readiness).to_contain_text("PMI is not supported by Concert Hub")
    expect(page.locator("#concert-hub")).to_contain_text("Not sent")
    assert a11y_problems(page) == []

    readiness.get_by_role("link", name="Smoker status").click()
    expect(page.locator(f"#{ff}_smoker_status")).to_be_focused()
    page.select_option(f"#{ff}_smoker_status", "never")
    page.locator(f"#{ff}-health button[type=submit]").last.click()
    expect(page.locator(f"#{ff}-health .alert--success")).to_be_visible()
    expect(page.locator(f"#{ff}-health .ff-marker")).to_have_count(0)

    # Remove the PMI policy; run a quote and select the cheapest.
    policies = page.locator("#protection-policies")
    policies.get_by_role("button", name="Remove").click()
    expect(policies).to_contain_text("No policies yet")
    page.get_by_role("link", name="Run a quote").click()
    page.locator("tbody tr").first.get_by_role("button", name="Select").click()
    expect(page.locator(".alert--success")).to_contain_text("Quote saved to the case")

    # The network IDs, checked with Concert Hub when saved.
    page.locator("#readiness summary").click()
    page.locator("#readiness").get_by_role("link", name="network Firm ID").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concert Hub")
    page.get_by_role("textbox", name="Network Firm ID").fill("F999999")
    page.get_by_role("button", name="Check and save").first.click()
    expect(page.locator(".errorlist")).to_contain_text("does not know the Firm ID")
    page.get_by_role("textbox", name="Network Firm ID").fill("F100001")
    page.get_by_role("button", name="Check and save").first.click()
    expect(page.locator(".alert--success")).to_contain_text("Firm ID F100001 saved")
    row = page.locator(f"#adviser-{member.user_id}")
    row.get_by_label("Adviser UID").fill("A200001")
    row.get_by_role("button", name="Check and save").click()
    expect(page.locator(".alert--success")).to_contain_text("Adviser UID A200001")
    assert a11y_problems(page) == []

    # Ready: Send to Concert Hub, then Received.
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.locator("#readiness")).to_contain_text("Complete")
    card = page.locator("#concert-hub")
    card.get_by_role("button", name="Send to Concert Hub").click()
    expect(card).to_contain_text("Received", timeout=20_000)
    expect(card).to_contain_text("CH-000001")
    expect(card.get_by_role("link", name="Amend and resubmit")).to_be_visible()
    assert len(hub.app.store.list()) == 1
    assert a11y_problems(page) == []

    # A second case: the partner rejects a policy without a term.
    second = protection_case(firm, owner=member.user)
    policy = make_policy(second, term_years=None)
    page.goto(f"{live_server.url}{second.get_absolute_url()}")
    card = page.locator("#concert-hub")
    card.get_by_role("button", name="Send to Concert Hub").click()
    expect(card).to_contain_text("Rejected", timeout=20_000)
    expect(card).to_contain_text("What to fix")
    assert a11y_problems(page) == []
    card.get_by_role("link", name="Term (years)").click()
    expect(page).to_have_url(
        f"{live_server.url}/policies/{policy.pk}/edit/#id_term_years"
    )
    page.get_by_label("Term (years)").fill("20")
    page.get_by_role("button", name="Save policy").click()
    card = page.locator("#concert-hub")
    card.get_by_role("button", name="Resubmit").click()
    expect(card).to_contain_text("Received", timeout=20_000)
    assert len(hub.app.store.list()) == 2

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert a11y_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
