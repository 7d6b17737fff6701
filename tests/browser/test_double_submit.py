"""A double click on a create button makes one record (A10), in a browser."""

import pytest
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from crm.contacts.models import Contact
from crm.firms.choices import Role
from crm.firms.tests.factories import FirmFactory, MembershipFactory


@pytest.mark.django_db(transaction=True)
def test_double_click_on_save_creates_one_client(
    page: Page, live_server: LiveServer, log_in
) -> None:
    """The button is disabled once the form is on its way; a 2nd click sends nothing."""
    firm = FirmFactory(name="Keel Mortgages", has_advice=True)
    member = MembershipFactory(firm=firm, role=Role.ADVISER)
    log_in(page, member)
    page.goto(f"{live_server.url}/clients/new/")
    page.get_by_label("First name").fill("Dot")
    page.get_by_label("Last name").fill("Cotton")
    save = page.get_by_role("button", name="Add person")
    # The first post is dropped on its way (net::ERR_ABORTED leaves the
    # page as it was): the button stays busy and a second click sends nothing.
    posts: list[str] = []

    def drop(route: Route) -> None:
        posts.append(route.request.url)
        route.abort("aborted")

    page.route("**/clients/new/", drop)
    save.click(no_wait_after=True)
    expect(save).to_be_disabled()
    expect(save).to_have_attribute("aria-busy", "true")
    save.dispatch_event("click")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert len(posts) == 1
    assert not Contact.objects.filter(firm=firm).exists()
