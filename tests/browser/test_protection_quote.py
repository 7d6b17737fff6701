"""Seed 003 in a browser: run a quote on a protection case and select it (G1-G2).

The case's Fact Find and D&N are complete, so only a policy is missing; the
quote page prices six providers, Select saves the cheapest as a policy, and
the case page shows it with the readiness card complete.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.concerthub.tests.factories import set_network
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.protection.tests.factories import protection_case
from tests.browser.a11y import a11y_problems

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    firm = FirmFactory(name="Harbour Protection", has_advice=True, has_support=False)
    return MembershipFactory(firm=firm, role=Role.ADVISER)


def test_run_a_quote_select_it_and_see_the_case_ready(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    client = ContactFactory(firm=member.firm, first_name="Priya", last_name="Jones")
    case = protection_case(member.firm, applicants=[client], owner=member.user)
    set_network(member.firm, member.user)
    log_in(page, member)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    readiness = page.locator("#readiness")
    expect(readiness).to_contain_text("1 thing to fix")
    readiness.locator("summary").click()
    # The blocker's link opens the add-a-policy form at its first field.
    readiness.get_by_role("link", name="At least one policy").click()
    expect(page.locator("#policy_add_provider")).to_be_focused()
    assert a11y_problems(page) == []

    page.get_by_role("link", name="Run a quote").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quotes for")
    table = page.locator("table")
    expect(table.locator("caption")).to_contain_text("6 quotes")
    expect(table.locator("tbody tr")).to_have_count(6)
    assert a11y_problems(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert a11y_problems(page) == []
    page.set_viewport_size({"width": 1366, "height": 900})

    # Sort by premium, dearest first, then back to cheapest first.
    table.get_by_role("link", name="Monthly premium").click()
    expect(page.locator("th[aria-sort=descending]")).to_be_visible()
    page.locator("th[aria-sort=descending]").get_by_role("link").click()
    expect(page.locator("th[aria-sort=ascending]")).to_be_visible()
    first = page.locator("tbody tr").first
    provider = first.locator("th").inner_text()
    first.get_by_role("button", name="Select").click()

    expect(page.locator(".alert--success")).to_contain_text("Quote saved to the case")
    section = page.locator("#protection-policies")
    expect(section.locator("tbody tr")).to_have_count(1)
    expect(section).to_contain_text(provider)
    expect(page.locator("#readiness")).to_contain_text("Complete")
    assert a11y_problems(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert a11y_problems(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
