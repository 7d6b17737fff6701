"""One + New Case for a firm with both modules, used by keyboard (A8, B4, E1)."""

from playwright.sync_api import Page, expect

from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from tests.browser.a11y import a11y_problems


def _both_modules_adviser():
    firm = FirmFactory(has_advice=True, has_support=True)
    return MembershipFactory(firm=firm, role=Role.ADVISER)


def test_header_new_case_menu_opens_by_keyboard_and_offers_each_kind(
    page: Page, log_in, live_server
):
    """Enter opens + New Case; Escape closes it; Tab and Enter follow a kind.

    The menu lists the wizard and a support case as links; Support case opens
    the support case form.
    """
    log_in(page, _both_modules_adviser())
    menu = page.locator(".topbar details.dropmenu")
    summary = menu.locator("summary")
    support = menu.get_by_role("link", name="Support case")
    expect(page.locator(".topbar__new")).to_have_count(1)
    expect(support).to_be_hidden()

    summary.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    expect(menu.get_by_role("link", name="Mortgage or protection case")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Mortgage or protection case")).to_be_focused()
    page.keyboard.press("Tab")
    expect(support).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create case")
    assert page.url.endswith("/support/cases/new/")
    assert a11y_problems(page) == []


def test_client_record_new_case_menu_fits_a_phone_and_prefills_the_client(
    new_page, log_in, live_server
):
    """At 390 px the record's one + New Case opens on screen, no sideways scroll.

    Mortgage or protection case starts the wizard for this client.
    """
    adviser = _both_modules_adviser()
    contact = ContactFactory(firm=adviser.firm, first_name="Ada", last_name="Lane")
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, adviser)
    page.goto(f"{live_server.url}{contact.get_absolute_url()}")
    menu = page.locator("main details.dropmenu")
    menu.locator("summary").click()
    wizard = menu.get_by_role("link", name="Mortgage or protection case")
    expect(wizard).to_be_visible()
    box = menu.locator(".dropmenu__panel").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    expect(wizard).to_have_attribute("href", f"/cases/new/?contact={contact.pk}")
    wizard.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New case")
