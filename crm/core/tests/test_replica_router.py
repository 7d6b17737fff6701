"""The replica rule on its own: which reads move, and how a writer stays on the primary.

These need no replica server (test_replica.py runs a real one): the router
only names an alias, and the middleware only turns the rule on and off.
"""

import time
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from crm.contacts.models import Contact
from crm.core import replica
from crm.core.replica import (
    REPLICA,
    STICKY_COOKIE,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    reading_from_replica,
    replica_reads,
)

router = ReplicaRouter()


@replica_reads
def safe_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("replica" if reading_from_replica() else "primary")


def plain_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("replica" if reading_from_replica() else "primary")


def _serve(
    request: HttpRequest, view: Callable[[HttpRequest], HttpResponse]
) -> HttpResponse:
    """Run ``view`` through the middleware as Django's handler would."""

    def handler(req: HttpRequest) -> HttpResponse:
        middleware.process_view(req, view, (), {})
        return view(req)

    middleware = ReplicaReadsMiddleware(handler)
    return middleware(request)  # type: ignore[return-value]  # an HttpResponse here


def test_router_sends_reads_to_the_primary_unless_a_safe_view_runs():
    """Outside a replica-safe view every read and write names the primary."""
    assert router.db_for_read(Contact) == "default"
    assert router.db_for_write(Contact) == "default"
    assert router.allow_migrate("default", "contacts") is True
    assert router.allow_migrate(REPLICA, "contacts") is False


def test_router_keeps_reads_in_a_transaction_on_the_primary(monkeypatch):
    """Inside a safe view a read goes to the replica, but not inside ``atomic``."""
    token = replica._reads_from_replica.set(True)
    try:
        assert router.db_for_read(Contact) == REPLICA
        assert router.db_for_write(Contact) == "default"
        # What transaction.atomic() sets on the primary's connection.
        monkeypatch.setattr(connections["default"], "in_atomic_block", True)
        assert router.db_for_read(Contact) == "default"
    finally:
        replica._reads_from_replica.reset(token)
    assert router.db_for_read(Contact) == "default"


def test_safe_view_reads_from_the_replica_for_a_get():
    """A GET to a replica-safe view reads the replica, and sets no cookie."""
    response = _serve(RequestFactory().get("/clients/"), safe_view)
    assert response.content == b"replica"
    assert STICKY_COOKIE not in response.cookies
    assert reading_from_replica() is False


def test_unmarked_view_reads_from_the_primary():
    """A view that is not marked keeps every read on the primary."""
    response = _serve(RequestFactory().get("/clients/1/"), plain_view)
    assert response.content == b"primary"


def test_a_post_makes_the_member_read_the_primary_for_a_while(settings):
    """A POST sets the cookie; while it holds, even a safe view reads the primary."""
    settings.REPLICA_STICKY_SECONDS = 5
    posted = _serve(RequestFactory().post("/clients/new/"), safe_view)
    cookie = posted.cookies[STICKY_COOKIE]
    assert cookie["max-age"] == 5
    assert cookie["httponly"] is True
    assert float(cookie.value) > time.time() + 4

    request = RequestFactory().get("/clients/")
    request.COOKIES[STICKY_COOKIE] = cookie.value
    assert _serve(request, safe_view).content == b"primary"


def test_an_expired_or_garbled_cookie_reads_the_replica_again():
    """A past time or a value that is not a number no longer holds the reads."""
    for value in (f"{time.time() - 1:.3f}", "not-a-time"):
        request = RequestFactory().get("/clients/")
        request.COOKIES[STICKY_COOKIE] = value
        assert _serve(request, safe_view).content == b"replica"


def test_list_search_and_report_pages_are_marked_replica_safe():
    """The pages the rule names are marked; a form page and an export are not."""
    from django.urls import resolve

    marked = {
        path: getattr(resolve(path).func, replica.REPLICA_ATTR, False)
        for path in (
            "/clients/",
            "/cases/",
            "/support/cases/",
            "/leads/list/",
            "/search/",
            "/reports/cases-by-status/",
            "/clients/new/",
            "/cases/export.csv",
        )
    }
    assert marked == {
        "/clients/": True,
        "/cases/": True,
        "/support/cases/": True,
        "/leads/list/": True,
        "/search/": True,
        "/reports/cases-by-status/": True,
        "/clients/new/": False,
        "/cases/export.csv": False,
    }
