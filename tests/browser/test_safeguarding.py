"""The stale-case alert in a browser (issue 18 item 5, SPEC I14).

A High concern case has no interaction; the clock moves forward eight days
(time-machine), the scheduled job runs as a worker would run it, and the case
manager finds the alert on the dashboard and follows it to the case, whose
concern trend is drawn.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.support import services
from crm.support.tests.factories import make_support_case
from tests.browser.a11y import a11y_problems

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    """A case manager of a charity with the stale-case alert at 7 days."""
    firm = FirmFactory(name="Harbourside Trust", has_advice=False, has_support=True)
    return MembershipFactory(
        firm=firm, role=Role.ADVISER, user__first_name="Dana", user__last_name="Cole"
    )


def test_stale_case_alert_appears_after_the_job_runs(
    page: Page, live_server: object, log_in: LogIn, member: Membership
) -> None:
    """SPEC I14: eight days on, the job raises the alert; the dashboard shows it."""
    firm, user = member.firm, member.user
    person = ContactFactory(firm=firm, first_name="Jordan", last_name="Price")
    case = make_support_case(
        firm, manager=user, beneficiary=person, title="Safe housing"
    )
    services.concern_change(
        firm=firm, actor=user, case=case, level="high", reason="Disclosed abuse"
    )
    log_in(page, member)
    expect(page.get_by_role("heading", name="Cases out of touch")).to_be_visible()
    tile = page.locator("#stale-cases")
    expect(tile).not_to_contain_text(case.reference)

    with time_machine.travel(timezone.now() + timedelta(days=8), tick=True):
        call_command("run_periodic", "support.stale_cases")
        log_in(page, member)  # the session of eight days ago has expired
        expect(tile).to_contain_text(case.reference)
        expect(tile).to_contain_text("1 High or Urgent case with no interaction")
        assert a11y_problems(page) == []
        tile.get_by_role("link", name=case.reference).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
        trend = page.get_by_role("img", name="Concern level over time")
        expect(trend).to_be_visible()
