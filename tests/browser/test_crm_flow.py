"""Issue 4's "Done means", walked in a browser by a new Adviser of a fresh firm.

Clients (with the duplicate warning), the header search, the contact picker,
the leads board (keyboard and drag and drop) and Tasks, against the live server.
"""

import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Perm, Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.leads.choices import LeadStatus
from crm.leads.models import Lead
from crm.leads.tests.factories import LeadFactory
from crm.tasks.choices import TaskStatus
from crm.tasks.models import Task
from tests.browser.a11y import a11y_problems

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    """An Adviser (who may edit cases) of a fresh firm that has nothing else."""
    firm = FirmFactory(name="Lighthouse Mortgages", has_advice=True)
    membership = MembershipFactory(firm=firm, role=Role.ADVISER)
    assert membership.has_perm(Perm.EDIT_CASES)
    return membership


def _heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def _ready(page: Page) -> None:
    """Wait until the new page's scripts (htmx, comboboxes, board) are set up.

    A real person cannot click before the load event; Playwright can, and would
    then submit htmx forms the no-JavaScript way.
    """
    page.wait_for_load_state("load")


def _go(page: Page, menu_item: str) -> None:
    page.locator("nav#sidebar").get_by_role("link", name=menu_item, exact=True).click()
    expect(_heading(page)).to_have_text(menu_item)
    _ready(page)


def _search_header(page: Page, text: str) -> Locator:
    """Type ``text`` into the header search after clearing it; return the options."""
    box = page.get_by_role("combobox", name="Search clients, leads and cases")
    options = page.locator("#global-search-results [role=option]")
    box.fill("")
    expect(options).to_have_count(0)
    box.fill(text)
    return options


def test_person_duplicate_warning_search_lead_board_and_task_flow(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    """A new adviser adds Ada, is warned of a duplicate, finds her, leads and tasks."""
    firm = member.firm
    log_in(page, member)

    # Clients → New person: Ada Lovelace lands on her record.
    _go(page, "Clients")
    page.locator(".page-header").get_by_role("link", name="New person").click()
    expect(_heading(page)).to_have_text("New person")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("E-mail address").fill("ada@example.com")
    page.get_by_label(re.compile(r"^Mobile")).fill("07700 900123")
    page.get_by_role("button", name="Add person").click()

    expect(_heading(page)).to_have_text("Ada Lovelace")
    expect(page.locator(".messages")).to_contain_text("Ada Lovelace was added.")
    ada = Contact.objects.get(firm=firm)
    record_url = f"{live_server.url}{ada.get_absolute_url()}"
    expect(page).to_have_url(record_url)

    # The same e-mail in another case: a warning, a link to Ada, nothing created.
    _go(page, "Clients")
    page.locator(".page-header").get_by_role("link", name="New person").click()
    page.get_by_label("First name").fill("Augusta")
    page.get_by_label("Last name").fill("King")
    page.get_by_label("E-mail address").fill("ADA@Example.COM")
    page.get_by_role("button", name="Add person").click()

    warning = page.get_by_role("alert").filter(
        has_text="This may be someone you already have"
    )
    expect(warning).to_be_visible()
    expect(warning.get_by_role("link", name="Ada Lovelace")).to_have_attribute(
        "href", ada.get_absolute_url()
    )
    expect(page.get_by_label("First name")).to_have_value("Augusta")
    expect(page.get_by_label("Last name")).to_have_value("King")
    expect(page.get_by_label("E-mail address")).to_have_value("ADA@Example.COM")
    assert Contact.objects.filter(firm=firm).count() == 1
    _ready(page)

    # Header search: part of the e-mail, then the mobile spaced differently.
    options = _search_header(page, "ada@exa")
    expect(options.filter(has_text="Ada Lovelace")).to_be_visible()
    for typed in ("+44 7700 900123", "077 009 001 23"):
        options = _search_header(page, typed)
        expect(options.first).to_be_visible()
        expect(options.first).to_contain_text("Ada Lovelace")
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page).to_have_url(record_url)
    expect(_heading(page)).to_have_text("Ada Lovelace")

    # Add lead from her record: the picker already holds Ada.
    page.get_by_role("link", name="Add lead").click()
    expect(_heading(page)).to_have_text("Add lead")
    picked = page.locator("[data-combobox-selected]")
    expect(picked).to_be_visible()
    expect(picked).to_contain_text("Ada Lovelace")
    expect(page.locator("input[name=contact]")).to_have_value(str(ada.pk))
    page.get_by_label("Source").select_option(label="Website")
    page.get_by_label("Adviser").select_option(label=member.user.full_name)
    page.get_by_role("button", name="Add lead").click()

    expect(_heading(page)).to_contain_text("Ada Lovelace")
    expect(page.locator(".messages")).to_contain_text("Lead added for Ada Lovelace.")
    lead = Lead.objects.get(firm=firm, contact=ada)
    assert lead.status == LeadStatus.NEW_LEAD
    assert lead.owner_id == member.user_id
    expect(page).to_have_url(f"{live_server.url}{lead.get_absolute_url()}")

    # The board: New Lead → Call Back by the "Move to" control, by keyboard.
    _go(page, "Leads")
    card = page.locator(f"#lead-card-{lead.pk}")
    column = "[data-drop-status='{}'] #lead-card-" + str(lead.pk)
    expect(page.locator(column.format("new_lead"))).to_be_visible()
    move_to = card.get_by_label("Move Ada Lovelace to")
    move_to.select_option(label="Call Back")
    move_to.focus()
    page.keyboard.press("Tab")
    expect(card.get_by_role("button", name="Move Ada Lovelace")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(column.format("call_back"))).to_be_visible()
    expect(page.locator("#board-status")).to_have_text(
        "Ada Lovelace moved to Call Back."
    )
    expect(card).to_be_focused()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CALL_BACK

    # … then dragged to Meeting.
    card.drag_to(page.locator("[data-drop-status='meeting']"))

    expect(page.locator(column.format("meeting"))).to_be_visible()
    expect(page.locator(column.format("call_back"))).to_have_count(0)
    expect(page.locator("#board-status")).to_have_text("Ada Lovelace moved to Meeting.")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.MEETING

    # Tasks → + New task, due today by default, about nothing.
    _go(page, "Tasks")
    page.get_by_role("link", name="+ New task").click()
    expect(_heading(page)).to_have_text("New task")
    today = timezone.localdate()
    expect(page.get_by_label("Due date")).to_have_value(today.isoformat())
    page.get_by_label("Title").fill("Send Ada the fact find")
    page.get_by_role("button", name="Add task").click()

    expect(page.locator(".messages")).to_contain_text(
        "Task “Send Ada the fact find” added."
    )
    task = Task.objects.get(firm=firm)
    assert task.due_date == today
    assert task.contact_id is None
    assert task.lead_id is None

    tabs = page.get_by_role("navigation", name="Task views")
    tabs.get_by_role("link", name=re.compile(r"^Firm: due today")).click()
    expect(tabs.locator("[aria-current=page]")).to_contain_text("Firm: due today")
    _ready(page)
    row = page.locator(f"#task-{task.pk}")
    expect(row).to_contain_text("Send Ada the fact find")
    expect(row).to_contain_text("Due today")
    row.get_by_role("button", name=re.compile(r"^Complete")).click()

    expect(row.get_by_role("button", name=re.compile(r"^Reopen"))).to_be_visible()
    expect(row).to_contain_text("Done")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    page.reload()
    expect(page.locator(f"#task-{task.pk}")).to_have_count(0)
    expect(page.get_by_role("heading", name="Nothing is due today")).to_be_visible()


