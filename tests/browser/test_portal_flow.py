"""Issue 15's check: the wizard's invite step to a Done credit consent (E8, H1-H3)."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.firms.choices import Perm, Role
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from tests.browser.a11y import a11y_problems

PASSWORD = "a-long-fresh-passphrase"
# Set SCREENSHOTS_DIR to keep pictures of the portal Fact Find page.
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def _create_case(page: Page, email: str) -> None:
    """Go through the wizard: mortgage, single, a new client, Create Case."""
    page.locator(".topbar__new").click()
    page.get_by_role("radio", name="Residential", exact=True).check()
    page.get_by_role("radio", name="Single", exact=True).check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("radio", name="New client", exact=True).check()
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Create Case").click()


def _check_a11y(page: Page) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert a11y_problems(page) == [], page.url
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > window.innerWidth"
        )
        assert overflow is False, f"{page.url} scrolls sideways at {width}px"


@pytest.fixture
def advice_firm(db: None):
    return FirmFactory(name="Lighthouse Mortgages", has_advice=True)


def test_adviser_invites_client_who_confirms_credit_consent(
    advice_firm, page: Page, new_page, log_in, live_server, settings, db_mail
):
    """Invite step → Send Email → mailbox link → password → consent → Done."""
    settings.SITE_URL = live_server.url
    adviser = MembershipFactory(firm=advice_firm, role=Role.ADVISER)
    log_in(page, adviser)
    _create_case(page, "grace@example.com")

    expect(page.get_by_role("heading", level=1)).to_have_text("Invite client")
    _check_a11y(page)
    page.get_by_label("Identity verification").check()
    page.get_by_label("Credit consent").check()
    page.get_by_role("button", name="Send Email").click()
    expect(page.locator(".messages")).to_contain_text("Invitation sent to Grace")

    page.goto(f"{live_server.url}/dev/mailbox/")
    page.get_by_role("row").filter(has_text="grace@example.com").get_by_role(
        "link"
    ).first.click()
    expect(page.locator(".mail-body")).to_contain_text("Lighthouse Mortgages")
    link = page.locator(".mail-body a[href*='/portal/invitations/']").get_attribute(
        "href"
    )
    assert link is not None

    client = new_page()
    client.goto(link)
    expect(client.get_by_role("heading", level=1)).to_contain_text(
        "Lighthouse Mortgages"
    )
    _check_a11y(client)
    client.get_by_label("Choose a password").fill(PASSWORD)
    client.get_by_label("Repeat the password").fill(PASSWORD)
    client.get_by_role("button", name="Set password and continue").click()
    expect(client.get_by_role("heading", level=1)).to_contain_text("Hello, Grace")
    _check_a11y(client)
    client.get_by_role("link", name="Credit consent").first.click()
    _check_a11y(client)
    client.get_by_label(re.compile("I have read this")).check()
    client.get_by_role("button", name="Confirm my consent").click()
    expect(client.locator(".messages")).to_contain_text("credit consent is recorded")
    client.get_by_role("link", name="My actions", exact=True).click()
    _check_a11y(client)
    client.get_by_role("link", name="Identity verification").click()
    _check_a11y(client)

    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("link", name=re.compile("MTG-")).first.click()
    row = page.locator("#client-actions tr").filter(has_text="Credit consent")
    expect(row).to_contain_text("Done")
    identity = page.locator("#client-actions tr").filter(
        has_text="Identity verification"
    )
    expect(identity).to_contain_text("Requested")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)
        top = name.replace(".png", "-top.png")
        page.screenshot(path=str(Path(SHOTS) / top))


def _fill_fact_find(client: Page) -> None:
    """Fill in every required section of a mortgage client's Fact Find."""
    client.get_by_label("Date of birth").fill("1985-04-02")
    client.get_by_label("Marital status").select_option("single")
    client.get_by_label("Nationality").fill("British")
    client.get_by_label("Number of dependants").fill("0")
    client.get_by_role("button", name="Save Personal details").click()
    expect(client.locator("#ff-personal")).to_contain_text("Personal details saved.")
    expect(client.locator("#ff-status")).to_contain_text("In Progress")

    moved_in = timezone.localdate() - timedelta(days=4 * 365)
    client.get_by_role("textbox", name="Address:").fill("1 Harbour Row")
    client.get_by_label("Postcode").fill("EH6 6QW")
    client.get_by_label("Moved in").fill(moved_in.isoformat())
    client.get_by_role("button", name="Add address").click()
    expect(client.locator("#ff-addresses")).to_contain_text("Address added")

    client.get_by_label("Employment status").select_option("employed")
    client.get_by_label("Occupation").fill("Nurse")
    client.get_by_label("Employer or business name").fill("NHS Lothian")
    client.get_by_label("Start date").fill("2015-09-01")
    client.get_by_role("button", name="Save Employment").click()
    expect(client.locator("#ff-employment")).to_contain_text("Employment saved.")

    client.get_by_label("Basic annual income (£)").fill("42000")
    client.get_by_label("Net monthly income (£)").fill("2700")
    client.get_by_role("button", name="Save Income").click()
    expect(client.locator("#ff-summary")).to_contain_text("All filled in")


