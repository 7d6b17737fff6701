"""Issue 5's "Done means" for the New Case wizard, walked in a browser.

A new Adviser of a fresh firm creates mortgage (single and joint) and
protection cases, is refused the same client twice, goes Back and reloads,
finds their choices pre-filled the second time, and converts a lead.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Perm, Role
from crm.firms.models import Introducer, IntroducerBranch, Membership, Negotiator
from crm.firms.tests.factories import (
    FirmFactory,
    IntroducerBranchFactory,
    IntroducerFactory,
    MembershipFactory,
    NegotiatorFactory,
)
from crm.leads.choices import LeadStatus
from crm.leads.tests.factories import LeadFactory

LogIn = Callable[[Page, Membership], None]


@pytest.fixture
def member(db: None) -> Membership:
    """An Adviser (who may edit cases) of a fresh advice firm, without the
    action log permission, so Create Case ends on the confirmation screen."""
    firm = FirmFactory(name="Lighthouse Mortgages", has_advice=True)
    membership = MembershipFactory(
        firm=firm, role=Role.ADVISER, revoked=[Perm.ACTION_LOG.value]
    )
    assert membership.has_perm(Perm.EDIT_CASES)
    assert not membership.has_perm(Perm.ACTION_LOG)
    return membership


def _ready(page: Page) -> None:
    """Wait until the page's scripts (htmx, comboboxes) are set up."""
    page.wait_for_load_state("load")


def _expect_step(page: Page, number: int, title: str) -> None:
    expect(page.locator("#step-heading")).to_have_text(f"Step {number} of 5: {title}")
    _ready(page)


def _next(page: Page) -> None:
    page.get_by_role("button", name="Next").click()


def _back(page: Page) -> None:
    page.get_by_role("button", name="Back").click()


def _radio(page: Page, name: str) -> Locator:
    return page.get_by_role("radio", name=name, exact=True)


def _open_wizard(page: Page, number: int = 1, title: str = "Product") -> None:
    """Open the wizard with the header's + New Case button; expect that step."""
    page.locator(".topbar__new").click()
    _expect_step(page, number, title)


def _pick(page: Page, contact: Contact, typed: str) -> None:
    """Pick ``contact`` with the picker: type, ArrowDown, Enter."""
    search = page.get_by_role("combobox", name="Search clients", exact=True)
    options = page.locator("#contact-options [role=option]")
    search.fill(typed)
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text(contact.display_name)
    search.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    expect(page.locator("input[name=contact]")).to_have_value(str(contact.pk))
    expect(page.locator("[data-combobox-selected]")).to_contain_text(
        contact.display_name
    )


def _new_client(page: Page, first: str, last: str, email: str) -> None:
    _radio(page, "New client").check()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("E-mail").fill(email)


@dataclass
class Chain:
    """The introducer, branch and negotiator a test chooses."""

    introducer: Introducer
    branch: IntroducerBranch
    negotiator: Negotiator


def _choose_chain(page: Page, chain: Chain) -> None:
    page.locator("#id_introducer").select_option(str(chain.introducer.pk))
    page.locator("#id_introducer_branch").select_option(str(chain.branch.pk))
    page.locator("#id_negotiator").select_option(str(chain.negotiator.pk))


def _create(page: Page) -> None:
    page.get_by_role("button", name="Create Case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case created")


@pytest.fixture
def chain(member: Membership) -> Chain:
    """Two introducers; the first with two branches, each with negotiators."""
    firm = member.firm
    agent = IntroducerFactory(firm=firm, name="Acorn Estates")
    other = IntroducerFactory(firm=firm, name="Birch Homes")
    high_street = IntroducerBranchFactory(introducer=agent, name="High Street")
    station_road = IntroducerBranchFactory(introducer=agent, name="Station Road")
    IntroducerBranchFactory(introducer=other, name="Birch Central")
    nina = NegotiatorFactory(branch=high_street, name="Nina North")
    NegotiatorFactory(branch=high_street, name="Sam South")
    NegotiatorFactory(branch=station_road, name="Eve East")
    return Chain(introducer=agent, branch=high_street, negotiator=nina)


def test_mortgage_single_with_new_client(
    page: Page, member: Membership, log_in: LogIn
) -> None:
    """+ New Case → mortgage, single, new client → MTG-00001 with that client."""
    log_in(page, member)
    _ready(page)
    _open_wizard(page)
    expect(_radio(page, "Mortgages")).to_be_checked()
    _radio(page, "Residential").check()
    _radio(page, "Single").check()
    _next(page)

    _expect_step(page, 2, "Main applicant")
    _new_client(page, "Grace", "Hopper", "grace@example.com")
    page.get_by_label("Mobile").fill("07700 900456")
    _next(page)

    _expect_step(page, 4, "Introducer")
    _next(page)
    _expect_step(page, 5, "Adviser & status")
    expect(page.locator("#id_owner")).to_have_value(str(member.user_id))
    _radio(page, "Call Back").check()
    _create(page)

    expect(page.locator("#done-heading")).to_contain_text("MTG-00001")
    expect(page.get_by_role("link", name="Grace Hopper")).to_be_visible()
    case = Case.objects.get(firm=member.firm)
    assert case.reference == "MTG-00001"
    assert case.kind == AdviceKind.MORTGAGE
    assert case.status == AdviceStatus.CALL_BACK
    assert case.owner_id == member.user_id
    assert not case.is_joint
    grace = Contact.objects.get(firm=member.firm)
    assert (grace.first_name, grace.last_name) == ("Grace", "Hopper")
    assert grace.email == "grace@example.com"
    assert [a.contact_id for a in case.applicants.all()] == [grace.pk]


