"""A mortgage case's joint applicant, added and removed in a real browser (D1)."""

from playwright.sync_api import Page, expect

from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from tests.browser.a11y import a11y_problems


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"]


def test_add_a_joint_applicant_see_both_then_remove_one_at_phone_width(
    new_page, log_in, live_server
):
    """D1: pick a second client by keyboard, see both on the case, remove one.

    At 390 px: no page scrolls sideways; Remove asks on a page of its own,
    Cancel leaves both clients, Remove joint applicant leaves the main one.
    """
    firm = FirmFactory(has_advice=True)
    adviser = MembershipFactory(firm=firm, role=Role.ADVISER)
    main = ContactFactory(
        firm=firm,
        first_name="Harriet",
        last_name="Featherstonehaugh",
        email="harriet.featherstonehaugh.longaddress@example-mortgage-clients.co.uk",
    )
    joint = ContactFactory(firm=firm, first_name="Quentin", last_name="Ashdown")
    case = make_case(firm, applicants=[main], owner=adviser.user)
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, adviser)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    clients = page.locator("ul.applicants > li")
    expect(clients).to_have_count(1)
    _no_sideways_scroll(page)

    page.get_by_role("link", name="Add joint applicant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Add a joint applicant to {case.reference}"
    )
    expect(page.locator(".page-header p")).to_contain_text(
        "Main applicant: Harriet Featherstonehaugh."
    )
    _no_sideways_scroll(page)
    assert a11y_problems(page) == []
    search = page.get_by_role("combobox", name="Search clients", exact=True)
    search.fill("Ashdown")
    options = page.locator("#contact-options [role=option]")
    expect(options).to_have_count(1)
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.locator("input[name=contact]")).to_have_value(str(joint.pk))
    page.get_by_role("button", name="Add joint applicant").click()

    expect(page.locator(".messages")).to_contain_text(
        "Quentin Ashdown added as joint applicant."
    )
    expect(clients).to_have_count(2)
    expect(clients.nth(0)).to_contain_text("Harriet Featherstonehaugh main applicant")
    expect(clients.nth(1)).to_contain_text("Quentin Ashdown joint applicant")
    expect(page.get_by_role("link", name="Add joint applicant")).to_have_count(0)
    _no_sideways_scroll(page)

    remove = page.get_by_role("link", name="Remove Quentin Ashdown from the case")
    remove.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Remove Quentin Ashdown from {case.reference}?"
    )
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Cancel").click()
    expect(clients).to_have_count(2)

    remove.click()
    page.get_by_role("button", name="Remove joint applicant").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Quentin Ashdown removed from {case.reference}."
    )
    expect(clients).to_have_count(1)
    expect(clients.first).to_contain_text("Harriet Featherstonehaugh")
    expect(page.get_by_role("link", name="Add joint applicant")).to_be_visible()
    _no_sideways_scroll(page)
