"""The issue's "done" check: an owner invites a member who joins by e-mail link."""

import re

from playwright.sync_api import Page, expect

from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory


def test_invited_read_only_member_joins_and_sees_only_their_menu(
    firm, page: Page, new_page, log_in, live_server, settings, db_mail
):
    """An e-mailed invitee joins the firm and sees only the Read-only menu."""
    settings.SITE_URL = live_server.url
    owner = MembershipFactory(firm=firm, role=Role.OWNER)
    log_in(page, owner)

    sidebar = page.locator("nav#sidebar")
    sidebar.get_by_role("link", name="Members", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    page.locator(".page-header").get_by_role("link", name="Invite a member").click()
    page.get_by_label("E-mail address").fill("newbie@example.com")
    page.get_by_label("Role").select_option(label="Read-only")
    page.get_by_role("button", name="Send invitation").click()

    expect(page.locator(".messages")).to_contain_text(
        "Invitation sent to newbie@example.com."
    )
    pending = page.locator("section", has=page.locator("#pending-heading"))
    row = pending.get_by_role("row").filter(has_text="newbie@example.com")
    expect(row).to_contain_text("Read-only")

    sidebar.get_by_role("link", name="Dev mailbox").click()
    page.get_by_role("row").filter(has_text="newbie@example.com").get_by_role(
        "link"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harbour Mortgages")
    link = page.locator(".mail-body a[href*='/invitations/']").get_attribute("href")
    assert link is not None
    assert link.startswith(f"{live_server.url}/invitations/")

    invitee = new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text(
        "Join Harbour Mortgages"
    )
    invitee.get_by_label("First name").fill("Nina")
    invitee.get_by_label("Last name").fill("Newbie")
    invitee.get_by_label(re.compile(r"^Password")).fill("a-long-fresh-passphrase")
    invitee.get_by_label("Repeat password").fill("a-long-fresh-passphrase")
    invitee.get_by_role("button", name="Accept invitation").click()

    expect(invitee).to_have_url(f"{live_server.url}/")
    expect(invitee.locator(".topbar__firm")).to_contain_text("Harbour Mortgages")
    expect(invitee.locator(".messages")).to_contain_text(
        "Welcome to Harbour Mortgages."
    )
    invitee_sidebar = invitee.locator("nav#sidebar")
    expect(invitee_sidebar.get_by_role("link", name="Dashboard")).to_be_visible()
    for hidden in ("Members", "Firm details", "Audit log"):
        expect(invitee_sidebar.get_by_role("link", name=hidden)).to_have_count(0)

    stranger = new_page()
    response = stranger.goto(link)
    assert response is not None
    assert response.status == 410
    expect(stranger.get_by_role("heading", level=1)).to_contain_text(
        "already been used"
    )


def test_tampered_invitation_link_is_refused(page: Page, live_server):
    """A made-up invitation token shows "isn't valid" with a 404, not an error."""
    response = page.goto(f"{live_server.url}/invitations/not-a-real-token/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("isn't valid")
