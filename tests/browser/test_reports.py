"""The Reports pages in a browser (L2): a chart and its table, filters that
swap the results in place, the CSV download, and the phone width."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from crm.advice.choices import AdviceStatus
from crm.cases.tests.factories import make_case
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from tests.browser.a11y import a11y_problems

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def owner(db: None) -> Membership:
    """The owner of an advice firm with cases for two advisers."""
    firm = FirmFactory(name="Quayside Mortgages", has_advice=True, has_support=False)
    owner = MembershipFactory(
        firm=firm, role=Role.OWNER, user__first_name="Olive", user__last_name="Ng"
    )
    adviser = MembershipFactory(
        firm=firm, role=Role.ADVISER, user__first_name="Arun", user__last_name="Bose"
    )
    for status in (AdviceStatus.MEETING, AdviceStatus.MEETING, AdviceStatus.CALL_BACK):
        make_case(firm, owner=adviser.user, status=status)
    make_case(firm, owner=owner.user, status=AdviceStatus.MEETING)
    return owner


def test_pipeline_report_filters_in_place_and_downloads(
    page: Page, live_server: object, log_in: LogIn, owner: Membership
) -> None:
    """Open Reports from the menu, filter by adviser, download the CSV."""
    log_in(page, owner)
    page.get_by_role("link", name="Reports", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    page.get_by_role("link", name="Pipeline by stage and adviser").click()
    expect(
        page.get_by_role("img", name="Chart: Pipeline by stage and adviser")
    ).to_be_visible()
    table = page.get_by_role("table", name="Pipeline by stage and adviser")
    expect(table.locator("tfoot")).to_contain_text("4")
    assert a11y_problems(page) == []

    page.get_by_label("Adviser:", exact=True).select_option(label="Arun Bose")
    expect(page).to_have_url(re.compile(r"/reports/pipeline/\?.*owner=\d+"))
    expect(table.locator("tfoot")).to_contain_text("3")
    expect(table.locator("thead")).not_to_contain_text("Olive Ng")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    body = download.value.path().read_text(encoding="utf-8-sig")
    assert body.splitlines()[0] == "Stage,Arun Bose,Total"
    assert "Total,3,3" in body


def test_reports_fit_a_phone_without_sideways_scroll(
    page: Page, live_server: object, log_in: LogIn, owner: Membership
) -> None:
    """At 390 px the chart, filters and the page do not scroll sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, owner)
    for key in ("pipeline", "conversion", "cases"):
        page.goto(f"{live_server.url}/reports/{key}/")  # type: ignore[attr-defined]
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, key
        assert a11y_problems(page) == []
