"""Read replica routing with read-your-writes (README, "Scaling out").

With ``DATABASE_REPLICA_URL`` set, settings add the ``replica`` database, the
:class:`ReplicaRouter` and the :class:`ReplicaReadsMiddleware`. The rule:

- Writes, migrations and every read by default go to the primary.
- A view marked :func:`replica_reads` (lists, search, reports: pages that
  only read and may show data a moment old) reads from the replica, for a
  ``GET`` or ``HEAD`` request, outside any transaction.
- Except for a member who has just written: any request with another
  method (a ``POST`` that saves something) sets a cookie, and for
  ``REPLICA_STICKY_SECONDS`` after it that browser's reads all go to the
  primary, so a member always sees their own change at once, however far the
  replica lags.

The session, the member and the firm are resolved by the middleware before
the view runs, so they always come from the primary; a page's own queries are
what move. Without a replica nothing here is installed.
"""

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
# The cookie that keeps a member's reads on the primary after a write; its
# value is the Unix time until which it holds.
STICKY_COOKIE = "casework_primary_until"
# A view function attribute set by replica_reads().
REPLICA_ATTR = "casework_replica_reads"
SAFE_METHODS = frozenset({"GET", "HEAD"})

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

_reads_from_replica: ContextVar[bool] = ContextVar(
    "casework_reads_from_replica", default=False
)


def replica_reads(view: View) -> View:
    """Mark ``view`` as read-only: its reads may come from the replica.

    Only for pages that write nothing and can show data a few seconds old
    (lists, search, reports). It is not a policy: the view keeps its one
    policy decorator.
    """
    setattr(view, REPLICA_ATTR, True)
    return view


def reading_from_replica() -> bool:
    """Return whether this request's reads go to the replica now."""
    return _reads_from_replica.get()


class ReplicaRouter:
    """Send reads to the replica while a replica-safe view runs; all else primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        """Return the replica inside a replica-safe view, else the primary.

        A transaction on the primary (``atomic``) keeps its reads there, so a
        read that decides a write never sees a replica's older rows.
        """
        if (
            _reads_from_replica.get()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        """Return the primary, also for objects that were read from the replica."""
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        """Allow any relation: the replica is a copy of the primary."""
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        """Migrate the primary only: the replica follows it."""
        return db == DEFAULT_DB_ALIAS


def sticky_until(request: HttpRequest) -> float:
    """Return the Unix time until which ``request``'s reads stay on the primary."""
    try:
        return float(request.COOKIES.get(STICKY_COOKIE, "0"))
    except ValueError:
        return 0.0


class ReplicaReadsMiddleware:
    """Route a replica-safe view's reads to the replica; keep writers on the primary.

    Put it last, so that everything resolved before the view (session,
    member, firm) is read from the primary.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            response = self.get_response(request)
        finally:
            # Set by process_view; template responses render inside
            # get_response, so their reads are routed too.
            token = getattr(request, "_casework_replica_token", None)
            if token is not None:
                _reads_from_replica.reset(token)
        if request.method not in SAFE_METHODS:
            seconds = settings.REPLICA_STICKY_SECONDS
            response.set_cookie(
                STICKY_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> None:
        """Turn replica reads on for a safe request to a replica-safe view."""
        if (
            request.method in SAFE_METHODS
            and getattr(view_func, REPLICA_ATTR, False)
            and sticky_until(request) <= time.time()
        ):
            request._casework_replica_token = _reads_from_replica.set(True)  # type: ignore[attr-defined]  # reset in __call__
