"""A converted lead's second need and My follow-ups, in a real browser (C3, C4)."""

import datetime
import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.advice.choices import AdviceKind
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.leads.choices import LeadStatus
from crm.leads.tests.factories import LeadFactory

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    """An Adviser of a fresh advice firm."""
    firm = FirmFactory(name="Lighthouse Mortgages", has_advice=True)
    return MembershipFactory(firm=firm, role=Role.ADVISER)


def _radio(page: Page, name: str) -> object:
    return page.get_by_role("radio", name=name, exact=True)


def test_add_new_case_on_a_converted_lead(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    """SPEC C3: a converted lead's Add New Case opens the wizard with its client;
    the protection case is listed on the lead next to the mortgage, and the
    Leads board's Recently converted column shows the client."""
    firm = member.firm
    contact = ContactFactory(firm=firm, first_name="Nora", last_name="Quinn")
    lead = LeadFactory(contact=contact, owner=member.user)
    mortgage = make_case(firm, applicants=[contact], owner=member.user, lead=lead)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED

    log_in(page, member)
    page.goto(live_server.url + lead.get_absolute_url())
    cases = page.locator("section", has=page.locator("#cases-heading"))
    expect(cases.get_by_role("link", name=mortgage.reference)).to_be_visible()
    page.get_by_role("link", name="Add New Case").click()
    expect(page.locator("#step-heading")).to_contain_text("Product")
    page.wait_for_load_state("load")
    page.get_by_role("radio", name="Protection", exact=True).check()
    page.get_by_role("radio", name="Single", exact=True).check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#step-heading")).to_contain_text("Introducer")
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#step-heading")).to_contain_text("Adviser")
    page.get_by_role("button", name="Create Case").click()
    # The done page (its first step may be the portal invitation for the client).
    expect(page).to_have_url(re.compile(r"/cases/new/done/\d+/$"))
    protection = Case.objects.get(firm=firm, kind=AdviceKind.PROTECTION)
    assert protection.lead_id == lead.pk
    page.goto(live_server.url + lead.get_absolute_url())
    cases = page.locator("section", has=page.locator("#cases-heading"))
    expect(cases.get_by_role("link", name=mortgage.reference)).to_be_visible()
    expect(cases.get_by_role("link", name=protection.reference)).to_be_visible()
    expect(page.get_by_role("link", name="Add New Case")).to_be_visible()

    page.goto(live_server.url + reverse("leads:lead_board"))
    page.wait_for_load_state("load")
    expect(page.locator("#column-converted")).to_have_count(0)
    page.get_by_label("Show recently converted leads").check()
    column = page.locator(".board-column--converted")
    expect(column.get_by_role("link", name="Nora Quinn")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/leads/?owner=&converted=on")
    page.reload()
    expect(column.get_by_role("link", name="Nora Quinn")).to_be_visible()


def test_my_follow_ups_tab_from_the_dashboard(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    """SPEC C4: the dashboard's follow-up count opens Tasks > My follow-ups with
    the same count; the list mixes leads and cases by date and links to each."""
    firm = member.firm
    today = timezone.localdate()
    lead = LeadFactory(
        contact__firm=firm,
        contact__first_name="Lena",
        contact__last_name="Hart",
        owner=member.user,
        follow_up_date=today - datetime.timedelta(days=3),
    )
    client = ContactFactory(firm=firm, first_name="Cyrus", last_name="Bell")
    case = make_case(firm, applicants=[client], owner=member.user, follow_up_date=today)

    log_in(page, member)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="2 due or overdue").click()
    expect(page).to_have_url(f"{live_server.url}/tasks/?tab=follow_ups")
    tab = page.locator("#task-tabs [aria-current=page]")
    expect(tab).to_contain_text("My follow-ups")
    expect(tab).to_contain_text("2")
    rows = page.locator("#task-results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Lena Hart")
    expect(rows.nth(0)).to_contain_text("Overdue")
    expect(rows.nth(1)).to_contain_text("Cyrus Bell")
    expect(rows.nth(1)).to_contain_text("Due today")
    expect(page.locator("#task-tabs")).to_contain_text("Firm: overdue")
    rows.nth(1).get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(live_server.url + case.get_absolute_url())
    page.go_back()
    page.get_by_role("link", name=f"Lead #{lead.pk}").click()
    expect(page).to_have_url(live_server.url + lead.get_absolute_url())
