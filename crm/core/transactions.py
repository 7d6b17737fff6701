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
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction

P = ParamSpec("P")
R = TypeVar("R")
_ATTR = "_casework_all_or_nothing"


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
        connection.__dict__[_ATTR] = connection.run_on_commit
        try:
            yield
        finally:
            connection.__dict__[_ATTR] = before
