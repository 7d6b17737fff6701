"""Webhooks in a browser: register an endpoint, copy its secret, test it (SPEC K3).

An owner registers an endpoint on a local receiver, copies the secret shown
once, sends a test event; the worker delivers it, signed, and the delivery
log shows it delivered. Both widths keep to the screen, and the pages pass
the accessibility checks.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from crm.core.outbox.worker import OutboxWorker
from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.webhooks.tests.receiver import Receiver
from tests.browser.a11y import a11y_problems

LogIn = Callable[[Page, Membership], None]
SHOTS = Path("/tmp/wh_shots")  # noqa: S108  # screenshots for a human to look at


@pytest.fixture
def member(db: None) -> Membership:
    firm = FirmFactory(name="Harbour Hooks", has_advice=True, has_support=False)
    return MembershipFactory(firm=firm, role=Role.OWNER)


@pytest.fixture
def receiver(settings: pytest.FixtureRequest) -> Iterator[Receiver]:
    settings.WEBHOOKS_ALLOW_LOCALHOST = True  # type: ignore[attr-defined]  # pytest-django's settings
    receiver = Receiver(secret="")
    receiver.start()
    yield receiver
    receiver.stop()


def _fits(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert a11y_problems(page) == []


def test_register_test_and_read_the_log(
    page: Page,
    member: Membership,
    log_in: LogIn,
    live_server: LiveServer,
    receiver: Receiver,
) -> None:
    """SPEC K3: register, secret once, test event delivered and logged."""
    SHOTS.mkdir(exist_ok=True)
    log_in(page, member)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/settings/webhooks/")
    expect(page.get_by_text("No endpoints yet")).to_be_visible()
    page.get_by_label("Name").fill("Case tracker")
    page.get_by_label("URL").fill("http://10.0.0.8/hooks")
    page.get_by_label("Case created").check()
    page.get_by_role("button", name="Register endpoint").click()
    expect(page.locator(".errorlist, .field-error").first).to_contain_text(
        "Plain http:// is allowed only to localhost"
    )
    page.get_by_label("URL").fill(receiver.url)
    page.get_by_role("button", name="Register endpoint").click()
    secret = page.locator("#endpoint-secret").input_value()
    assert secret.startswith("whsec_")
    receiver.seen.secret = secret
    _fits(page, 1366)
    page.screenshot(path=str(SHOTS / "list-1366.png"), full_page=True)
    _fits(page, 390)
    page.screenshot(path=str(SHOTS / "list-390.png"), full_page=True)

    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("link", name="Case tracker").click()
    expect(page.get_by_text("Nothing sent yet")).to_be_visible()
    page.get_by_role("button", name="Send test event").click()
    expect(page.get_by_text("A test event is on its way")).to_be_visible()
    assert OutboxWorker(idle_sleep=0).run_once() == 1
    page.reload()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Test event")
    expect(row).to_contain_text("Delivered")
    expect(row).to_contain_text("200")
    assert len(receiver.seen.handled) == 1
    assert receiver.seen.bad_signatures == 0
    _fits(page, 1366)
    page.screenshot(path=str(SHOTS / "detail-1366.png"), full_page=True)
    _fits(page, 390)
    page.screenshot(path=str(SHOTS / "detail-390.png"), full_page=True)
