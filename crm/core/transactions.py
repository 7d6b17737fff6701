"""Services' transactions: a savepoint each, unless the caller's is all or nothing.

A service decorated ``@service_atomic`` runs in a transaction, as one with
``@transaction.atomic`` does: outermost, its own; inside another, a savepoint,
so a caller may catch the service's refusal and go on (the savepoint rolled
back, the caller's work kept). That costs two statements (``SAVEPOINT`` and
``RELEASE``) each time.

A caller that never goes on after an error, because its own transaction ends
with the error (Create Case: any refusal rolls all of it back, and the view
draws the step again), runs its services inside :func:`all_or_nothing`: they
then join its transaction without a savepoint, and an error marks the whole
transaction for rollback (Django's ``atomic(savepoint=False)``), which the
error leaving the caller's own ``atomic`` then does.

Such a block may also gather rows to write once, at its end (:func:`deferred`):
the event pipeline's timeline and audit rows of Create Case (a new client's
and the case's) go in one insert each instead of one per event. They are
written when the block ends without an error, before its transaction
commits; an error, or a rollback the block asked for, writes none of them.
A row is deferred only at the block's own level: inside a savepoint opened
within the block (which could roll back alone) it is written at once.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction

P = ParamSpec("P")
R = TypeVar("R")
_ATTR = "_casework_all_or_nothing"
_DEFERRED = "_casework_deferred"
Flush = Callable[[list[Any]], None]


def _savepoints(using: str) -> int:
    """Return how many savepoints are open (``atomic(savepoint=False)`` opens none)."""
    return sum(1 for sid in connections[using].savepoint_ids if sid is not None)


def _joined(using: str) -> bool:
    connection = connections[using]
    return connection.in_atomic_block and connection.__dict__.get(_ATTR) is (
        connection.run_on_commit
    )


def service_atomic(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in a transaction; a savepoint only where a caller may go on."""

    @wraps(func)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(savepoint=not _joined(DEFAULT_DB_ALIAS)):
            return func(*args, **kwargs)

    return inner


@contextmanager
def all_or_nothing(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction in which services join without savepoints (see above).

    Only for a caller whose every error leaves this block: nothing in it may
    catch a service's error and go on.
    """
    with transaction.atomic(using=using):
        connection = connections[using]
        before = connection.__dict__.get(_ATTR)
        before_deferred = connection.__dict__.get(_DEFERRED)
        pending: dict[str, tuple[Flush, list[Any]]] = {}
        connection.__dict__[_ATTR] = connection.run_on_commit
        connection.__dict__[_DEFERRED] = (_savepoints(using), pending)
        try:
            yield
            connection.__dict__[_DEFERRED] = before_deferred
            if not connection.needs_rollback:
                for flush, rows in pending.values():
                    flush(rows)
        finally:
            connection.__dict__[_ATTR] = before
            connection.__dict__[_DEFERRED] = before_deferred


def deferred(key: str, flush: Flush, using: str = DEFAULT_DB_ALIAS) -> list[Any] | None:
    """Return the rows ``key`` gathers to write at the end of this block, or None.

    Inside an all-or-nothing block, at its own level, the first call for
    ``key`` starts an empty list that ``flush`` is given (with what the caller
    appended) when the block ends without an error; flushes run in the order
    their keys were first asked for. Anywhere else None: write at once.
    """
    if not _joined(using):
        return None
    state = connections[using].__dict__.get(_DEFERRED)
    if state is None or state[0] != _savepoints(using):
        return None
    pending: dict[str, tuple[Flush, list[Any]]] = state[1]
    if key not in pending:
        pending[key] = (flush, [])
    return pending[key][1]
