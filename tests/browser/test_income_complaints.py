"""Income and complaints pages in a real browser at 1366 and 390 px (L3, M5)."""

import datetime

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from crm.cases.tests.factories import make_case
from crm.complaints.tests.factories import make_complaint
from crm.firms.tests.factories import IntroducerFactory
from crm.income.tests.factories import make_line
from tests.browser.a11y import a11y_problems


@pytest.mark.parametrize("width", [1366, 390])
def test_income_and_complaints_pages_fit_and_pass_the_checks(
    new_page, owner, log_in, live_server: LiveServer, width
):
    """SPEC L3, M5: the Income page, a case's Income section, the complaints
    register and a complaint fit the screen (no sideways scroll) and pass the
    accessibility checks; adding income from the case page works."""
    case = make_case(
        owner.firm, owner=owner.user, introducer=IntroducerFactory(firm=owner.firm)
    )
    make_line(case, amount="495.00", received_on=datetime.date(2026, 1, 20))
    make_line(case, kind="proc_fee", amount="1100.00")
    complaint = make_complaint(owner.firm, case=case, actor=owner.user)
    page = new_page(viewport={"width": width, "height": 844})
    log_in(page, owner)
    paths = [
        "/income/",
        "/reports/income/",
        "/settings/income/",
        case.get_absolute_url(),
        "/complaints/",
        "/complaints/?tab=due",
        complaint.get_absolute_url(),
        f"/complaints/new/?case={case.pk}",
        "/",
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

    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.locator("#income summary").click()
    page.locator("#income_amount").fill("250")
    page.locator("#income_expected_on").fill("2026-08-01")
    page.get_by_role("button", name="Add income").click()
    expect(page.locator("#income")).to_contain_text("£250.00")
