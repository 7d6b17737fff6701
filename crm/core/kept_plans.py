"""Detail pages whose statements PostgreSQL plans once a connection.

A detail page runs a dozen small reads by id (a case, its people, details,
tasks, interactions, documents ...). PostgreSQL spent far longer planning
them than running them: about 3.6 ms of planning for 0.7 ms of execution on
the case page (bench/NOTES.md item 41). psycopg can prepare a statement once
its connection has run it ``PREPARE_THRESHOLD`` times; PostgreSQL then keeps
the statement, and after five runs a generic plan when that plan costs no
more than the ones made for each run's values.

Only views marked :func:`kept_plans` prepare. A generic plan is made without
the values, and on lists, searches and reports (one firm of 50 holding most
rows, a search pattern only known at run time) it was far worse: with every
statement prepared the Income page's queries went from 5 to 43 ms and a deep
page of the Cases list from 5 to 66 ms. A detail page's reads look up one
object's rows by its id, which one plan serves.

Preparing needs parameters bound by the server, so while a marked page runs
its connection makes Django's server-binding cursors; everything else keeps
Django's default client-side binding (which has no limit on a statement's
parameters, where the server's protocol stops at 65,535). PostgreSQL still
plans a prepared statement for each of its first five runs, and psycopg
forgets them all after a rollback on the connection, so a worker's connection
(kept ``CONN_MAX_AGE`` seconds) gains from about its tenth request to a page.

Nothing is prepared on SQLite, with ``DATABASE_PREPARE_THRESHOLD=0``, or
through PgBouncer in transaction pooling (``DATABASE_POOLER=transaction``,
where the next transaction may run on another server connection; PgBouncer
older than 1.21 knows nothing of prepared statements).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponseBase

# A view function attribute set by kept_plans().
KEPT_PLANS_ATTR = "casework_kept_plans"
SAFE_METHODS = frozenset({"GET", "HEAD"})

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def kept_plans(view: View) -> View:
    """Mark ``view``'s reads as worth preparing: reads of one object's rows by id.

    Not for lists, searches or reports, whose best plan depends on the values.
    It is not a policy: the view keeps its one policy decorator.
    """
    setattr(view, KEPT_PLANS_ATTR, True)
    return view


def _threshold(alias: str) -> int:
    """Return how often ``alias``'s connection runs a statement before preparing it."""
    if connections[alias].vendor != "postgresql":
        return 0
    return max(0, int(settings.PREPARE_THRESHOLD))


Kept = tuple[Any, Any, Any, Any, bool]


def keep_plans(alias: str = DEFAULT_DB_ALIAS) -> Kept | None:
    """Bind by the server and prepare ``alias``'s statements from now on.

    Return what to give :func:`stop_keeping` (the psycopg connection, its
    cursor class and threshold before, and Django's features of it with
    what they said of server-side binding), or None when nothing is prepared.
    Django is told too, so that a logged or captured statement shows its
    values (``last_executed_query``), not ``$1``.
    """
    threshold = _threshold(alias)
    if not threshold:
        return None
    # Imported here: the module needs psycopg, which a SQLite-only setup may lack.
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]  # defined with psycopg 3
        ServerBindingCursor,
    )

    wrapper = connections[alias]
    wrapper.ensure_connection()
    psycopg_connection = wrapper.connection
    features: Any = wrapper.features
    kept = (
        psycopg_connection,
        psycopg_connection.cursor_factory,
        psycopg_connection.prepare_threshold,
        features,
        features.uses_server_side_binding,
    )
    psycopg_connection.cursor_factory = ServerBindingCursor
    psycopg_connection.prepare_threshold = threshold
    # A cached_property of Django's: the instance's own value wins.
    features.uses_server_side_binding = True
    return kept


def stop_keeping(kept: Kept | None) -> None:
    """Give the connection back its cursor class and threshold (Django's defaults).

    What it prepared stays prepared on the server, unused, until the
    connection closes, a rollback or psycopg's own eviction.
    """
    if kept is not None:
        psycopg_connection, cursor_factory, threshold, features, server_binding = kept
        psycopg_connection.cursor_factory = cursor_factory
        psycopg_connection.prepare_threshold = threshold
        features.uses_server_side_binding = server_binding


@contextmanager
def plans_kept(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Prepare the statements run inside (PostgreSQL, when settings allow it)."""
    kept = keep_plans(alias)
    try:
        yield
    finally:
        stop_keeping(kept)


class KeptPlansMiddleware:
    """Prepare the statements of a ``GET`` to a view marked :func:`kept_plans`.

    The session and member are read before the view, unprepared; the view's
    reads and its template's (a template response renders inside
    ``get_response``) are prepared.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            return self.get_response(request)
        finally:
            stop_keeping(getattr(request, "_casework_kept_plans", None))

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> None:
        """Start preparing for a safe request to a marked view."""
        if request.method in SAFE_METHODS and getattr(
            view_func, KEPT_PLANS_ATTR, False
        ):
            kept = keep_plans()
            request._casework_kept_plans = kept  # type: ignore[attr-defined]  # stopped in __call__
