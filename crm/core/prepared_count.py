"""Counts whose SQL the ORM writes once a process: ``PreparedCount``.

``build(firm_id=..., **args).count()`` as ``crm.core.prepared.Prepared``
keeps a read: the statement the ORM's ``count()`` would run (a capped
count's subquery, a ``UNION``'s) is taken from its compiler where it would
run (no cursor, nothing logged), with the same stand-ins and the same
checks (a second compile, the constants, the firm's scope); each call runs
it with its arguments. The Tasks page counts its tabs and the member's
follow-ups this way, and the dashboard its tiles.
"""

from collections.abc import Callable, Hashable
from functools import cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django_scopes import scope

from crm.core import prepared
from crm.core.prepared import (
    _SECOND,
    NotPreparable,
    Slot,
    _arguments,
    _fits,
    _key,
    _params,
    _slots,
    _stand_ins,
)


class _Caught(Exception):
    """Raised in place of running a statement, carrying its SQL and parameters."""


def _raise_sql(self: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        found = self.as_sql()
    except EmptyResultSet:  # the ORM answers 0 without a statement
        found = ("", [])
    raise _Caught(found)


@cache
def _catching(base: type) -> type:
    """``base`` (a compiler class) whose ``execute_sql`` gives its SQL instead."""
    return type(f"Catching{base.__name__}", (base,), {"execute_sql": _raise_sql})


def _captured(
    build: Callable[..., models.QuerySet[Any]],
    args: dict[str, Any],
    database: str,
) -> tuple[str, list[Any]]:
    """Return the statement ``build(**args).count()`` would run, without running it.

    The connection's compilers are swapped, for this call and this thread's
    connection only, for ones that hand back their SQL where they would run
    it: no cursor is opened, so nothing is run or logged as a query. ("", [])
    when the ORM would answer 0 without a statement.
    """
    with scope(firm=args["firm_id"]):
        queryset = build(**args)
    ops: Any = connections[database].ops
    real = ops.compiler
    ops.compiler = lambda name: _catching(real(name))
    try:
        queryset.using(database).count()
    except _Caught as caught:
        sql, params = caught.args[0]
        return sql, list(params)
    finally:
        del ops.compiler
    return "", []  # answered without compiling (e.g. a cached result)


class PreparedCount:
    """``build(firm_id=..., **args).count()``, its SQL compiled once, as ``Prepared``.

    The statement is the one the ORM's ``count()`` would run (a capped count's
    subquery, a ``UNION``'s), taken from its compiler instead of run, with
    stand-ins as ``Prepared`` uses them and checked the same ways.
    """

    def __init__(
        self,
        model: type[models.Model],
        build: Callable[..., models.QuerySet[Any]],
        *,
        shapes: tuple[str, ...] = (),
    ) -> None:
        self.model = model
        self.build = build
        self.shapes = frozenset(shapes)
        self._kept: dict[Hashable, tuple[str, tuple[Slot, ...]]] = {}

    def _compile(
        self, args: dict[str, Any], database: str
    ) -> tuple[str, tuple[Slot, ...]]:
        found = []
        for offset in (0, _SECOND):
            stand_ins = _stand_ins(args, offset, self.shapes)
            sql, params = _captured(self.build, stand_ins, database)
            ops = connections[database].ops
            slots = (
                _slots(self.build, stand_ins, params, self.shapes, ops) if sql else ()
            )
            found.append((sql, slots))
        if found[0] != found[1]:
            msg = f"{self.build.__qualname__}: its SQL depends on the ids' values"
            raise NotPreparable(msg)
        return found[0]

    def __call__(self, *, firm_id: int, **args: Any) -> int:
        """Return ``build(firm_id=firm_id, **args).count()``."""
        args = _arguments(firm_id, args, self.shapes)
        if not all(map(_fits, args.values())):
            with scope(firm=firm_id):
                return self.build(**args).count()
        database = router.db_for_read(self.model)
        key = _key(database, args, self.shapes)
        kept = self._kept.get(key)
        if kept is None:
            kept = self._compile(args, database)
            if len(self._kept) >= prepared.KEPT_PER_READ:
                self._kept.clear()
            self._kept[key] = kept
        sql, slots = kept
        params = _params(slots, args, database)
        if prepared.CHECK:
            expected = _captured(self.build, args, database)
            if (sql, params) != expected:
                name = self.build.__qualname__
                msg = f"{name}: kept {sql!r} {params!r}, ORM {expected!r}"
                raise AssertionError(msg)
        if not sql:
            return 0
        with connections[database].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return int(row[0]) if row else 0
