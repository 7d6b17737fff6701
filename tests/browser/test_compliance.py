"""Data protection pages in a browser (SPEC M1-M4): the client's consents on
their record, a subject access archive prepared and downloaded, an erasure
refused inside retention, and the retention settings at phone width."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from crm.cases.tests.factories import make_case
from crm.compliance.tests.helpers import close
from crm.contacts import services as contact_services
from crm.contacts.choices import ConsentKind, ConsentSource
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from tests.browser.a11y import a11y_problems

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def owner(db: None) -> Membership:
    """The owner of an advice firm."""
    firm = FirmFactory(name="Quayside Mortgages", has_advice=True, has_support=False)
    return MembershipFactory(firm=firm, role=Role.OWNER)


def test_archive_is_prepared_and_downloaded_from_the_client_record(
    page: Page, live_server: object, log_in: LogIn, owner: Membership
) -> None:
    """SPEC M2/M4: consents on the record, then an archive ready to download."""
    contact = ContactFactory(firm=owner.firm, first_name="Ada", last_name="Lovell")
    contact_services.consent_record(
        firm=owner.firm,
        actor=owner.user,
        contact=contact,
        kind=ConsentKind.MARKETING,
        given=True,
        text_version="marketing-2026-01",
        source=ConsentSource.STAFF,
    )
    log_in(page, owner)
    page.goto(f"{live_server.url}/clients/{contact.pk}/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Consents")).to_be_visible()
    page.get_by_role("link", name="Consent history and data protection").click()
    expect(page.get_by_role("cell", name="marketing-2026-01")).to_be_visible()
    assert a11y_problems(page) == []
    page.get_by_role("button", name="Prepare an archive").click()
    link = page.get_by_role("link", name="Download the archive")
    expect(link).to_be_visible()
    assert a11y_problems(page) == []
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"subject-access-{contact.pk}.zip"


def test_erasure_inside_retention_names_the_end_date_at_phone_width(
    new_page: Callable[..., Page], live_server: object, log_in: LogIn, owner: Membership
) -> None:
    """SPEC M1/M3: the refusal is shown with its date; no sideways scroll."""
    page = new_page(viewport={"width": 390, "height": 800})
    case = close(make_case(owner.firm), years_ago=1)
    contact = case.applicants.get().contact
    log_in(page, owner)
    page.goto(f"{live_server.url}/clients/{contact.pk}/erase/")  # type: ignore[attr-defined]
    expect(page.get_by_role("alert")).to_contain_text("must be kept until")
    assert a11y_problems(page) == []
    page.goto(f"{live_server.url}/settings/retention/")  # type: ignore[attr-defined]
    expect(page.get_by_label("Mortgage (years)")).to_have_value("3")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert a11y_problems(page) == []
