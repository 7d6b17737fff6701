"""A charity with only the Support module finds a case from the header search.

The search box names what it finds ("clients and cases"), and a case is found
by its reference and by a fragment of its title (re-cut issue, item 2).
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.support.tests.factories import make_support_case

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    """A case manager of a charity with the Support module only."""
    firm = FirmFactory(name="Harbourside Trust", has_advice=False, has_support=True)
    return MembershipFactory(firm=firm, role=Role.ADVISER)


def test_support_only_header_search_finds_a_case_by_reference_and_title(
    page: Page, member: Membership, log_in: LogIn
) -> None:
    """Typing a reference, then a word of a title, offers the case; Enter opens it."""
    case = make_support_case(member.firm, title="Tenancy sustainment plan")
    log_in(page, member)
    page.wait_for_load_state("load")
    box = page.get_by_role("combobox", name="Search clients and cases")
    expect(box).to_have_attribute("placeholder", "Search clients, cases")
    options = page.locator("#global-search-results [role=option]")

    box.fill(case.reference)
    expect(options.first).to_contain_text(case.reference)
    box.fill("")
    expect(options).to_have_count(0)

    box.fill("sustainment")
    expect(options.first).to_contain_text("Tenancy sustainment plan")
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