def test_contact_picker_is_keyboard_usable(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    """Arrow keys and Enter pick a client; Enter in the search box never submits."""
    ada = ContactFactory(firm=member.firm, first_name="Ada", last_name="Lovelace")
    ContactFactory(firm=member.firm, first_name="Charles", last_name="Babbage")
    log_in(page, member)
    page.goto(f"{live_server.url}/leads/new/")
    expect(_heading(page)).to_have_text("Add lead")
    page.evaluate(
        """() => {
          window.submitted = 0;
          document.querySelector("form.form").addEventListener("submit", (e) => {
            window.submitted += 1;
            e.preventDefault();
          });
        }"""
    )
    search = page.get_by_role("combobox", name="Client", exact=True)
    hidden = page.locator("input[name=contact]")
    options = page.locator("#contact-options [role=option]")

    search.press("Enter")
    search.fill("lovel")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Ada Lovelace")
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("Enter")
    expect(hidden).to_have_value("")
    search.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    search.press("Enter")

    expect(hidden).to_have_value(str(ada.pk))
    selected = page.locator("[data-combobox-selected]")
    expect(selected).to_be_visible()
    expect(selected).to_contain_text("Ada Lovelace")
    change = selected.get_by_role("button", name="Change")
    expect(change).to_be_focused()
    expect(search).to_be_hidden()

    change.press("Enter")
    expect(search).to_be_focused()
    expect(search).to_have_value("")
    expect(hidden).to_have_value("")
    search.press("Enter")

    assert page.evaluate("window.submitted") == 0
    expect(page).to_have_url(f"{live_server.url}/leads/new/")
    assert not Lead.objects.filter(firm=member.firm).exists()


def test_crm_pages_pass_basic_accessibility_checks(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    """Every CRM page has a lang, one h1, labelled controls and no serious axe
    violation, on a laptop (1366 px) and a phone (390 px)."""
    lead = LeadFactory(contact__firm=member.firm, owner=member.user)
    log_in(page, member)
    paths = [
        "/clients/",
        lead.contact.get_absolute_url(),
        "/clients/new/",
        "/leads/",
        "/leads/?converted=on",
        "/leads/list/",
        lead.get_absolute_url(),
        "/tasks/",
        "/tasks/?tab=follow_ups",
        "/tasks/new/",
        "/clients/import/",
    ]

    problems = {}
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None
            assert response.status == 200, path
            if found := a11y_problems(page):
                problems[(width, path)] = found

    assert problems == {}
