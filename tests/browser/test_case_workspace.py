"""The advice case as an adviser's workspace, in a real browser (issue 13).

A joint case's own tasks, interactions and notes; the Mortgages board's drag
and keyboard moves; Completed's confirmation and its one Remortgage case.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.advice.choices import AdviceStatus
from crm.advice.models import MortgageDetails
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import (
    FirmFactory,
    InteractionTypeFactory,
    MembershipFactory,
)

LogIn = Callable[[Page, Membership], None]
S = AdviceStatus


@pytest.fixture
def member(db: None) -> Membership:
    """The owner of a fresh advice firm."""
    firm = FirmFactory(name="Quayside Mortgages", has_advice=True)
    InteractionTypeFactory(firm=firm, name="Phone call")
    return MembershipFactory(firm=firm, role=Role.OWNER)


def test_joint_case_activity_shows_on_the_case_and_both_records(
    page: Page, member: Membership, log_in: LogIn, live_server: LiveServer
) -> None:
    """A task, an interaction and a note on a joint case show on it, in its
    History and on both applicants' records, and not on the client's other case."""
    firm = member.firm
    ada = ContactFactory(firm=firm, first_name="Ada", last_name="Byron")
    mary = ContactFactory(firm=firm, first_name="Mary", last_name="Somerville")
    case = make_case(firm, applicants=[ada, mary], owner=member.user)
    other = make_case(firm, applicants=[ada])
    log_in(page, member)
    case_url = live_server.url + case.get_absolute_url()

    page.goto(case_url)
    page.get_by_role("link", name=f"Add task on {case.reference}").click()
    page.get_by_label("Title").fill("Chase payslips")
    page.get_by_role("button", name="Add task").click()
    expect(page).to_have_url(case_url)

    page.get_by_role("link", name=f"Log interaction on {case.reference}").click()
    page.get_by_label("Type").select_option(label="Phone call")
    page.get_by_label("Notes").fill("Talked through the DIP")
    page.get_by_role("button", name="Save interaction").click()
    expect(page).to_have_url(case_url)

    page.get_by_role("link", name=f"Add note on {case.reference}").click()
    page.get_by_label("Note").fill("Prefers e-mail")
    page.get_by_role("button", name="Save note").click()
    expect(page).to_have_url(case_url)

    tasks = page.locator("section[aria-labelledby=case-tasks-heading]")
    expect(tasks).to_contain_text("Chase payslips")
    activity = page.locator("section[aria-labelledby=case-interactions-heading]")
    expect(activity).to_contain_text("Talked through the DIP")
    expect(activity).to_contain_text("Prefers e-mail")
    history = page.locator("section[aria-labelledby=history-heading]")
    expect(history).to_contain_text("Task added: Chase payslips")
    expect(history).to_contain_text("Phone call logged")
    expect(history).to_contain_text("Note logged")

    for client in (ada, mary):
        page.goto(live_server.url + client.get_absolute_url())
        main = page.locator("main")
        expect(main).to_contain_text("Chase payslips")
        expect(main).to_contain_text("Talked through the DIP")
        expect(main).to_contain_text("Prefers e-mail")
        expect(
            main.get_by_role("link", name=f"On {case.reference}").first
        ).to_be_visible()

    page.goto(live_server.url + other.get_absolute_url())
    main = page.locator("main")
    expect(main).to_contain_text("No tasks on this case yet.")
    expect(main).not_to_contain_text("Chase payslips")
    expect(main).not_to_contain_text("Prefers e-mail")


def test_board_moves_by_drag_and_keyboard_and_completes_once(
    new_page: Callable[..., Page],
    member: Membership,
    log_in: LogIn,
    live_server: LiveServer,
) -> None:
    """Drag to Offer, move on by keyboard, confirm Completed: one Remortgage case,
    linked both ways; reopening and completing again opens no second one."""
    page = new_page(viewport={"width": 1366, "height": 2400})
    firm = member.firm
    case = make_case(firm, status=S.VALUATION_RECEIVED, owner=member.user)
    MortgageDetails.objects.filter(case=case).update(
        product_end_date="2031-04-30", completion_date="2026-04-01"
    )
    log_in(page, member)
    board = live_server.url + reverse("advice:mortgage_board")
    page.goto(board)
    card = page.locator(f"#case-card-{case.pk}")
    page.drag_and_drop(f"#case-card-{case.pk}", "[data-drop-status=offer_received]")
    expect(page.locator("[data-drop-status=offer_received]")).to_contain_text(
        case.reference
    )
    expect(page.locator("#board-status")).to_contain_text("moved to Offer Received")

    select = card.get_by_label(f"Move {case.reference} to")
    select.select_option(label="Post Offer Processing")
    card.get_by_role("button", name=f"Move {case.reference}").press("Enter")
    expect(page.locator("[data-drop-status=post_offer_processing]")).to_contain_text(
        case.reference
    )
    expect(card).to_be_focused()

    card.get_by_label(f"Move {case.reference} to").select_option(label="Completed")
    card.get_by_role("button", name=f"Move {case.reference}").press("Enter")
    confirm = page.locator("#move-confirm")
    expect(confirm).to_be_focused()
    expect(confirm).to_contain_text(f"Move {case.reference} to Completed?")
    expect(confirm).to_contain_text("1 Apr 2026")
    expect(confirm).to_contain_text("30 Apr 2031")
    expect(confirm).to_contain_text("A new Remortgage case opens")
    confirm.get_by_role("button", name="Move to Completed").click()
    expect(page.locator("[data-drop-status=completed]")).to_contain_text(case.reference)
    review = Case.objects.get(firm=firm, status=S.REMORTGAGE)
    expect(page.locator("[data-drop-status=remortgage]")).to_contain_text(
        review.reference
    )

    page.goto(live_server.url + case.get_absolute_url())
    page.get_by_role("link", name=review.reference).first.click()
    expect(page.locator("main")).to_contain_text(
        f"Remortgage review of {case.reference}"
    )
    page.goto(live_server.url + case.get_absolute_url())
    page.locator("summary", has_text="Reopen").click()
    page.get_by_label("Reopen at").select_option(label="Contracts Exchanged")
    page.get_by_label("Why is the case being reopened?").fill("Completion fell through")
    page.get_by_role("button", name="Reopen case").click()
    page.get_by_role("button", name="Completed", exact=True).click()
    expect(page.locator("main")).to_contain_text(
        f"{review.reference} was opened when this case first completed"
    )
    page.get_by_role("button", name="Move to Completed").click()
    expect(page.locator("main")).to_contain_text("moved to Completed")
    assert Case.objects.filter(firm=firm, status=S.REMORTGAGE).count() == 1
