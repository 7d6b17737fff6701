"""The shell's header is drawn once per distinct content and never goes stale."""

import re

import pytest

from crm.core import chrome
from crm.firms.choices import Role
from crm.firms.services import members as member_services
from crm.firms.services.firm import firm_update
from crm.firms.tests.factories import FirmFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HEADER_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _header(body: str) -> str:
    return body[body.index('<header class="topbar">') : body.index("</nav>")]


def test_header_is_remembered_per_content(owner_client):
    """A second visit draws the header from the memo, the same bytes."""
    chrome._drawn.cache_clear()
    first = owner_client.get("/").content.decode()
    misses = chrome._drawn.cache_info().misses
    second = owner_client.get("/").content.decode()
    assert chrome._drawn.cache_info().misses == misses
    assert chrome._drawn.cache_info().hits >= 1
    # The same bytes but for the token, which Django masks afresh each request.
    assert TOKEN_FIELD.sub("-", _header(first)) == TOKEN_FIELD.sub("-", _header(second))


def test_each_session_gets_its_own_csrf_token(owner, login):
    """Two sessions of one member share the drawing but not the token."""
    chrome._drawn.cache_clear()
    bodies = [login(owner).get("/").content.decode() for _ in range(2)]
    tokens = []
    for body in bodies:
        fields = TOKEN_FIELD.findall(_header(body))
        assert fields, "the user menu's forms carry the token"
        assert set(fields) == set(HEADER_TOKEN.findall(body))
        tokens.append(fields[0])
    assert tokens[0] != tokens[1]
    assert chrome._TOKEN not in bodies[0] + bodies[1]


def test_csrf_token_posts_from_the_header(owner, login):
    """The logout form's token in the remembered header is accepted."""
    client = login(owner, enforce_csrf=True)
    client.get("/")
    body = client.get("/").content.decode()
    token = TOKEN_FIELD.findall(_header(body))[-1]
    response = client.post("/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_renames_and_role_changes_show_at_once(owner, adviser, login):
    """A new name, firm name, role or second firm shows on the next page."""
    client = login(adviser)
    body = client.get("/").content.decode()
    assert "Adviser" in _header(body)
    member_services.user_rename(
        user=adviser.user, first_name="Zebedee", last_name="O'Brien <b>"
    )
    firm_update(
        firm=adviser.firm, actor=owner.user, membership=owner, name="Renamed & Co"
    )
    member_services.membership_update(
        firm=adviser.firm,
        actor=owner.user,
        actor_membership=owner,
        membership=adviser,
        role=Role.MANAGER,
    )
    header = _header(client.get("/").content.decode())
    assert "Zebedee O&#x27;Brien &lt;b&gt;" in header
    assert ">ZO<" in header
    assert "Renamed &amp; Co" in header
    assert "Manager" in header
    assert "Switch firm" not in header
    MembershipFactory(user=adviser.user, firm=FirmFactory(name="Second Firm"))
    header = _header(client.get("/").content.decode())
    assert "Switch firm" in header
    assert "Second Firm" in header


def test_members_never_see_each_others_header(owner, adviser, login):
    """Two members of one firm each see their own name and menus."""
    owner_header = _header(login(owner).get("/").content.decode())
    adviser_header = _header(login(adviser).get("/").content.decode())
    assert owner.user.email in owner_header
    assert owner.user.email not in adviser_header
    assert adviser.user.email in adviser_header
    assert ">Members<" in owner_header


def test_current_menu_item_follows_the_page(owner_client):
    """The current page's item is marked, wherever the header came from."""
    header = _header(owner_client.get("/clients/").content.decode())
    assert 'href="/clients/" aria-current="page"' in header
    header = _header(owner_client.get("/").content.decode())
    assert 'href="/clients/" aria-current="page"' not in header


def test_header_without_a_token_is_drawn_but_not_remembered(owner, rf):
    """Without a CSRF token (none in the context) the forms carry none."""
    request = rf.get("/")
    request.user = owner.user
    values = chrome.chrome_of(request, {})
    chrome._drawn.cache_clear()
    html = chrome.draw(values, None)
    assert chrome._drawn.cache_info().currsize == 0
    assert "csrfmiddlewaretoken" not in html
    assert html.startswith('<header class="topbar">')
    assert html.endswith("</nav>")


def test_chrome_values_are_plain_text(owner, rf):
    """Lazy labels become str, so equal text always means equal HTML."""
    request = rf.get("/")
    request.user, request.firm, request.membership = owner.user, owner.firm, owner
    request.memberships = [owner]
    values = chrome.chrome_of(
        request,
        {
            "nav": [{"label": "Clients", "url": "/clients/", "active": True}],
            "actions": [{"label": "+ New", "url": "/n/", "choices": []}],
        },
    )
    assert values.role == "Owner"
    assert type(values.role) is str
    assert values.nav == (chrome.Link("Clients", "/clients/", True),)
    assert values.memberships == (chrome.FirmChoice(owner.firm_id, owner.firm.name),)
    hash(values)
