"""URLconf-wide guarantees: one policy per view, and firm isolation (T3, T8)."""

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from crm.core.policies import POLICY_ATTR
from crm.core.testing import principals as principal_logins
from crm.core.testing.isolation import factory_for, load_registries

# Django's own admin has its own staff check; it is for platform operators.
EXEMPT_NAMESPACES = {"admin"}
ID_KWARG = re.compile(r"<(?:int:)?(?P<name>\w+_id)>")


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in EXEMPT_NAMESPACES:
                continue
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            name = f"{namespace}:{p.name}" if namespace else str(p.name)
            yield prefix + str(p.pattern), name, p


def all_routes() -> list[tuple[str, str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


# The registries decide the sweep's parameters, so they are filled at import.
load_registries()


def test_every_view_has_exactly_one_policy_decorator():
    """Each routed view carries exactly one of staff_view, portal_view, public_view."""
    offenders = []
    for route, name, pattern in all_routes():
        policies = getattr(pattern.callback, POLICY_ATTR, [])
        if len(policies) != 1:
            offenders.append(f"{name} ({route}): {policies}")
    assert offenders == []
    assert len(all_routes()) > 10


def _id_routes() -> list[tuple[str, str, URLPattern, list[str]]]:
    routes = []
    for route, name, pattern in all_routes():
        kwargs = ID_KWARG.findall(route)
        if kwargs:
            routes.append((route, name, pattern, kwargs))
    return routes


def _factory(name: str, kwarg: str):
    """Return the isolation factory for ``kwarg`` on the route named ``name``."""
    return factory_for(name.partition(":")[0], kwarg)


def _fill(route: str, values: dict[str, int]) -> str:
    path = ID_KWARG.sub(lambda m: str(values[m["name"]]), route)
    return "/" + path


@pytest.fixture(autouse=True)
def _both_modules(request):
    """Give ``firm`` both modules, so advice and support routes exist."""
    if "firm" in request.fixturenames:
        firm = request.getfixturevalue("firm")
        firm.has_support = True
        firm.save(update_fields=["has_support"])


def _request(client, path: str) -> int:
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return int(response.status_code)


def test_every_principal_kind_has_a_test_login():
    """The sweep below runs for at least the staff principal."""
    assert "staff" in principal_logins.kinds()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", principal_logins.kinds())
def test_other_firms_objects_answer_404_on_every_route_with_an_id(
    kind, firm, other_firm, login_as, record_property
):
    """Every route taking an object id gives 404 for another firm's objects.

    The sweep runs once per kind of principal (staff, and each kind an app
    registers in ``crm.core.testing.principals``) over the routes of the
    namespaces that kind reaches. Routes added later are covered without
    editing this test: the kwarg name (e.g. ``introducer_id``) finds its
    factory in the isolation registry.
    """
    client = login_as(kind, firm)
    routes = [
        r
        for r in _id_routes()
        if principal_logins.reaches(kind, r[1].partition(":")[0])
    ]
    missing = sorted(
        {
            f"{name}: {k}"
            for _route, name, _pattern, kwargs in routes
            for k in kwargs
            if _factory(name, k) is None
        }
    )
    assert missing == [], f"register isolation factories for: {missing}"
    leaks = []
    for route, name, _pattern, kwargs in routes:
        theirs = {k: _factory(name, k)(other_firm).pk for k in kwargs}
        status = _request(client, _fill(route, theirs))
        if status != 404:
            leaks.append(f"{name}: {status}")
    record_property("isolation_kind", kind)
    record_property("isolation_routes", len(routes))
    record_property("isolation_route_names", sorted(name for _, name, *_ in routes))
    assert leaks == []
    assert len(routes) >= 3


@pytest.mark.django_db
def test_own_firms_objects_are_found_on_every_route_with_an_id(owner, login):
    """The same routes do not answer 404 for the firm's own objects (sanity check)."""
    client = login(owner)
    not_found = []
    for route, name, _pattern, kwargs in _id_routes():
        ours = {k: _factory(name, k)(owner.firm).pk for k in kwargs}
        if _request(client, _fill(route, ours)) == 404:
            not_found.append(name)
    assert not_found == []


@pytest.mark.django_db
def test_every_route_refuses_a_post_without_csrf_token(owner, login):
    """No view is CSRF-exempt: a POST without a token is refused everywhere."""
    client = login(owner, enforce_csrf=True)
    accepted = []
    for route, name, _pattern in all_routes():
        kwargs = ID_KWARG.findall(route)
        path = _fill(route, {k: _factory(name, k)(owner.firm).pk for k in kwargs})
        path = re.sub(r"<(?:str:)?(\w+)>", "x", path)
        if client.post(path, {}).status_code != 403:
            accepted.append(name)
    assert accepted == []


JUNK = {
    "page": "abc",
    "sort": "-nonsense",
    "q": "ab\x00c" + "x" * 300,
    "contact": "²",
    "lead": "-1",
    "task": "99999999999999999999",
    "owner": "99999999999999999999",
    "assignee": "x",
    "category": "1.5",
    "introducer": "99999999999999999999",
    "introducer_branch": "abc",
    "status": "bogus",
    "kind": "<script>",
    "archived": "maybe",
    "tab": "nope",
    "date_from": "2026-13-45",
    "date_to": "yesterday",
    "follow_up": "soon",
    "next": "https://evil.example/",
    "active": "2",
    "role": "emperor",
    "email": "not-an-email",
    "case": "abc",
    "beneficiary": "99999999999999999999",
    "text": "",
    "level": "catastrophic",
    "duration": "forever",
    "concern": "x",
    "pathway": "-3",
    "start_from": "2026-02-30",
    "start_to": "later",
    "achieved_on": "someday",
    "target_date": "2026-99-01",
}


@pytest.mark.django_db
def test_no_route_answers_500_to_junk_input(owner, login):
    """Junk query strings and form posts give a page or a 4xx, never a 500."""
    client = login(owner)
    client.raise_request_exception = False
    failures = []
    checked = 0
    for route, name, _pattern in all_routes():
        if name == "firms:logout":
            continue  # would end the session for the routes after it
        kwargs = ID_KWARG.findall(route)
        path = _fill(route, {k: _factory(name, k)(owner.firm).pk for k in kwargs})
        path = re.sub(r"<(?:str:)?(\w+)>", "x", path)
        for method in ("get", "post"):
            response = getattr(client, method)(path, JUNK)
            checked += 1
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {name}: {response.status_code}")
    assert failures == []
    assert client.get("/").status_code == 200  # still logged in: every route ran
    assert checked > 100