def test_mortgage_joint_with_two_existing_clients_and_introducer_chain(
    page: Page,
    member: Membership,
    chain: Chain,
    log_in: LogIn,
) -> None:
    """Joint mortgage: two picked clients; introducer → branch → negotiator filter."""
    firm = member.firm
    ada = ContactFactory(firm=firm, first_name="Ada", last_name="Lovelace")
    charles = ContactFactory(firm=firm, first_name="Charles", last_name="Babbage")
    log_in(page, member)
    _ready(page)
    _open_wizard(page)
    _radio(page, "Buy To Let").check()
    _radio(page, "Joint").check()
    _next(page)

    _expect_step(page, 2, "Main applicant")
    _pick(page, ada, "lovel")
    _next(page)
    _expect_step(page, 3, "Joint applicant")
    _pick(page, charles, "babb")
    _next(page)

    _expect_step(page, 4, "Introducer")
    branch = page.locator("#id_introducer_branch")
    negotiator = page.locator("#id_negotiator")
    expect(branch.locator("option")).to_have_count(1)
    page.locator("#id_introducer").select_option(label="Acorn Estates")
    expect(branch.locator("option")).to_have_text(
        ["None", "High Street", "Station Road"]
    )
    branch.select_option(label="High Street")
    expect(negotiator.locator("option")).to_have_text(
        ["None", "Nina North", "Sam South"]
    )
    negotiator.select_option(label="Nina North")
    _next(page)

    _expect_step(page, 5, "Adviser & status")
    _create(page)
    expect(page.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(page.get_by_role("link", name="Charles Babbage")).to_be_visible()

    case = Case.objects.get(firm=firm)
    assert case.reference == "MTG-00001"
    assert case.is_joint
    assert [a.contact_id for a in case.applicants.order_by("position")] == [
        ada.pk,
        charles.pk,
    ]
    assert case.introducer == chain.introducer
    assert case.introducer_branch == chain.branch
    assert case.negotiator == chain.negotiator
    assert case.mortgage.mortgage_type == "buy_to_let"
    assert Contact.objects.filter(firm=firm).count() == 2


def test_protection_hides_mortgage_only_fields(
    page: Page, member: Membership, log_in: LogIn
) -> None:
    """Choosing Protection hides Offer Qualified and the mortgage type; PRO-00001."""
    ada = ContactFactory(firm=member.firm, first_name="Ada", last_name="Lovelace")
    log_in(page, member)
    _ready(page)
    _open_wizard(page)
    expect(page.get_by_label("Offer Qualified")).to_be_visible()
    expect(_radio(page, "Residential")).to_be_visible()

    _radio(page, "Protection").check()
    expect(page.get_by_label("Offer Qualified")).to_have_count(0)
    expect(_radio(page, "Residential")).to_have_count(0)
    expect(_radio(page, "Buy To Let")).to_have_count(0)
    expect(_radio(page, "Protection")).to_be_checked()
    _radio(page, "Single").check()
    _next(page)

    _expect_step(page, 2, "Main applicant")
    _pick(page, ada, "ada")
    _next(page)
    _expect_step(page, 4, "Introducer")
    _next(page)
    _expect_step(page, 5, "Adviser & status")
    _create(page)

    expect(page.locator("#done-heading")).to_contain_text("PRO-00001")
    case = Case.objects.get(firm=member.firm)
    assert (case.reference, case.kind) == ("PRO-00001", AdviceKind.PROTECTION)


def test_same_client_as_joint_applicant_is_refused(
    page: Page, member: Membership, log_in: LogIn
) -> None:
    """Picking the main applicant again as joint applicant shows a message."""
    ada = ContactFactory(firm=member.firm, first_name="Ada", last_name="Lovelace")
    log_in(page, member)
    _ready(page)
    _open_wizard(page)
    _radio(page, "Residential").check()
    _radio(page, "Joint").check()
    _next(page)
    _expect_step(page, 2, "Main applicant")
    _pick(page, ada, "lovel")
    _next(page)
    _expect_step(page, 3, "Joint applicant")
    _pick(page, ada, "lovel")
    _next(page)

    _expect_step(page, 3, "Joint applicant")
    expect(
        page.get_by_text(
            "The joint applicant must be a different person from the main applicant."
        )
    ).to_be_visible()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert not Case.objects.filter(firm=member.firm).exists()


def test_back_and_reload_keep_input(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    """Back shows what was typed; a reload or reopening keeps the draft."""
    log_in(page, member)
    _ready(page)
    _open_wizard(page)
    _radio(page, "Buy To Let").check()
    page.get_by_label("Note").fill("Call after 5pm")
    _next(page)

    _expect_step(page, 2, "Main applicant")
    _new_client(page, "Grace", "Hopper", "grace@example.com")
    _next(page)
    _expect_step(page, 4, "Introducer")

    _back(page)
    _expect_step(page, 2, "Main applicant")
    expect(_radio(page, "New client")).to_be_checked()
    expect(page.get_by_label("First name")).to_have_value("Grace")
    expect(page.get_by_label("Last name")).to_have_value("Hopper")
    expect(page.get_by_label("E-mail")).to_have_value("grace@example.com")

    _back(page)
    _expect_step(page, 1, "Product")
    expect(_radio(page, "Buy To Let")).to_be_checked()
    expect(page.get_by_label("Note")).to_have_value("Call after 5pm")

    page.reload()
    _expect_step(page, 1, "Product")
    expect(_radio(page, "Buy To Let")).to_be_checked()
    expect(page.get_by_label("Note")).to_have_value("Call after 5pm")

    _next(page)
    _expect_step(page, 2, "Main applicant")
    page.reload()
    _expect_step(page, 2, "Main applicant")
    expect(page.get_by_label("First name")).to_have_value("Grace")

    # Leaving and coming back through + New Case offers to continue the draft.
    page.goto(f"{live_server.url}/")
    _ready(page)
    page.locator(".topbar__new").click()
    expect(page.locator("main")).to_contain_text("Step 2: Main applicant")
    page.get_by_role("link", name="Continue").click()
    _expect_step(page, 2, "Main applicant")
    expect(page.get_by_label("E-mail")).to_have_value("grace@example.com")
    assert not Case.objects.filter(firm=member.firm).exists()
    assert not Contact.objects.filter(firm=member.firm).exists()


def test_second_case_prefills_adviser_and_introducer(
    page: Page,
    member: Membership,
    chain: Chain,
    log_in: LogIn,
) -> None:
    """The adviser, introducer chain and follow-up chosen once are pre-filled next."""
    colleague = MembershipFactory(firm=member.firm, role=Role.ADVISER)
    follow_up = timezone.localdate() + timedelta(days=2)
    log_in(page, member)
    _ready(page)

    for run, (first, email) in enumerate(
        [("Grace", "grace@example.com"), ("Alan", "alan@example.com")], start=1
    ):
        _open_wizard(page)
        _radio(page, "Residential").check()
        _next(page)
        _expect_step(page, 2, "Main applicant")
        _new_client(page, first, "Client", email)
        _next(page)
        _expect_step(page, 4, "Introducer")
        if run == 1:
            _choose_chain(page, chain)
        else:
            expect(page.locator("#id_introducer")).to_have_value(
                str(chain.introducer.pk)
            )
            expect(page.locator("#id_introducer_branch")).to_have_value(
                str(chain.branch.pk)
            )
            expect(page.locator("#id_negotiator")).to_have_value(
                str(chain.negotiator.pk)
            )
        _next(page)
        _expect_step(page, 5, "Adviser & status")
        owner = page.locator("#id_owner")
        follow = page.locator("#id_follow_up_date")
        if run == 1:
            expect(owner).to_have_value(str(member.user_id))
            owner.select_option(str(colleague.user_id))
            follow.fill(follow_up.isoformat())
        else:
            expect(owner).to_have_value(str(colleague.user_id))
            expect(follow).to_have_value(follow_up.isoformat())
        _create(page)

    second = Case.objects.get(firm=member.firm, reference="MTG-00002")
    assert second.owner_id == colleague.user_id
    assert second.negotiator == chain.negotiator
    assert second.follow_up_date == follow_up


def test_converting_a_lead(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    """Add New Case on a lead skips the client; the lead then shows Converted and
    keeps Add New Case for the client's next need (C3)."""
    ada = ContactFactory(firm=member.firm, first_name="Ada", last_name="Lovelace")
    lead = LeadFactory(contact=ada, owner=member.user)
    log_in(page, member)
    page.goto(f"{live_server.url}{lead.get_absolute_url()}")
    _ready(page)
    page.get_by_role("link", name="Add New Case").click()

    _expect_step(page, 1, "Product")
    _radio(page, "Residential").check()
    _next(page)
    _expect_step(page, 4, "Introducer")
    _next(page)
    _expect_step(page, 5, "Adviser & status")
    _create(page)

    case = Case.objects.get(firm=member.firm)
    assert case.lead_id == lead.pk
    assert [a.contact_id for a in case.applicants.all()] == [ada.pk]
    expect(page.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    page.get_by_role("link", name=f"Lead #{lead.pk}").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")
    expect(page.locator(".page-header .badge")).to_have_text("Converted")
    cases = page.locator("section[aria-labelledby=cases-heading]")
    expect(cases.get_by_role("link", name=case.reference)).to_have_attribute(
        "href", case.get_absolute_url()
    )
    expect(page.get_by_role("link", name="Add New Case")).to_be_visible()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
