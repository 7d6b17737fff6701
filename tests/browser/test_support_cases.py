"""Seed 004 walked in a browser by a case manager of a fresh charity (issue 6).

Create a case, edit it, add and remove a need and an outcome (no page
reload), add and edit planned support, link and unlink an external service
with a note (a touchpoint in Interactions), log an interaction, add a task
and find it in Tasks, close the case and find it in the Closed tab.
"""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import (
    FirmFactory,
    InteractionTypeFactory,
    MembershipFactory,
)
from tests.browser.a11y import a11y_problems

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    """A case manager of a fresh charity with the Support module only."""
    firm = FirmFactory(name="Harbourside Trust", has_advice=False, has_support=True)
    InteractionTypeFactory(firm=firm, name="Home visit")
    return MembershipFactory(
        firm=firm, role=Role.ADVISER, user__first_name="Dana", user__last_name="Cole"
    )


def _heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def _section(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=name, exact=True)


def _pick(page: Page, label: str, field: str, contact: Contact, typed: str) -> None:
    """Pick ``contact`` in a contact picker with the keyboard."""
    search = page.get_by_role("combobox", name=label, exact=True)
    options = page.locator(f"#{field}-options [role=option]")
    search.fill(typed)
    expect(options.first).to_contain_text(contact.display_name)
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.locator(f"input[name={field}]")).to_have_value(str(contact.pk))


def _add_item(page: Page, section: str, box_label: str, text: str) -> None:
    """Type ``text`` in the box under ``section`` and press its Add button.

    Waits until the page has loaded and no request is in flight first: on a
    busy machine a box filled while the page was still settling was sent
    empty.
    """
    page.wait_for_load_state("networkidle")
    region = _section(page, section)
    box = region.get_by_label(box_label, exact=True)
    box.fill(text)
    expect(box).to_have_value(text)
    region.get_by_role("button", name=re.compile(r"^Add\b")).click()
    expect(_section(page, section).get_by_text(text, exact=True)).to_be_visible()
    expect(_section(page, section).get_by_label(box_label, exact=True)).to_have_value(
        ""
    )


