"""Every kind of page runs under the Content-Security-Policy without a violation.

On the demo data, each person walks the links they can see and opens one page
per route (the staff pages of an advice firm and of a charity, the client
portal, the public pages, the error pages). Chromium reports each refused
script, style or request on the console; any such report fails the test, as
does an uncaught script error.
"""

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from csp.utils import build_policy
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

DEMO_PASSWORD = "casework-demo"
# Each route once; a cap keeps the walk bounded as the app grows.
MAX_PAGES = 90
# Links that would end the session, start a download or change data on GET.
SKIP_ROUTES = ("logout", "download", "export")
# Also reports violations whose console wording a Chromium release may change.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


class Problems:
    """Collect CSP reports and uncaught errors from a page, with its address."""

    def __init__(self, page: Page) -> None:
        self.found: list[str] = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", lambda msg: self._console(page, msg.type, msg.text))
        page.on("pageerror", lambda exc: self.found.append(f"{page.url}: {exc}"))

    def _console(self, page: Page, kind: str, text: str) -> None:
        if kind == "error" and (
            "Content Security Policy" in text or text.startswith("CSP violation")
        ):
            self.found.append(f"{page.url}: {text}")


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("seed_demo", stdout=StringIO())


def _route(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _walk(page: Page, base: str, start: str) -> list[str]:
    """Open one page per route reachable by links from ``start``; return routes."""
    queue, routes = [start], list[str]()
    while queue and len(routes) < MAX_PAGES:
        parts = urlsplit(queue.pop(0))
        route = _route(parts.path)
        if route is None or route in routes or any(s in route for s in SKIP_ROUTES):
            continue
        routes.append(route)
        # The load event is enough: no page fetches a fragment on load, and the
        # next call below is a round trip that collects the page's reports
        # (test_a_walk_without_waiting_for_idle_still_sees_a_violation).
        page.goto(f"{base}{parts.path}{'?' + parts.query if parts.query else ''}")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        own = urlsplit(base).netloc
        queue.extend(href for href in hrefs if urlsplit(href).netloc == own)
    return routes


def _log_in(page: Page, base: str, path: str, email: str) -> None:
    page.goto(f"{base}{path}")
    page.locator("input[name=username], input[name=email]").first.fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(
    ("email", "must_see"),
    [
        ("helen.carter@harbour.example", "advice:case_detail"),
        ("grace.mensah@bridge.example", "support:case_detail"),
    ],
)
@pytest.mark.crawl
def test_staff_pages_have_no_csp_violation(
    demo, new_page: Callable[..., Page], live_server: LiveServer, email, must_see
):
    """Every staff page an owner reaches, and the header search, run cleanly."""
    page = new_page()
    problems = Problems(page)
    _log_in(page, live_server.url, "/login/", email)
    expect(page.locator(".topbar__firm")).to_be_visible()

    routes = _walk(page, live_server.url, f"{live_server.url}/")

    assert len(routes) >= 30, routes
    assert {"reports:dashboard", "contacts:contact_detail", must_see} <= set(routes)
    page.goto(f"{live_server.url}/")
    page.locator("#global-search").fill("a")
    expect(page.locator("#global-search-results li").first).to_be_visible()
    assert problems.found == []


def test_portal_public_and_error_pages_have_no_csp_violation(
    demo, new_page: Callable[..., Page], live_server: LiveServer
):
    """The portal, login and reset pages, 403/404/CSRF pages and the admin login."""
    base = live_server.url
    visitor = new_page()
    problems = Problems(visitor)
    for path in (
        "/login/",
        "/password-reset/",
        "/portal/login/",
        "/no-such-page/",
        "/platform-admin/login/",
    ):
        response = visitor.goto(f"{base}{path}")
        assert response is not None
        assert "default-src 'none'" in response.headers["content-security-policy"]
    # A form sent without its CSRF cookie gets the app's own 403 page.
    visitor.context.clear_cookies()
    visitor.goto(f"{base}/login/")
    visitor.context.clear_cookies()
    visitor.get_by_role("button", name="Log in").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "That form has expired"
    )

    client = new_page()
    problems_portal = Problems(client)
    _log_in(client, base, "/portal/login/", "oscar.white64@example.co.uk")
    routes = _walk(client, base, f"{base}/portal/")
    assert {"portal:home", "portal:action_list", "portal:fact_find_detail"} <= set(
        routes
    )
    assert problems.found + problems_portal.found == []


def test_a_walk_without_waiting_for_idle_still_sees_a_violation(page: Page):
    """A page's refused inline script is reported before the walk moves on."""
    problems = Problems(page)
    refused = (
        "<!doctype html><html lang='en'><title>Bad</title>"
        "<a href='http://casework.test/next/'>next</a>"
        "<script>document.title = 'ran';</script></html>"
    )

    def serve(body: str) -> Callable[[Route], None]:
        return lambda route: route.fulfill(
            status=200,
            body=body,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": build_policy()},
        )

    page.route("http://casework.test/bad/", serve(refused))
    page.route("http://casework.test/next/", serve("<p>next</p>"))
    page.goto("http://casework.test/bad/")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert page.title() == "Bad"  # the policy refused the script
    page.goto(hrefs[0])
    assert any("casework.test/bad/" in found for found in problems.found), (
        problems.found
    )


def test_the_500_page_is_styled_under_the_policy(page: Page):
    """The 500 page has no nonce; its one <style> is allowed by its hash."""
    problems = Problems(page)
    body = (Path(__file__).resolve().parents[2] / "templates/500.html").read_text()
    page.route(
        "http://casework.test/boom/",
        lambda route: route.fulfill(
            status=500,
            body=body,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": build_policy()},
        ),
    )
    page.goto("http://casework.test/boom/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    background = page.eval_on_selector(
        "main", "el => getComputedStyle(el).backgroundColor"
    )
    assert background == "rgb(255, 255, 255)"
    assert problems.found == []
