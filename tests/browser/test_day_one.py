"""Issue 14 in a browser: the rough edges a new user hits on day one."""

import re

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.contacts.tests.factories import ContactFactory


def test_back_from_a_searched_list_returns_to_the_page_before_it(
    page: Page, owner, log_in, live_server: LiveServer
):
    """Typing in a list's search and pressing Enter leaves one history entry."""
    for name in ("Abbott", "Abel", "Abram"):
        ContactFactory(firm=owner.firm, last_name=name)
    log_in(page, owner)
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/clients/")
    page.wait_for_load_state("load")
    search = page.locator("#id_q")
    for text in ("A", "Ab", "Abb"):
        search.fill(text)
        expect(page).to_have_url(re.compile(rf"/clients/\?q={text}&"))
    search.press("Enter")
    expect(page.locator("#contact-results")).to_contain_text("Abbott")

    page.go_back()

    expect(page).to_have_url(f"{live_server.url}/")
