"""Refer out with consent, the partner answers through their link (SPEC I12).

A case manager refers a beneficiary to a linked external service, recording
consent; the partner opens the e-mailed link in a fresh browser (no login),
accepts and posts an update; the case shows both as touchpoints.
"""

import re
from collections.abc import Callable

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.support import services
from crm.support.tests.factories import make_item, make_support_case
from tests.browser.a11y import a11y_problems

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    """A case manager of a fresh charity with the Support module only."""
    firm = FirmFactory(name="Harbourside Trust", has_advice=False, has_support=True)
    return MembershipFactory(
        firm=firm, role=Role.ADVISER, user__first_name="Dana", user__last_name="Cole"
    )


def test_refer_out_partner_accepts_and_updates(
    page: Page,
    new_page: Callable[..., Page],
    log_in: LogIn,
    live_server: LiveServer,
    member: Membership,
) -> None:
    """SPEC I12: consent, the partner's link in a fresh context, touchpoints."""
    firm, user = member.firm, member.user
    beneficiary = ContactFactory(firm=firm, first_name="Maya", last_name="Osei")
    case = make_support_case(firm, beneficiary=beneficiary, manager=user)
    make_item(case, text="Food for the family this month")
    partner = OrganisationFactory(
        firm=firm, organisation_name="Harbour Food Bank", email="help@food.example"
    )
    services.service_link(
        firm=firm, actor=user, case=case, contact=partner, role="Food bank"
    )

    log_in(page, member)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Refer to Harbour Food Bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Refer to Harbour Food Bank"
    )
    assert a11y_problems(page) == []
    page.get_by_label("Name to share").fill("Maya O.")
    page.get_by_label("Purpose the beneficiary agreed to").fill(
        "So the food bank can deliver parcels"
    )
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("alert")).to_contain_text("The referral was not sent")
    expect(page.locator("main")).to_contain_text("Choose how consent was given")
    expect(page.get_by_label("Name to share")).to_have_value("Maya O.")
    page.get_by_label("Verbal").check()
    page.get_by_role("button", name="Send referral").click()
    referrals = page.get_by_role("region", name="Referrals out", exact=True)
    expect(referrals).to_contain_text("Sent")
    expect(referrals).to_contain_text("So the food bank can deliver parcels")

    found = re.search(r"https?://\S+/partner/\S+/", str(mail.outbox[-1].body))
    assert found is not None
    path = re.sub(r"^https?://[^/]+", "", found.group(0))

    partner_page = new_page()  # a fresh browser context: no login, no cookies
    partner_page.goto(f"{live_server.url}{path}")
    expect(partner_page.get_by_role("heading", level=1)).to_have_text(
        "Referral from Harbourside Trust"
    )
    expect(partner_page.locator("main")).to_contain_text("Maya O.")
    expect(partner_page.locator("main")).not_to_contain_text("Osei")
    assert a11y_problems(partner_page) == []
    partner_page.get_by_label("A note to Harbourside Trust (optional)").fill(
        "We can deliver on Thursday."
    )
    partner_page.get_by_role("button", name="Accept referral").click()
    expect(partner_page.get_by_role("status")).to_contain_text(
        "you accepted the referral"
    )
    partner_page.get_by_label("Your update").fill("First parcel delivered.")
    partner_page.get_by_role("button", name="Send update").click()
    expect(partner_page.get_by_role("status")).to_contain_text("your update was sent")
    expect(partner_page.locator("main")).to_contain_text("First parcel delivered.")

    page.reload()
    interactions = page.get_by_role("region", name="Interactions", exact=True)
    expect(interactions).to_contain_text(
        "Referral accepted by the partner: We can deliver on Thursday."
    )
    expect(interactions).to_contain_text(
        "Update from the partner: First parcel delivered."
    )
    expect(interactions).to_contain_text("Touchpoint with Harbour Food Bank")
    referrals = page.get_by_role("region", name="Referrals out", exact=True)
    expect(referrals).to_contain_text("Accepted")
    expect(referrals).to_contain_text("First parcel delivered.")

    page.get_by_role("link", name="Handover summary").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Handover summary")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Referral to Harbour Food Bank")
    assert a11y_problems(page) == []