def test_seed_004_support_case_from_create_to_closed(
    page: Page, member: Membership, log_in: LogIn
) -> None:
    firm = member.firm
    ContactFactory(firm=firm, first_name="Nadia", last_name="Hussain")
    nadia = Contact.objects.get(firm=firm, last_name="Hussain")
    gp = OrganisationFactory(firm=firm, organisation_name="Quayside Surgery")
    log_in(page, member)

    # Open the case list: Cases in the sidebar, grouped into All, Open, Closed.
    page.locator("nav#sidebar").get_by_role("link", name="Cases", exact=True).click()
    expect(_heading(page)).to_have_text("Cases")
    for tab in ("All", "Open", "Closed"):
        expect(page.get_by_role("link", name=tab, exact=True)).to_be_visible()
    assert a11y_problems(page) == []

    # Create a case.
    page.locator(".page-header").get_by_role("link", name="Create case").click()
    expect(_heading(page)).to_have_text("Create case")
    page.wait_for_load_state("load")
    page.get_by_label("Title").fill("Rent arrears")
    _pick(page, "Search contacts", "beneficiary", nadia, "hussa")
    page.get_by_label("Case manager").select_option(label="Dana Cole")
    page.get_by_label("Fixed").check()
    page.get_by_label("Notes").fill("Referred by the council.")
    page.get_by_role("button", name="Save", exact=True).click()
    # Fixed needs an expected end date: the form says so and keeps the rest.
    expect(page.get_by_text("Enter the expected end date")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Rent arrears")
    page.get_by_label("Expected end date").fill("2099-06-30")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(_heading(page)).to_contain_text("Rent arrears")
    case = Case.objects.get(firm=firm, title="Rent arrears")
    assert case.applicants.get().contact_id == nadia.pk
    assert a11y_problems(page) == []

    # Edit the case from the sidebar: the beneficiary is not editable.
    page.get_by_role("complementary").get_by_role("link", name="Edit").click()
    expect(page.get_by_text("The beneficiary cannot be changed")).to_be_visible()
    page.get_by_label("Title").fill("Rent arrears and eviction notice")
    page.get_by_label("Open-ended").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(_heading(page)).to_contain_text("Rent arrears and eviction notice")
    expect(page.get_by_role("definition").filter(has_text="Open-ended")).to_be_visible()

    # Client needs and desired outcomes: type, Add, remove with the x button, no reload.
    page.wait_for_load_state("load")
    page.evaluate("window.__noReload = true")
    _add_item(page, "Client needs", "Add a client need", "Keep the flat")
    _add_item(page, "Client needs", "Add a client need", "Budgeting help")
    _add_item(page, "Desired outcomes", "Add a desired outcome", "Arrears cleared")
    _add_item(page, "Desired outcomes", "Add a desired outcome", "Stable tenancy")
    needs = _section(page, "Client needs")
    needs.get_by_role("button", name="Remove need: Budgeting help").click()
    expect(needs.get_by_text("Budgeting help")).to_have_count(0)
    outcomes = _section(page, "Desired outcomes")
    outcomes.get_by_role("button", name="Remove outcome: Stable tenancy").click()
    expect(
        _section(page, "Desired outcomes").get_by_text("Stable tenancy")
    ).to_have_count(0)
    assert page.evaluate("window.__noReload") is True  # the page never reloaded

    # Add planned support, then edit it.
    _section(page, "Planned support").get_by_role(
        "link", name="Add planned support"
    ).click()
    page.get_by_label("Description").fill("Weekly budgeting session")
    page.get_by_label("Target date").fill("2099-01-15")
    page.get_by_label("Lead").select_option(label="Dana Cole")
    page.get_by_label("Status").select_option(label="Planned")
    page.get_by_role("button", name="Save", exact=True).click()
    plans = _section(page, "Planned support")
    expect(plans.get_by_text("Weekly budgeting session")).to_be_visible()
    plans.get_by_role(
        "link", name="Edit planned support: Weekly budgeting session"
    ).click()
    page.get_by_label("Status").select_option(label="In Progress")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(_section(page, "Planned support").get_by_text("In Progress")).to_be_visible()

    # Link an external service with a note: the touchpoint shows in Interactions.
    _section(page, "External services").get_by_role(
        "link", name="Link external service"
    ).click()
    page.wait_for_load_state("load")
    _pick(page, "Contact", "contact", gp, "quaysi")
    page.get_by_label("Role").fill("GP")
    page.get_by_label("Note").fill("Asked the surgery for a support letter.")
    page.get_by_role("button", name="Save", exact=True).click()
    services = _section(page, "External services")
    expect(
        services.get_by_role("link", name="Quayside Surgery", exact=True)
    ).to_be_visible()
    interactions = _section(page, "Interactions")
    expect(
        interactions.get_by_text("Asked the surgery for a support letter.")
    ).to_be_visible()

    # Log an interaction.
    interactions.get_by_role("link", name="Add interaction").click()
    page.get_by_label("Date and time").fill("2026-11-20T10:30")
    page.get_by_label("Type").select_option(label="Home visit")
    page.get_by_label("Notes").fill("Went through the rent statement together.")
    page.get_by_role("button", name="Save interaction").click()
    expect(
        _section(page, "Interactions").get_by_text(
            "Went through the rent statement together."
        )
    ).to_be_visible()

    assert a11y_problems(page) == []  # the page with every section filled

    # Unlink the external service: its delete icon, then confirm.
    _section(page, "External services").get_by_role(
        "link", name="Unlink external service: Quayside Surgery"
    ).click()
    page.get_by_role("button", name="Unlink").click()
    expect(
        _section(page, "External services").get_by_role(
            "link", name="Quayside Surgery", exact=True
        )
    ).to_have_count(0)

    # Add a task from the sidebar; it appears in the main Tasks list.
    page.get_by_role("complementary").get_by_role("link", name="Add task").click()
    page.get_by_label("Title").fill("Call the landlord")
    page.get_by_role("button", name="Add task").click()
    expect(_section(page, "Tasks").get_by_text("Call the landlord")).to_be_visible()
    page.locator("nav#sidebar").get_by_role("link", name="Tasks", exact=True).click()
    expect(page.get_by_role("link", name="Call the landlord")).to_be_visible()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()

    # Close the case with a confirmation; it is in the Closed tab, read-only.
    page.goto(page.url.split("/tasks/")[0] + case.get_absolute_url())
    page.get_by_role("complementary").get_by_role("link", name="Close case").click()
    # The open task and planned support are named, and closing asks about them.
    expect(page.get_by_text("Call the landlord")).to_be_visible()
    page.get_by_role("button", name="Close case").click()
    expect(page.get_by_text("Choose what happens to the open work.")).to_be_visible()
    page.get_by_label("Mark them complete").check()
    page.get_by_role("button", name="Close case").click()
    expect(
        page.get_by_role("strong").filter(has_text="This case is closed.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Add planned support")).to_have_count(0)
    page.locator("nav#sidebar").get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="Closed", exact=True).click()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    page.get_by_role("link", name="Open", exact=True).click()
    expect(page.get_by_role("link", name=case.reference)).to_have_count(0)
