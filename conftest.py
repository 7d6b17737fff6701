"""Shared fixtures: two firms, one member per role, logged-in clients."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from crm.core import kept_insert, prepared, txmemo
from crm.core.middleware import SESSION_FIRM_KEY
from crm.core.testing import principals as principal_logins
from crm.core.testing.isolation import load_registries
from crm.firms.choices import Role
from crm.firms.models import Firm, Membership
from crm.firms.selectors import choice_cache
from crm.firms.tests.factories import FirmFactory, MembershipFactory


@pytest.fixture(autouse=True, scope="session")
def _prepared_reads_checked() -> Iterator[None]:
    """Every prepared read and kept insert checks its SQL against the ORM's compile."""
    prepared.CHECK = kept_insert.CHECK = True
    yield
    prepared.CHECK = kept_insert.CHECK = False


@pytest.fixture
def django_assert_num_queries(
    django_assert_num_queries: Callable[..., Any],
) -> Callable[..., Any]:
    """pytest-django's, with each counted block starting as a new transaction.

    A test runs in one transaction, so what ``crm.core.txmemo`` remembered
    from the test's setup (the audit chain's head, the webhook endpoints)
    would spare the counted block reads that its own request or job, in its
    own transaction, makes. Requests start afresh anyway (``request_started``).
    """

    @contextmanager
    def counted(*args: Any, **kwargs: Any) -> Iterator[Any]:
        txmemo.clear()
        with django_assert_num_queries(*args, **kwargs) as context:
            yield context

    return counted


@pytest.fixture(autouse=True)
def _scopes_disabled() -> Iterator[None]:
    """Let test code set up data freely; requests still enter their own scope."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _choice_cache_cleared() -> Iterator[None]:
    """Start and end each test with an empty per-process picker cache.

    The cache (``crm.firms.selectors.choice_cache``) keeps a firm's member
    and introducer lists under (firm id, ``choices_version``). Each test's
    data is rolled back: the versions go back to 0 and SQLite hands the same
    firm ids out again, but the module-level cache outlives the rollback, so
    the next test's firm 1 at version 0 would be shown the last test's
    members. Keying by firm id alone cannot tell the two tests apart; only
    emptying the cache can.
    """
    choice_cache.clear()
    yield
    choice_cache.clear()


@pytest.fixture
def firm(db: None) -> Firm:
    return FirmFactory(name="Harbour Mortgages", has_advice=True, has_support=False)


@pytest.fixture
def other_firm(db: None) -> Firm:
    return FirmFactory(name="Rival Advice Ltd", has_advice=True, has_support=True)


@pytest.fixture
def support_firm(db: None) -> Firm:
    return FirmFactory(name="Bridge Support Trust", has_advice=False, has_support=True)


def _member(firm: Firm, role: str) -> Membership:
    return MembershipFactory(firm=firm, role=role)


@pytest.fixture
def owner(firm: Firm) -> Membership:
    return _member(firm, Role.OWNER)


@pytest.fixture
def manager(firm: Firm) -> Membership:
    return _member(firm, Role.MANAGER)


@pytest.fixture
def adviser(firm: Firm) -> Membership:
    return _member(firm, Role.ADVISER)


@pytest.fixture
def administrator(firm: Firm) -> Membership:
    return _member(firm, Role.ADMINISTRATOR)


@pytest.fixture
def read_only(firm: Firm) -> Membership:
    return _member(firm, Role.READ_ONLY)


@pytest.fixture
def staff(adviser: Membership) -> Membership:
    """An ordinary member (an adviser) of ``firm``."""
    return adviser


@pytest.fixture
def login() -> Callable[[Membership], Client]:
    """Return a function that gives a client logged in as a membership."""

    def make(membership: Membership, *, enforce_csrf: bool = False) -> Client:
        c = Client(enforce_csrf_checks=enforce_csrf)
        c.force_login(membership.user)
        session = c.session
        session[SESSION_FIRM_KEY] = membership.firm_id
        session.save()
        return c

    return make


@pytest.fixture
def login_as(db: None) -> Callable[[str, Firm], Client]:
    """Return ``login_as(kind, firm)``: a client acting as a principal of ``kind``.

    Kinds ("staff", later the portal's and the API's) come from the registry
    in ``crm.core.testing.principals``, filled by each app's test factories.
    """
    load_registries()

    def make(kind: str, firm: Firm) -> Client:
        client: Client = principal_logins.login_as(kind, firm)
        return client

    return make


@pytest.fixture
def owner_client(owner: Membership, login: Callable[[Membership], Client]) -> Client:
    return login(owner)


@pytest.fixture
def adviser_client(
    adviser: Membership, login: Callable[[Membership], Client]
) -> Client:
    return login(adviser)


@pytest.fixture
def db_mail(settings: pytest.FixtureRequest) -> None:
    """Send mail through the dev mailbox backend instead of pytest's outbox."""
    settings.EMAIL_BACKEND = "crm.core.mail.DatabaseEmailBackend"  # type: ignore[attr-defined]  # pytest-django settings fixture


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print how many routes the generic isolation test covered."""
    for report in terminalreporter.getreports("passed") + terminalreporter.getreports(
        "failed"
    ):
        props = dict(report.user_properties)
        if "isolation_routes" in props and report.when == "call":
            terminalreporter.write_line(
                f"isolation test ({props['isolation_kind']}): "
                f"{props['isolation_routes']} routes with object ids "
                f"answered 404 for another firm's objects: "
                f"{', '.join(props['isolation_route_names'])}"
            )


@pytest.fixture
def token_key(owner: Membership) -> str:
    """Return the key of a read-write API token acting as ``owner``."""
    from crm.api.tests.factories import make_token

    return make_token(owner)[1]


@pytest.fixture
def api(token_key: str) -> Client:
    """Return a client that calls the API with ``token_key`` as its bearer token."""
    from crm.api.tests.factories import api_client

    return api_client(token_key)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the page crawls and the browser tests once per CI run: on SQLite.

    A crawl loads the whole demo and opens every page to check its markup
    (every link a member may follow, no CSP violation); a browser test drives
    pages through Chromium. What they check is what the browser gets, which
    does not depend on the database, and on PostgreSQL they would add
    minutes: the rest of the suite, which runs on both, covers the database.
    ``BROWSER_TESTS_ON_POSTGRES=1`` runs them on PostgreSQL too.
    """
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    browser_too = os.environ.get("BROWSER_TESTS_ON_POSTGRES") == "1"
    crawl = pytest.mark.skip(reason="page crawl: run in the SQLite pass")
    browser = pytest.mark.skip(reason="browser test: run in the SQLite pass")
    for item in items:
        if "crawl" in item.keywords:
            item.add_marker(crawl)
        elif not browser_too and item.nodeid.startswith("tests/browser/"):
            item.add_marker(browser)
