"""Values remembered until the current transaction ends.

A write that touches the same row twice in one transaction need not read it
twice: Create Case from a lead writes two audit rows, each chained from the
firm's head (``auditchain.seal``), and records two events whose webhooks
look up the firm's endpoints. The first read's answer is remembered here and
the second uses it, while the lock the first took (or SQLite's write lock) is
still held.

When it is forgotten: Django gives the connection a new ``run_on_commit``
list whenever a transaction commits or rolls back and whenever a savepoint
rolls back (it drops that savepoint's callbacks). A value is kept with the
list that was current when it was remembered and counts only while that list
is still the connection's, so a value read or written in a savepoint that
was rolled back is never used (nor any other, after a savepoint rolls back).
Outside a transaction nothing is remembered. A writer that changes what a
remembered value was read from calls :func:`forget`. Every request starts
with nothing remembered (:func:`install`): a served request starts outside
any transaction anyway, but a test's requests share the test's transaction
and their query counts would otherwise not be a served request's.
"""

from collections.abc import Hashable
from typing import Any

from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections

_ATTR = "_casework_txmemo"


def _store(using: str) -> tuple[Any, dict[Hashable, tuple[Any, list[Any]]] | None]:
    connection = connections[using]
    return connection, connection.__dict__.get(_ATTR)


def get(key: Hashable, *, using: str = DEFAULT_DB_ALIAS) -> Any | None:
    """Return the value remembered for ``key`` in this transaction, or None."""
    connection, store = _store(using)
    if not store or not connection.in_atomic_block:
        return None
    entry = store.get(key)
    if entry is None or entry[1] is not connection.run_on_commit:
        return None
    return entry[0]


def put(key: Hashable, value: Any, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Remember ``value`` for ``key`` until the transaction ends (None: forget)."""
    connection, store = _store(using)
    if not connection.in_atomic_block:
        return
    current = connection.run_on_commit
    # Values of ended transactions (or rolled-back savepoints) are dropped here.
    kept = {k: e for k, e in (store or {}).items() if e[1] is current and k != key}
    if value is not None:
        kept[key] = (value, current)
    connection.__dict__[_ATTR] = kept


def forget(key: Hashable, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Forget ``key``'s value: what it was read from has changed."""
    _connection, store = _store(using)
    if store:
        store.pop(key, None)


def clear(**_kwargs: Any) -> None:
    """Forget everything remembered, on every connection of this thread."""
    for connection in connections.all(initialized_only=True):
        connection.__dict__.pop(_ATTR, None)


def install() -> None:
    """Start every request with nothing remembered (``AppConfig.ready``)."""
    request_started.connect(clear, dispatch_uid="casework_txmemo")
