"""Issue 14 in a browser: the rough edges a new user hits on day one."""

import re

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Perm, Role
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from tests.browser.a11y import a11y_problems


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


def test_wizard_orients_the_member_at_every_step(
    page: Page, live_server: LiveServer, log_in
):
    """Focus goes to each step's heading; a pick shows details at once and
    survives a reload; later steps say who the case is for; done chips link;
    + New Case with a draft offers Continue; Case created takes focus."""
    firm = FirmFactory(name="Lighthouse Mortgages", has_advice=True)
    member = MembershipFactory(
        firm=firm, role=Role.ADVISER, revoked=[Perm.ACTION_LOG.value]
    )
    ada = ContactFactory(
        firm=firm,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        mobile="07700 900111",
    )
    log_in(page, member)
    page.wait_for_load_state("load")
    page.locator(".topbar__new").click()
    heading = page.locator("#step-heading")
    expect(heading).to_have_text("Step 1 of 5: Product")
    expect(heading).to_be_focused()
    page.get_by_role("radio", name="Residential", exact=True).check()
    page.get_by_role("button", name="Next").click()

    expect(heading).to_have_text("Step 2 of 5: Main applicant")
    expect(heading).to_be_focused()
    page.wait_for_load_state("load")
    search = page.get_by_role("combobox", name="Search clients", exact=True)
    search.fill("lovel")
    options = page.locator("#contact-options [role=option]")
    expect(options).to_have_count(1)
    search.press("ArrowDown")
    search.press("Enter")
    details = page.locator("#wizard-form dl.details")
    expect(details).to_contain_text("ada@example.com")
    expect(details).to_contain_text("07700 900111")
    expect(details.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    page.reload()
    expect(details).to_contain_text("ada@example.com")
    expect(page.locator("input[name=contact]")).to_have_value(str(ada.pk))

    page.locator(".topbar__new").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New case")
    expect(page.locator("main")).to_contain_text("Ada Lovelace")
    expect(page.locator("main")).to_contain_text("Step 2: Main applicant")
    page.get_by_role("link", name="Continue").click()
    expect(heading).to_have_text("Step 2 of 5: Main applicant")
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Next").click()

    expect(heading).to_have_text("Step 4 of 5: Introducer")
    expect(page.locator(".wizard-for")).to_have_text(
        "Mortgage (Residential, Single) for Ada Lovelace"
    )
    steps = page.get_by_role("navigation", name="New case steps")
    expect(steps.get_by_role("link")).to_have_count(2)
    page.get_by_role("button", name="Next").click()
    expect(heading).to_have_text("Step 5 of 5: Adviser & status")
    page.get_by_role("button", name="Create Case").click()

    created = page.get_by_role("heading", level=1)
    expect(created).to_have_text("Case created")
    expect(created).to_be_focused()


def test_phone_width_lists_header_and_menu(
    new_page, owner, log_in, live_server: LiveServer
):
    """At 390 px: no sideways scroll, lists open on results with filters behind
    a toggle, search is in the menu, the user menu is named, the logo is square."""
    for name in ("Abbott", "Abel", "Abram"):
        ContactFactory(firm=owner.firm, last_name=name)
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, owner)
    for path in ("/", "/clients/", "/tasks/", "/leads/list/", "/cases/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth,"
            " document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], path
        assert a11y_problems(page) == [], path

    page.goto(f"{live_server.url}/clients/")
    page.wait_for_load_state("load")
    expect(page.locator("#id_q")).to_be_hidden()
    expect(page.locator("#contact-results")).to_contain_text("Abbott")
    page.get_by_text("Filters", exact=True).click()
    expect(page.locator("#id_q")).to_be_visible()

    expect(page.locator("details.usermenu summary")).to_have_accessible_name(
        re.compile(owner.user.full_name)
    )
    logo = page.locator(".topbar__logo").bounding_box()
    assert logo is not None
    assert abs(logo["width"] - logo["height"]) < 1

    page.get_by_role("button", name="Menu").click()
    sidebar = page.locator("nav#sidebar")
    expect(sidebar.locator(".sidebar__firm")).to_have_text(owner.firm.name)
    sidebar.get_by_role("searchbox").fill("Abel")
    sidebar.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("Abel")


def test_phone_width_case_pages_tasks_and_documents_do_not_scroll_sideways(
    new_page, log_in, live_server: LiveServer
):
    """At 390 px the support case page (planned support, services, tasks), an
    advice case page and a client record with their documents tables, and the
    Tasks tabs fit the screen: wide tables scroll inside their own box."""
    from crm.cases.tests.factories import DocumentFactory, make_case
    from crm.support.tests.factories import make_link, make_plan, make_support_case
    from crm.tasks.tests.factories import TaskFactory

    firm = FirmFactory(name="Bridge Support Trust", has_advice=True, has_support=True)
    owner = MembershipFactory(firm=firm, role=Role.OWNER)
    support = make_support_case(firm, title="Anxiety about leaving the house")
    make_plan(support, "Carer's referral to the local authority adult services")
    make_link(support)
    advice = make_case(firm)
    client = advice.applicants.get().contact
    for case in (support, advice):
        TaskFactory(firm=firm, case=case, assignee=owner.user, title="Call back")
    DocumentFactory(case=advice, original_name="a-very-long-payslip-name-2026.pdf")
    DocumentFactory(
        firm=firm, contact=client, case=None, original_name="passport-scan.pdf"
    )
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, owner)
    paths = [
        support.get_absolute_url(),
        advice.get_absolute_url(),
        client.get_absolute_url(),
        "/tasks/",
        "/tasks/?tab=all",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth,"
            " document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], path
        assert a11y_problems(page) == [], path


def test_issue_pages_pass_the_accessibility_check_at_desktop_and_phone_width(
    new_page, log_in, live_server: LiveServer
):
    """At 1366 and 390 px the audit log, + New Case with a draft, Tasks, the
    support case page and its close page, and lists with their filters open
    fit the screen and pass the accessibility check; the user menu is named
    and the firm's name and logo are whole at both widths."""
    from crm.support.tests.factories import make_link, make_plan, make_support_case
    from crm.tasks.tests.factories import TaskFactory

    firm = FirmFactory(
        name="Severn Money & Housing Advice", has_advice=True, has_support=True
    )
    owner = MembershipFactory(firm=firm, role=Role.OWNER)
    for name in ("Abbott", "Abel", "Abram"):
        ContactFactory(firm=firm, last_name=name)
    support = make_support_case(firm, title="Rent arrears and eviction risk")
    make_plan(support, "Apply for a discretionary housing payment")
    make_link(support)
    TaskFactory(firm=firm, case=support, assignee=owner.user, title="Call back")
    paths = [
        "/settings/audit-log/",
        "/cases/new/",
        "/tasks/",
        "/tasks/?tab=all",
        support.get_absolute_url(),
        f"{support.get_absolute_url()}close/",
        "/clients/",
        "/support/cases/",
    ]
    for width in (1366, 390):
        page = new_page(viewport={"width": width, "height": 900})
        log_in(page, owner)
        page.goto(f"{live_server.url}/cases/new/?restart=1")
        page.get_by_role("radio", name="Residential", exact=True).check()
        page.get_by_role("button", name="Next").click()
        expect(page.locator("#step-heading")).to_have_text(
            "Step 2 of 5: Main applicant"
        )
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            toggle = page.locator("details.filters-toggle > summary")
            if toggle.count() and toggle.first.is_visible():
                toggle.first.click()
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth,"
                " document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], (width, path)
            assert a11y_problems(page) == [], (width, path)
        page.goto(f"{live_server.url}/cases/new/")
        expect(page.get_by_role("link", name="Continue")).to_be_visible()
        expect(page.locator("details.usermenu summary")).to_have_accessible_name(
            re.compile(owner.user.full_name)
        )
        if width == 390:
            page.get_by_role("button", name="Menu").click()
        firm_name = page.locator(".sidebar__firm" if width == 390 else ".topbar__firm")
        expect(firm_name).to_contain_text(firm.name)
        fits = firm_name.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert fits is True, width
        logo = page.locator(".topbar__logo").bounding_box()
        assert logo is not None
        assert abs(logo["width"] - logo["height"]) < 1, width
