"""Seed 000 walked at phone width (390 px): the New Case wizard and Invite client.

Rough edges found walking the seed on the demo data, each checked here: the
new client's fieldset ran past its card, the "create a new client anyway"
box sat under its label, a long e-mail address stretched the duplicate
warning and the Invite client legend, and the focus ring of the Invite
client heading covered the "Step 6 of 6" line above it.
"""

from playwright.sync_api import Locator, Page, expect

from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Perm, Role
from crm.firms.tests.factories import FirmFactory, MembershipFactory

LONG_EMAIL = "wanda.okonkwo-fitzwilliam.family@example-longdomain.co.uk"


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return {
        "x": box["x"],
        "y": box["y"],
        "width": box["width"],
        "height": box["height"],
    }


def _inside(inner: Locator, outer: Locator) -> bool:
    a, b = _box(inner), _box(outer)
    return a["x"] >= b["x"] and a["x"] + a["width"] <= b["x"] + b["width"] + 0.5


def _next(page: Page, heading: str) -> None:
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#step-heading")).to_contain_text(heading)
    page.wait_for_load_state("load")


def test_wizard_and_invite_step_fit_a_phone(new_page, log_in, live_server):
    """E1-E9 at 390 px: fields stay in their cards, boxes beside labels, no overlap."""
    firm = FirmFactory(has_advice=True)
    adviser = MembershipFactory(firm=firm, role=Role.ADVISER)
    assert adviser.has_perm(Perm.ACTION_LOG)
    ContactFactory(
        firm=firm, first_name="Dennis", last_name="Archer", mobile="07700900123"
    )
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, adviser)
    page.goto(f"{live_server.url}/cases/new/?restart=1")
    page.get_by_role("radio", name="Residential", exact=True).check()
    offer = page.get_by_role("checkbox", name="Offer Qualified")
    label = page.locator("label", has_text="Offer Qualified")
    assert _box(offer)["x"] < _box(label)["x"]
    _next(page, "Main applicant")

    page.get_by_role("radio", name="New client").check()
    page.get_by_label("First name").fill("Wanda")
    page.get_by_label("Last name").fill("Okonkwo-Fitzwilliam")
    page.get_by_label("E-mail").fill(LONG_EMAIL)
    page.get_by_label("Mobile").fill("07700 900123")
    page.get_by_role("button", name="Next").click()
    warning = page.locator(".alert--warning")
    expect(warning).to_contain_text("Dennis Archer")
    card = page.locator("#wizard-form")
    fieldset = page.locator("fieldset", has=page.get_by_label("First name"))
    assert _inside(fieldset, card)
    for item in warning.locator("li").all():
        assert _inside(item, warning)
    anyway = page.get_by_role("checkbox", name="This is a different person")
    anyway_label = page.locator("label", has_text="This is a different person")
    assert _box(anyway)["x"] < _box(anyway_label)["x"]
    anyway.check()
    _next(page, "Introducer")
    _next(page, "Adviser")
    page.get_by_role("button", name="Create Case").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Invite client")
    expect(heading).to_be_focused()
    step = page.locator(".page-header p", has_text="Step 6 of 6")
    # Room for the 3 px focus outline at a 4 px offset.
    assert _box(heading)["y"] - (_box(step)["y"] + _box(step)["height"]) >= 7
    legend = page.locator(".invite-client legend")
    expect(legend).to_have_text("Wanda Okonkwo-Fitzwilliam")
    expect(page.locator(".invite-client")).to_contain_text(f"To {LONG_EMAIL}")
    assert _inside(
        page.locator(".invite-client__email"), page.locator(".invite-client")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_single_checkbox_sits_before_its_label_in_a_plain_form(
    new_page, log_in, live_server
):
    """The firm settings form draws its fields straight into the form (no wrapper
    div): each box still comes first, on its label's line."""
    firm = FirmFactory(has_advice=True)
    owner = MembershipFactory(firm=firm, role=Role.OWNER)
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, owner)
    page.goto(f"{live_server.url}/settings/firm/")
    for field in ("has_advice", "has_support", "require_two_factor"):
        box_at = _box(page.locator(f"#id_{field}"))
        label_at = _box(page.locator(f"label[for='id_{field}']"))
        assert box_at["x"] < label_at["x"]
        assert abs(box_at["y"] - label_at["y"]) < label_at["height"]
