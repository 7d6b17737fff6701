"""Seed 003 in a browser: fill a protection case's Fact Find and D&N on its page.

Each section saves without leaving the page; its "!" marker goes when the
section is complete, and the readiness card says the case is complete.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.advice.choices import AdviceKind
from crm.cases.tests.factories import make_case
from crm.concerthub.tests.factories import set_network
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.protection.tests.factories import make_policy
from tests.browser.a11y import a11y_problems

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    firm = FirmFactory(name="Harbour Protection", has_advice=True, has_support=False)
    return MembershipFactory(firm=firm, role=Role.ADVISER)


def _save(page: Page, section_id: str) -> None:
    section = page.locator(f"#{section_id}")
    section.locator("button[type=submit]").last.click()
    expect(page.locator(f"#{section_id} .alert--success")).to_be_visible()


def test_fill_fact_find_and_demands_needs_until_no_marker_is_left(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    firm = member.firm
    client = ContactFactory(firm=firm, first_name="Priya", last_name="Jones")
    case = make_case(
        firm, kind=AdviceKind.PROTECTION, applicants=[client], owner=member.user
    )
    make_policy(case)  # the protection policies' own check (crm.protection)
    set_network(firm, member.user)  # and the network IDs' (crm.concerthub)
    applicant = case.applicants.get()
    ff = f"ff{applicant.pk}"
    log_in(page, member)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.locator("#readiness")).to_contain_text("things to fix")
    assert a11y_problems(page) == []

    # A "!" link opens its section and focuses the input.
    personal = page.locator(f"#{ff}-personal")
    expect(personal.locator(".ff-marker")).to_contain_text("Incomplete: 4 fields")
    personal.get_by_role("link", name="Nationality").click()
    expect(page.locator(f"#{ff}_nationality")).to_be_focused()

    page.fill(f"#{ff}_date_of_birth", "1986-04-02")
    page.select_option(f"#{ff}_marital_status", "married")
    page.fill(f"#{ff}_nationality", "British")
    page.fill(f"#{ff}_dependants", "0")
    _save(page, f"{ff}-personal")
    expect(page.locator(f"#{ff}-personal .ff-marker")).to_have_count(0)
    expect(page.locator("#facts-live")).to_contain_text("Personal details saved")

    page.fill(f"#{ff}_line1", "4 Quay Street")
    page.fill(f"#{ff}_postcode", "EH6 6AA")
    page.fill(f"#{ff}_moved_in", "2015-06-01")
    page.locator(f"#{ff}-addresses").get_by_role("button", name="Add address").click()
    expect(page.locator(f"#{ff}-addresses")).to_contain_text("4 Quay Street")
    expect(page.locator(f"#{ff}-addresses .ff-marker")).to_have_count(0)

    page.select_option(f"#{ff}_employment_status", "employed")
    page.fill(f"#{ff}_occupation", "Nurse")
    page.fill(f"#{ff}_employer", "NHS Lothian")
    page.fill(f"#{ff}_employment_start", "2012-09-01")
    _save(page, f"{ff}-employment")
    expect(page.locator(f"#{ff}-employment .ff-marker")).to_have_count(0)

    # Junk keeps what was typed and shows the error.
    page.fill(f"#{ff}_basic_income", "-5")
    page.fill(f"#{ff}_net_monthly_income", "2450")
    page.locator(f"#{ff}-income button[type=submit]").click()
    expect(page.locator(f"#{ff}-income .errorlist")).to_be_visible()
    expect(page.locator(f"#{ff}_net_monthly_income")).to_have_value("2450")
    page.fill(f"#{ff}_basic_income", "38000")
    _save(page, f"{ff}-income")
    expect(page.locator(f"#{ff}-income .ff-marker")).to_have_count(0)

    page.select_option(f"#{ff}_smoker_status", "never")
    page.select_option(f"#{ff}_health_conditions", "no")
    _save(page, f"{ff}-health")
    expect(page.locator(f"#{ff}-health .ff-marker")).to_have_count(0)

    protection = page.locator("#dn-protection")
    protection.get_by_label("Reasons for cover").fill("Protect the family home.")
    protection.get_by_label("Life cover").check()
    protection.get_by_label("Amount of cover (£)").fill("250000")
    protection.get_by_label("Term of cover (years)").fill("25")
    protection.get_by_label("Monthly budget (£)").fill("60")
    protection.get_by_label("Existing cover").fill("None.")
    protection.get_by_label("Priorities").fill("Mortgage first.")
    _save(page, "dn-protection")
    page.locator("#dn-advice").get_by_label("Recommendation rationale").fill(
        "Level term to match the mortgage."
    )
    _save(page, "dn-advice")

    expect(page.locator(".ff-marker")).to_have_count(0)
    expect(page.locator("#readiness")).to_contain_text("Complete")
    assert a11y_problems(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert a11y_problems(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
