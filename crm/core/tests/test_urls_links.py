"""Public link pages: each is its own principal and refuses other firms' ids (T8).

Every route whose view carries ``link_view`` is found by walking the URLconf;
its kind of link principal must be registered in
``crm.core.testing.principals`` (``register_link``) with how to reach a
firm's link and a form post naming another firm's records. The sweep then
checks each kind without per-route code.
"""

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django_scopes import scopes_disabled

from crm.core.models import AuditEvent
from crm.core.testing import principals as principal_logins
from crm.core.testing.isolation import load_registries
from crm.core.tests.test_urls import all_routes

load_registries()


def _link_routes() -> list[tuple[str, str]]:
    """Return (URL name, link kind) of every route with a link policy."""
    found = []
    for _route, name, pattern in all_routes():
        kind = getattr(pattern.callback, "casework_link_kind", None)
        if kind is not None:
            found.append((name, kind))
    return found


def _audit_count() -> int:
    with scopes_disabled():
        return AuditEvent.objects.count()


def test_every_link_route_has_a_registered_link_principal():
    """Each kind of link on a route registers its test link and foreign post."""
    kinds = {kind for _name, kind in _link_routes()}
    assert kinds, "no link_view routes found"
    assert sorted(kinds - set(principal_logins.link_kinds())) == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", principal_logins.link_kinds())
def test_link_pages_open_for_their_key_and_404_for_a_made_up_one(kind, firm):
    """Every route of the kind opens with a real key and is 404 with an invented one."""
    entry = principal_logins.LINKS[kind]
    kwargs = resolve(entry.path(firm)).kwargs
    routes = [name for name, k in _link_routes() if k == kind]
    client = Client()
    for name in routes:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
        made_up = dict.fromkeys(kwargs, "not-a-real-key-0000")
        assert client.get(reverse(name, kwargs=made_up)).status_code == 404, name


@pytest.mark.django_db
@pytest.mark.parametrize("kind", principal_logins.link_kinds())
def test_link_pages_refuse_other_firms_ids(kind, firm, other_firm):
    """A post naming another firm's records is refused and writes nothing."""
    entry = principal_logins.LINKS[kind]
    path = entry.path(firm)
    foreign = entry.foreign_post(other_firm)
    before = _audit_count()

    response = Client().post(path, foreign)

    assert 400 <= response.status_code < 500
    assert _audit_count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("kind", principal_logins.link_kinds())
def test_link_pages_act_in_the_links_firm_even_for_another_firms_member(
    kind, firm, other_firm, login
):
    """A member of another firm, logged in, sees the link's firm and none of theirs."""
    from crm.firms.tests.factories import MembershipFactory

    path = principal_logins.LINKS[kind].path(firm)
    client = login(MembershipFactory(firm=other_firm))

    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert firm.name in html
    assert other_firm.name not in html