def test_client_completes_fact_find_and_consent_and_markers_go(
    advice_firm, page: Page, new_page, log_in, live_server, settings, db_mail
):
    """Issue 15: Fact Find and consent ticked → portal → both Done, no "!" left."""
    settings.SITE_URL = live_server.url
    adviser = MembershipFactory(firm=advice_firm, role=Role.ADVISER)
    log_in(page, adviser)
    _create_case(page, "grace@example.com")
    page.get_by_label("Fact Find").check()
    page.get_by_label("Credit consent").check()
    page.get_by_role("button", name="Send Email").click()
    expect(page.locator(".messages")).to_contain_text("Invitation sent to Grace")
    case_url = page.url

    page.goto(f"{live_server.url}/dev/mailbox/")
    page.get_by_role("row").filter(has_text="grace@example.com").get_by_role(
        "link"
    ).first.click()
    expect(page.locator(".mail-body")).to_contain_text("Fact Find")
    link = page.locator(".mail-body a[href*='/portal/invitations/']").get_attribute(
        "href"
    )
    assert link is not None

    client = new_page()
    client.goto(link)
    client.get_by_label("Choose a password").fill(PASSWORD)
    client.get_by_label("Repeat the password").fill(PASSWORD)
    client.get_by_role("button", name="Set password and continue").click()
    client.get_by_role("link", name="Fact Find").first.click()
    expect(client.get_by_role("heading", level=1)).to_have_text("Your Fact Find")
    _check_a11y(client)
    for width in (1366, 390):
        client.set_viewport_size({"width": width, "height": 900})
        _shot(client, f"portal-fact-find-{width}.png")

    client.get_by_role("button", name="I've finished").click()
    expect(client.get_by_role("alert").first).to_contain_text("You can't finish yet")
    _shot(client, "portal-fact-find-refused-390.png")
    _fill_fact_find(client)
    _check_a11y(client)
    client.get_by_role("button", name="I've finished").click()
    expect(client.locator(".messages")).to_contain_text("Thank you")
    expect(client.locator("#ff-status")).to_contain_text("Done")
    _check_a11y(client)
    client.set_viewport_size({"width": 390, "height": 900})
    _shot(client, "portal-fact-find-done-390.png")

    client.get_by_role("link", name="My actions", exact=True).click()
    client.get_by_role("link", name="Credit consent").first.click()
    client.get_by_label(re.compile("I have read this")).check()
    client.get_by_role("button", name="Confirm my consent").click()
    expect(client.locator(".messages")).to_contain_text("credit consent is recorded")

    page.goto(case_url)
    actions = page.locator("#client-actions tr")
    expect(actions.filter(has_text="Fact Find")).to_contain_text("Done")
    expect(actions.filter(has_text="Credit consent")).to_contain_text("Done")
    grace = page.locator(".ff-client").filter(has_text="Grace")
    expect(grace).to_have_count(1)
    expect(grace.locator(".ff-marker")).to_have_count(0)


def test_member_without_action_log_sees_the_confirmation(
    advice_firm, page: Page, log_in
):
    """Without the permission Create Case ends on the confirmation screen."""
    member = MembershipFactory(
        firm=advice_firm, role=Role.ADVISER, revoked=[Perm.ACTION_LOG.value]
    )
    log_in(page, member)
    _create_case(page, "ada@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case created")
    expect(page.get_by_role("button", name="Send Email")).to_have_count(0)
