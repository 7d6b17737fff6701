"""A per-process cache of the firm's picker lists (members, introducers).

Every list page's filter bar offers the firm's members and introducers. The
lists change rarely, so each process keeps them, keyed by firm, list and
options, with the ``Firm.choices_version`` they were read at. The firm row
is read afresh on every request (with the member), so a request whose
firm's version differs from the kept one reads the list again: every
service that changes what a list shows raises the version in its own
transaction (``crm.firms.services.choices_changed``), which every process
sees on its next request. There is no shared cache server.

Two details keep it exact:

- A list is read from the database the firm was read from (the primary, as
  the middleware resolves the firm before any replica routing), so it is
  never older than the version it is kept under.
- Inside a transaction that has changed a firm's lists and not yet
  committed, that firm's lists are read afresh and not kept: a rollback
  would otherwise leave uncommitted names kept under the old version. When
  the transaction commits, this process drops what it kept for the firm.
"""

from collections.abc import Callable, Hashable

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from crm.firms.models import Firm

Choices = list[tuple[int, str]]
Key = tuple[int, str, Hashable]

# A bound on the kept lists (three per firm at most today); past it the
# cache starts afresh rather than grow with the number of firms served.
MAX_ENTRIES = 3000

_kept: dict[Key, tuple[int, Choices]] = {}


class _Forget:
    """An on-commit callback: drop what this process keeps for one firm.

    While it waits in the connection's on-commit list, the firm's lists have
    uncommitted changes in this transaction (see ``_changing``).
    """

    def __init__(self, firm_id: int) -> None:
        self.firm_id = firm_id

    def __call__(self) -> None:
        forget(firm_id=self.firm_id)


def _changing(firm_id: int, using: str) -> bool:
    """Return whether this connection's open transaction changed the firm's lists.

    Django drops on-commit callbacks of a rolled-back transaction or
    savepoint, so a waiting ``_Forget`` means exactly that.
    """
    return any(
        isinstance(callback, _Forget) and callback.firm_id == firm_id
        for _savepoints, callback, *_ in connections[using].run_on_commit
    )


def choices(
    *, firm: Firm, name: str, options: Hashable, load: Callable[[str], Choices]
) -> Choices:
    """Return the firm's list ``name`` (with ``options``), kept or from ``load``.

    ``load(using)`` reads the list from the database alias ``using``. The
    caller gets its own copy, so the kept list cannot be changed through it.
    """
    using = firm._state.db or DEFAULT_DB_ALIAS
    if _changing(firm.pk, using):
        return load(using)
    key = (firm.pk, name, options)
    kept = _kept.get(key)
    if kept is not None and kept[0] == firm.choices_version:
        return list(kept[1])
    loaded = load(using)
    if len(_kept) >= MAX_ENTRIES:
        _kept.clear()
    _kept[key] = (firm.choices_version, loaded)
    return list(loaded)


def forget_on_commit(*, firm_id: int, using: str) -> None:
    """Mark the firm's lists as changing until the transaction on ``using`` ends."""
    transaction.on_commit(_Forget(firm_id), using=using)


def forget(*, firm_id: int) -> None:
    """Drop every list this process keeps for the firm."""
    for key in list(_kept):  # a copy: other threads may add keys meanwhile
        if key[0] == firm_id:
            _kept.pop(key, None)


def clear() -> None:
    """Drop every kept list (tests: each starts with an empty cache)."""
    _kept.clear()
