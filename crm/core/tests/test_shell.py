"""The app shell: header, menus per module and role, error pages (A2, A8)."""

import pytest

from crm.core import shell
from crm.core.shell import brand_text_colour

pytestmark = pytest.mark.django_db


def test_menu_shows_reports_and_hides_modules_the_firm_lacks(owner_client):
    """Reports is in the menu; Support is not, for an advice-only firm."""
    body = owner_client.get("/").content.decode()
    assert ">Dashboard<" in body
    assert ">Reports<" in body
    assert ">Support<" not in body


def test_url_if_exists_hides_missing_pages():
    """A URL name that does not resolve gives None, so its menu item is hidden."""
    shell._url.cache_clear()
    assert shell.url_if_exists("reports:no_such_page") is None
    assert shell.url_if_exists("reports:report_index") == "/reports/"
    assert shell.url_if_exists("advice:case_list") == "/cases/"


def test_landed_features_appear_in_menu_and_header(owner_client, settings):
    """When a feature's URL exists, its menu item and the New Case button show."""
    settings.ROOT_URLCONF = "crm.core.tests.urlconfs.with_cases"
    shell._url.cache_clear()
    try:
        body = owner_client.get("/").content.decode()
        assert 'href="/cases/new/"' in body
        assert "+ New Case" in body
        assert ">Cases<" in body
    finally:
        shell._url.cache_clear()


def test_support_only_firm_sees_no_advice_menus(support_firm, login, settings):
    """A support-only firm never sees the advice Cases list, Introducers or New Case."""
    from crm.firms.tests.factories import MembershipFactory

    member = MembershipFactory(firm=support_firm, role="owner")
    settings.ROOT_URLCONF = "crm.core.tests.urlconfs.with_cases"
    shell._url.cache_clear()
    try:
        body = login(member).get("/").content.decode()
    finally:
        shell._url.cache_clear()
    assert "+ New Case" not in body
    assert 'href="/cases/"' not in body
    assert ">Introducers<" not in body
    assert ">Members<" in body


def test_read_only_member_sees_no_settings(read_only, login):
    """Settings items follow permissions."""
    body = login(read_only).get("/").content.decode()
    assert ">Members<" not in body
    assert ">Firm details<" not in body
    assert ">Audit log<" not in body


def test_owner_sees_settings_menu(owner_client):
    """Owners see every settings page."""
    body = owner_client.get("/").content.decode()
    for label in ("Firm details", "Members", "Audit log", "Dev mailbox"):
        assert f">{label}<" in body


def test_header_shows_firm_user_and_logout(owner_client, owner):
    """The header carries the firm name, the user's name and a logout button."""
    body = owner_client.get("/").content.decode()
    assert "Harbour Mortgages" in body
    assert owner.user.full_name in body
    assert 'action="/logout/"' in body
    assert "Skip to main content" in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body


def test_404_page_is_friendly_inside_the_shell(owner_client):
    """Unknown pages render the custom 404 inside the app shell."""
    response = owner_client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "We can't find that page" in body
    assert "Skip to main content" in body


def test_403_page_explains(read_only, login):
    """A forbidden page explains how to get access."""
    response = login(read_only).get("/settings/members/")
    assert response.status_code == 403
    assert "ask your firm's owner" in response.content.decode()


def test_500_page_is_standalone(client, settings):
    """The 500 page renders without a database or context."""
    from django.template.loader import render_to_string

    assert "Something went wrong" in render_to_string("500.html")


@pytest.mark.parametrize(
    ("colour", "text"),
    [("#1d4ed8", "#ffffff"), ("#fde047", "#111827"), ("#0f766e", "#ffffff")],
)
def test_brand_text_colour_keeps_contrast(colour, text):
    """Header text is white on dark brands and near-black on light ones."""
    assert brand_text_colour(colour) == text


def test_the_kept_menus_follow_the_registry_and_the_members_rights(
    owner_client, read_only, login, monkeypatch
):
    """A worker keeps each combination's menu; a new item or other rights redraw it."""
    from crm.core import nav

    assert ">Audit log<" in owner_client.get("/").content.decode()
    assert ">Audit log<" not in login(read_only).get("/").content.decode()
    monkeypatch.setitem(nav._items, nav.MAIN, dict(nav._items[nav.MAIN]))
    nav.register(nav.MAIN, nav.NavItem("Extra page", "contacts:search", order=99))
    body = owner_client.get("/").content.decode()
    assert ">Extra page<" in body
    assert ">Audit log<" in body


def test_the_menus_are_the_headers_links_with_the_current_page_marked(owner_client):
    """The shell gives the header its links as drawn: plain text, one current."""
    from crm.core.chrome import Link

    response = owner_client.get("/reports/")
    menu = response.context["shell"]["nav"]
    assert all(type(link) is Link for link in menu)
    assert [link.label for link in menu if link.active] == ["Reports"]
    assert all(type(link.label) is str and type(link.url) is str for link in menu)
    assert 'aria-current="page"' in response.content.decode()
