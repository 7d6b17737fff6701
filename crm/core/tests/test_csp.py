"""The Content-Security-Policy (issue 20, item 7): strict, nonce'd, on every page.

The browser check that no page breaks under it is
``tests/browser/test_csp.py``; these pin the header and the nonces.
"""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from crm.portal.tests.factories import login_client

ROOT = Path(__file__).resolve().parents[3]
NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def _assert_nonced_page(response) -> None:
    directives = _directives(response)
    html = response.content.decode()
    [nonce] = set(NONCE.findall(response["Content-Security-Policy"]))
    assert directives["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert f"'nonce-{nonce}'" in directives["style-src"]
    # The firm's brand colours are the one inline <style>; it carries the nonce.
    assert f'<style nonce="{nonce}">:root' in html
    assert re.search(r"<style>", html) is None
    assert f'htmx-2.min.js" defer nonce="{nonce}"' in html


@pytest.mark.django_db
def test_staff_pages_run_under_a_strict_policy_with_a_nonce(owner_client):
    """A staff page's policy allows no inline or eval'd script; its style is nonce'd."""
    response = owner_client.get("/")
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["default-src"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "data:" not in header
    _assert_nonced_page(response)


@pytest.mark.django_db
def test_each_response_gets_its_own_nonce(owner_client):
    """Two loads of one page carry different nonces."""
    first = NONCE.findall(owner_client.get("/")["Content-Security-Policy"])
    second = NONCE.findall(owner_client.get("/")["Content-Security-Policy"])
    assert first
    assert second
    assert first != second


@pytest.mark.django_db
def test_portal_pages_run_under_the_same_policy(firm):
    """The client portal's own base template nonces its brand style too."""
    response = login_client(firm).get("/portal/")
    assert response.status_code == 200
    _assert_nonced_page(response)


@pytest.mark.django_db
def test_pages_without_a_firm_and_other_responses_carry_the_policy(client):
    """The login page, a 404 and a file (an uploaded file cannot run) are covered."""
    login = client.get("/login/")
    assert "default-src 'none'" in login["Content-Security-Policy"]
    assert "<style" not in login.content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "default-src 'none'" in missing["Content-Security-Policy"]
    static = client.get("/static/img/favicon.svg")
    assert "default-src 'none'" in static["Content-Security-Policy"]


def test_htmx_is_configured_to_need_no_inline_style_or_eval():
    """htmx would inject an inline <style> and eval hx-on; both are switched off."""
    for template in ("templates/base.html", "crm/portal/templates/portal/base.html"):
        text = (ROOT / template).read_text()
        assert (
            """<meta name="htmx-config" content='{"includeIndicatorStyles": false, """
            """"allowEval": false}'>"""
        ) in text, template
    assert ".htmx-request .htmx-indicator" in (ROOT / "static/css/app.css").read_text()


def test_the_500_page_style_hash_matches_the_template():
    """The 500 page has no request, so no nonce: its <style> is allowed by hash."""
    text = (ROOT / "templates/500.html").read_text()
    [style] = re.findall(r"<style>(.*?)</style>", text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    style_src = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert isinstance(style_src, list)
    assert f"'sha256-{digest}'" in style_src


@pytest.mark.django_db
def test_a_csrf_failure_gets_the_apps_own_page():
    """Django's stock CSRF page has an inline style the policy refuses; ours not."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "a@example.com", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "That form has expired" in html
    assert "<style" not in html
    assert 'href="/login/"' in html
    portal = client.post("/portal/login/", {"email": "a@example.com"})
    assert portal.status_code == 403
    assert 'href="/portal/login/"' in portal.content.decode()
