"""Two-factor sign-in in a real browser (issue 20 item 8, SPEC A9).

A member sets up an authenticator from the account menu and signs in with
its code (computed here from the device's key, as the app would); a firm that
requires it sends a member without one to set-up and nowhere else.
"""

import base64
import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from crm.firms.choices import Role
from crm.firms.tests.factories import DEFAULT_PASSWORD, MembershipFactory


def _errors(page: Page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def _password(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_member_sets_up_two_factor_and_signs_in_with_a_code(
    firm, page: Page, log_in, live_server
):
    """Set up from the account menu, see recovery codes, sign in with the code."""
    errors = _errors(page)
    member = MembershipFactory(firm=firm, role=Role.ADVISER)
    log_in(page, member)

    page.locator(".usermenu summary").click()
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.locator(".two-factor__qr svg")).to_be_visible()

    # Typed in by hand, as a member without a camera would.
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("unused recovery codes")).to_be_visible()

    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Log out").click()
    _password(page, live_server.url, member.user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    expect(page.locator(".topbar__firm")).to_have_count(0)

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".form")).to_contain_text("That code is not right")

    device = TOTPDevice.objects.get(user=member.user, confirmed=True)
    # The code used at set-up is spent; the app's next one is accepted.
    code = totp(device.bin_key, device.step, device.t0, device.digits, 1)
    page.get_by_label("Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".topbar__firm")).to_contain_text(firm.name)
    assert errors == []


def test_a_firm_that_requires_it_sends_a_member_to_set_up_and_nowhere_else(
    firm, page: Page, live_server
):
    """Every page leads to set-up until it is done; logging out still works."""
    firm.require_two_factor = True
    firm.save(update_fields=["require_two_factor"])
    member = MembershipFactory(firm=firm, role=Role.OWNER)
    _password(page, live_server.url, member.user.email)
    setup = re.compile(r"/account/two-factor/set-up/$")
    expect(page).to_have_url(setup)
    expect(page.get_by_role("alert").or_(page.get_by_role("status"))).to_contain_text(
        "requires two-factor sign-in"
    )
    for path in ("/", "/cases/", "/settings/members/", "/settings/firm/", "/tasks/"):
        page.goto(f"{live_server.url}{path}")
        expect(page).to_have_url(setup)
    # No menus or search lead anywhere else.
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    expect(page.get_by_role("searchbox")).to_have_count(0)
    page.locator("#logout-form").get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
