"""The app shell in a real browser: keyboard use, small screens, firm switching."""

import pytest
from playwright.sync_api import Page, expect

from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from tests.browser.a11y import a11y_problems


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(
    page: Page, owner, log_in, live_server
):
    """Tab first focuses "Skip to main content"; Enter then focuses main#main."""
    log_in(page, owner)
    page.goto(f"{live_server.url}/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()


def test_user_menu_opens_by_keyboard_and_logs_out(page: Page, owner, log_in):
    """Enter on the user menu's summary opens it; "Log out" returns to log in."""
    log_in(page, owner)
    menu = page.locator("details.usermenu")
    log_out = menu.get_by_role("button", name="Log out")
    expect(log_out).to_be_hidden()

    menu.locator("summary").focus()
    page.keyboard.press("Enter")

    expect(menu).to_have_attribute("open", "")
    expect(log_out).to_be_visible()
    log_out.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.locator(".messages")).to_contain_text("You have logged out.")
    assert page.url.endswith("/login/")


def test_sidebar_is_hidden_at_tablet_width_until_menu_is_pressed(
    new_page, owner, log_in
):
    """At 820x1000 the sidebar appears only after "Menu", which sets aria-expanded."""
    page = new_page(viewport={"width": 820, "height": 1000})
    log_in(page, owner)
    sidebar = page.locator("nav#sidebar")
    toggle = page.get_by_role("button", name="Menu")
    expect(sidebar).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()

    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(sidebar).to_be_visible()
    expect(sidebar.get_by_role("link", name="Dashboard")).to_be_focused()


def test_member_of_two_firms_switches_firm_from_user_menu(
    page: Page, firm, other_firm, log_in
):
    """Choosing the other firm in the user menu puts its name in the header."""
    membership = MembershipFactory(firm=firm, role=Role.OWNER)
    MembershipFactory(firm=other_firm, user=membership.user, role=Role.ADVISER)
    log_in(page, membership)
    header_firm = page.locator(".topbar__firm")
    expect(header_firm).to_contain_text("Harbour Mortgages")

    page.locator("details.usermenu summary").click()
    page.get_by_role("button", name="Rival Advice Ltd").click()

    expect(header_firm).to_contain_text("Rival Advice Ltd")
    expect(page.locator(".messages")).to_contain_text(
        "You are now working in Rival Advice Ltd."
    )
    page.locator("details.usermenu summary").click()
    current = page.locator("details.usermenu [aria-current='true']")
    expect(current).to_contain_text("Rival Advice Ltd")


@pytest.mark.parametrize(
    ("path", "logged_in"),
    [("/login/", False), ("/", True), ("/settings/members/", True)],
    ids=["login", "dashboard", "members"],
)
def test_page_passes_basic_accessibility_checks(
    page: Page, owner, log_in, live_server, path, logged_in
):
    """The page has a lang, exactly one h1 and a label on every visible control."""
    if logged_in:
        log_in(page, owner)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("h1")).to_have_count(1)

    assert a11y_problems(page) == []
