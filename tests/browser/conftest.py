"""Browser tests: Playwright driving Debian's headless Chromium at a live server.

Every test collected here is marked ``browser`` and put in the ``browser``
xdist group. (pytest-xdist 3.8 under pytest 9.2 ignores groups, so each worker
starts its own Chromium; the tests pass either way.)
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from crm.firms.models import Membership
from crm.firms.tests.factories import DEFAULT_PASSWORD

# Playwright's sync API runs an event loop in the test thread; without this,
# Django refuses the ORM calls that factories make in the same thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# Generous: two xdist workers, the live server and Chromium share two cores.
TIMEOUT_MS = 20_000
HERE = Path(__file__).parent

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests in this folder before xdist reads the group marker."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Start headless Chromium once per test session (or xdist worker)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Return a function that opens a page in a fresh context (a new person)."""
    contexts = []

    def make(**context_options: Any) -> Page:
        context = browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """Return a page in its own browser context, closed after the test."""
    return new_page()


@pytest.fixture
def log_in(live_server: LiveServer) -> Callable[[Page, Membership], None]:
    """Return a function that logs a member in through the real login form."""

    def submit(page: Page, membership: Membership) -> None:
        page.goto(f"{live_server.url}/login/")
        page.locator("input[name=username]").fill(membership.user.email)
        page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".topbar__firm")).to_be_visible()

    return submit
