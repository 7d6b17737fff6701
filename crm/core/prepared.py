"""Reads whose SQL the ORM writes once a process: ``Prepared``.

A detail page runs a dozen small reads (a case's tasks, its interactions,
its income lines). Through the ORM each costs 2,000-4,000 Python calls,
most of them building the queryset and compiling the same SQL again; running
it and making its rows costs a few hundred. A ``Prepared`` read is a function
from ids to a queryset. The first call for a database (and for each length
of a list of ids) builds the queryset with stand-in ids and compiles it, and
keeps what the ORM's ``ModelIterable`` reads off the compiler: the SQL and
where each id goes among its parameters, the select list and its
converters, the rows ``select_related`` joins and the annotations. Each call
then runs the kept SQL with its ids, makes the models as ``ModelIterable``
does (``Model.from_db``, the related populators, the annotations) and runs
the queryset's ``prefetch_related`` lookups through the ORM (a ``Prefetch``
with a queryset of its own is built afresh with the call's ids, in the
firm's scope).

What keeps it the ORM's read:

- Arguments are ids (``firm_id`` and other ints, or lists of ints), days
  (``date``: as they are on PostgreSQL, as ISO text on SQLite), moments
  (``datetime``: as the database's ``adapt_datetimefield_value`` has them) or
  shapes (a text, a boolean or None, or an argument named in ``shapes``
  such as a row limit: passed to ``build`` as they are, each value
  compiled apart, as a choice of which filters to apply). Each id's
  stand-in must reach the parameters as it is; a parameter that holds one
  some other way (in a text) is refused. A second compile with other
  stand-ins must write the same SQL with the ids in the same places and the
  same constants, so a read whose SQL depends on the values (or a constant
  made from one, a day before a given day) is refused when first used.
- The firm: the queryset is built inside ``scope(firm=<firm_id's
  stand-in>)``, so the scoped managers' firm filters take the argument, and
  each call requires the active scope to be that firm, as the managers do
  (``ScopeError`` otherwise; ``scopes_disabled`` lets it through, as it lets
  the managers).
- A read the ORM finds empty before running it (``none()``, ``IN ()``) runs
  no statement, as through the ORM; an empty list is compiled as such (the
  ORM leaves an empty ``IN`` out of an ``OR``).
- Only model rows: a ``values()`` read, ``select_for_update``, ``.using()``,
  extra select columns, composite keys or a related manager's known rows are
  refused when first used, with the reason.

The tests compare reads' rows with the ORM's, field by field, select_related
rows and annotations included; and with ``CHECK`` on (the test suite sets
it) every prepared read any test makes checks its SQL and parameters against
the ORM's compile of the same call.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models import Model
from django.db.models.query import (  # type: ignore[attr-defined]  # Django's own
    ModelIterable,
    get_related_populators,
    prefetch_related_objects,
)
from django_scopes import ScopeError, get_scope, scope

from crm.core import instances

M = TypeVar("M", bound=models.Model)

# Stand-ins: negative ids no table holds, inside a 32-bit column's range (an
# id outside a column's range is no row to the ORM, compiled as nothing).
_STAND_IN = -2_100_000_000
_SECOND = 10_000_001  # odd: each stand-in's parity differs between the compiles
_PER_ARGUMENT = 100_000  # up to 50,000 ids in a list


# The test suite sets this: every call then also builds and compiles its
# queryset through the ORM and checks that the kept SQL and parameters are
# the ones the ORM would run (compiled, not run: query counts are unchanged).
CHECK = False
# The compiled statements a read keeps (one per database, shape and length of
# each list of ids) before it starts again.
KEPT_PER_READ = 256


# (argument or None, index in its list or -1, the constant, how it goes in: as
# it is, as text, adapted by the database, or wrapped in the driver's type)
Slot = tuple[str | None, int, Any, str | type | None]


class NotPreparable(TypeError):
    """The queryset cannot be kept as SQL and ids (the reason says why)."""


@dataclass(frozen=True)
class _Compiled:
    sql: str  # "" for a read of nothing (a ``none()``): no statement, as the ORM
    # For each parameter: (argument, index in its list or -1, constant, how).
    slots: tuple["Slot", ...]
    model: type[models.Model]
    init_list: tuple[str, ...]
    start: int
    end: int
    populators: tuple[Any, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    annotations: tuple[tuple[str, int], ...]
    prefetch: tuple[Any, ...]
    # Whether ``prefetch`` holds no queryset of its own: a ``Prefetch`` with a
    # queryset was built with the stand-ins, so each call builds its own.
    prefetch_kept: bool = True


def _is_shape(value: Any) -> bool:
    return value is None or type(value) in (str, bool)


def _stand_ins(
    args: dict[str, Any], offset: int, shapes: frozenset[str]
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for n, (name, value) in enumerate(sorted(args.items())):
        base = _STAND_IN + offset + n * _PER_ARGUMENT
        if name in shapes or _is_shape(value):
            found[name] = value
        elif type(value) is date:
            # A day of the eleventh century: no row's date, and no constant's.
            found[name] = date(1001 + n, 1 + offset % 2, 1 + offset % 2)
        elif type(value) is datetime:
            day = (1001 + n, 1 + offset % 2, 1 + offset % 2)
            found[name] = datetime(*day, tzinfo=value.tzinfo and UTC)
        elif isinstance(value, int):
            found[name] = base
        else:
            found[name] = [base + 2 + 2 * j for j in range(len(value))]
    return found


def _refuse(queryset: Any) -> str:
    """Return why ``queryset`` cannot be kept ("" if it can)."""
    query = queryset.query
    reasons = {
        "it does not read model rows": queryset._iterable_class is not ModelIterable,
        "it locks rows": bool(query.select_for_update),
        "it names its database": queryset._db is not None,
        "it has known related rows": bool(queryset._known_related_objects),
        "it combines reads": query.combinator is not None,
    }
    return next((reason for reason, found in reasons.items() if found), "")


def _compile_once(
    build: Callable[..., models.QuerySet[Any]],
    args: dict[str, Any],
    offset: int,
    database: str,
    shapes: frozenset[str],
) -> tuple[str, tuple[Slot, ...], Any, Any]:
    stand_ins = _stand_ins(args, offset, shapes)
    with scope(firm=stand_ins["firm_id"]):
        queryset = build(**stand_ins)
    reason = _refuse(queryset)
    if reason:
        raise NotPreparable(f"{build.__qualname__}: {reason}")
    compiler = queryset.query.get_compiler(using=database)
    sql, params = compiler.as_sql()
    ops = connections[database].ops
    return sql, _slots(build, stand_ins, params, shapes, ops), compiler, queryset


# How a day reaches the parameters: as it is (PostgreSQL) or as its ISO text
# (SQLite's ``adapt_datefield_value``); a moment, as the database adapts it.
AS_IS, AS_TEXT, AS_ADAPTED = None, "text", "adapted"


def _slots(
    build: Callable[..., Any],
    stand_ins: dict[str, Any],
    params: Any,
    shapes: frozenset[str],
    ops: Any,
) -> tuple[Slot, ...]:
    """Return where each argument's stand-in went among ``params``.

    An argument a shape does not use is in none of them; one that reaches
    them changed (a day before a given day, an id in a text) is a constant
    that differs between the two compiles, and is refused there.
    """
    where: dict[Any, tuple[str, int, str | None]] = {}
    for name, value in stand_ins.items():
        if name in shapes or _is_shape(value):
            continue
        if type(value) is date:
            where[value] = (name, -1, AS_IS)
            where[value.isoformat()] = (name, -1, AS_TEXT)
        elif type(value) is datetime:
            where[ops.adapt_datetimefield_value(value)] = (name, -1, AS_ADAPTED)
        elif isinstance(value, int):
            where[value] = (name, -1, AS_IS)
        else:
            where.update({item: (name, j, AS_IS) for j, item in enumerate(value)})
    ids = [str(abs(v)) for v in where if type(v) is int]
    slots: list[Slot] = []
    for param in params:
        kind = type(param)
        if kind in (int, date, datetime, str) and param in where:
            name, index, how = where[param]
            slots.append((name, index, None, how))
        elif issubclass(kind, int) and kind is not bool and int(param) in where:
            # A driver's typed integer (psycopg's ``Int4`` for an integer
            # column): each call's id goes in wrapped the same way.
            name, index, _how = where[int(param)]
            slots.append((name, index, None, kind))
        elif any(stand_in in str(param) for stand_in in ids):
            msg = f"{build.__qualname__}: an id reaches the SQL changed ({param!r})"
            raise NotPreparable(msg)
        else:
            slots.append((None, -1, param, AS_IS))
    return tuple(slots)


def _compile_once_empty(
    build: Callable[..., models.QuerySet[Any]],
    args: dict[str, Any],
    database: str,
    shapes: frozenset[str],
) -> None:
    """Check that the read of nothing reads nothing with other stand-ins too."""
    try:
        _compile_once(build, args, _SECOND, database, shapes)
    except EmptyResultSet:
        return
    msg = f"{build.__qualname__}: its SQL depends on the ids' values"
    raise NotPreparable(msg)


def _compile(
    build: Callable[..., models.QuerySet[Any]],
    args: dict[str, Any],
    database: str,
    shapes: frozenset[str],
) -> _Compiled:
    try:
        sql, slots, compiler, queryset = _compile_once(build, args, 0, database, shapes)
    except EmptyResultSet:  # e.g. ``none()`` for someone who may see nothing
        _compile_once_empty(build, args, database, shapes)
        return _Compiled(
            sql="",
            slots=(),
            model=Model,
            init_list=(),
            start=0,
            end=0,
            populators=(),
            converters=(),
            annotations=(),
            prefetch=(),
        )
    again, slots_again, _, _ = _compile_once(build, args, _SECOND, database, shapes)
    # The same SQL, the arguments in the same places, the same constants (a
    # constant made from an argument, a day before it say, differs).
    if (sql, slots) != (again, slots_again):
        msg = f"{build.__qualname__}: its SQL depends on the ids' values"
        raise NotPreparable(msg)
    if compiler.has_extra_select:
        raise NotPreparable(f"{build.__qualname__}: it selects extra columns")
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields):
        raise NotPreparable(f"{build.__qualname__}: it reads a composite key")
    klass_info = compiler.klass_info
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    return _Compiled(
        sql=sql,
        slots=slots,
        model=klass_info["model"],
        init_list=tuple(f[0].target.attname for f in compiler.select[start:end]),
        start=start,
        end=end,
        populators=tuple(get_related_populators(klass_info, compiler.select, database)),
        converters=tuple(
            (pos, tuple(convs), expression)
            for pos, (convs, expression) in compiler.get_converters(fields).items()
        ),
        annotations=tuple((compiler.annotation_col_map or {}).items()),
        prefetch=tuple(queryset._prefetch_related_lookups),
        prefetch_kept=all(
            getattr(lookup, "queryset", None) is None
            for lookup in queryset._prefetch_related_lookups
        ),
    )


def _check_scope(firm_id: int) -> None:
    """Refuse a read outside the firm's scope, as the scoped managers do."""
    active = get_scope()
    if not active.get("_enabled", True):
        return
    firm = active.get("firm")
    firm_ids = (
        {getattr(f, "pk", f) for f in firm}
        if isinstance(firm, list | tuple)
        else {getattr(firm, "pk", firm)}
    )
    if firm is None or firm_id not in firm_ids:
        msg = "A scope on dimension(s) firm needs to be active for this query."
        raise ScopeError(msg)


class Prepared(Generic[M]):
    """A read of ``model`` rows built by ``build(firm_id=..., **ids)``, compiled once.

    Calling it returns the list of rows the queryset would give.
    """

    def __init__(
        self,
        model: type[M],
        build: Callable[..., models.QuerySet[M]],
        *,
        shapes: tuple[str, ...] = (),
    ) -> None:
        self.model = model
        self.build = build
        self.shapes = frozenset(shapes)
        self._kept: dict[Hashable, _Compiled] = {}

    def __call__(self, *, firm_id: int, **args: Any) -> list[M]:
        """Return the rows of ``build(firm_id=firm_id, **args)``."""
        args = _arguments(firm_id, args, self.shapes)
        if not all(map(_fits, args.values())):
            # An id past any column (a typed URL): the ORM finds no row
            # without asking, where the database would refuse the number.
            # (Or a list too long for the stand-ins: read as before.)
            with scope(firm=firm_id):
                return list(self.build(**args))
        database = router.db_for_read(self.model)
        key = _key(database, args, self.shapes)
        compiled = self._kept.get(key)
        if compiled is None:
            compiled = _compile(self.build, args, database, self.shapes)
            if len(self._kept) >= KEPT_PER_READ:
                self._kept.clear()  # many lengths of lists: start again
            self._kept[key] = compiled
        params = _params(compiled.slots, args, database)
        if CHECK:
            _check(self.build, args, database, compiled.sql, params)
        if not compiled.sql:
            return []
        found = _run(compiled, params, database)
        if compiled.prefetch and found:
            lookups = compiled.prefetch
            if not compiled.prefetch_kept:
                with scope(firm=firm_id):
                    fresh: Any = self.build(**args)
                lookups = tuple(fresh._prefetch_related_lookups)
            prefetch_related_objects(found, *lookups)
        return found


def _arguments(
    firm_id: int, args: dict[str, Any], shapes: frozenset[str]
) -> dict[str, Any]:
    """Check the firm's scope; return ``args`` with the firm and lists deduplicated."""
    _check_scope(firm_id)
    args["firm_id"] = firm_id
    for name, value in args.items():
        if isinstance(value, list | tuple) and name not in shapes:
            args[name] = list(dict.fromkeys(value))  # as the ORM's IN has them
    return args


def _key(database: str, args: dict[str, Any], shapes: frozenset[str]) -> Hashable:
    """Return what a kept statement is kept under: the database and the shape."""
    return (
        database,
        tuple(
            (name, value if name in shapes or _is_shape(value) else _length(value))
            for name, value in sorted(args.items())
        ),
    )


_BIGGEST = 2**63  # a 64-bit integer column's bound


def _fits(value: Any) -> bool:
    """Return whether an id (or each of a list's) fits a 64-bit column.

    A list of more ids than the stand-ins leave room for is read by the ORM.
    """
    if type(value) is int:
        return -_BIGGEST <= value < _BIGGEST
    if type(value) is list:
        return len(value) < _PER_ARGUMENT // 2 and all(
            -_BIGGEST <= v < _BIGGEST for v in value if type(v) is int
        )
    return True


def _length(value: Any) -> int:
    """Return -1 for an id, a day or a moment, the length of a list of ids."""
    if type(value) in (int, date, datetime):
        return -1
    if isinstance(value, list | tuple) and all(type(v) is int for v in value):
        return len(value)
    msg = f"not an id, a list of ids or a shape: {value!r}"
    raise NotPreparable(msg)


def _check(
    build: Callable[..., models.QuerySet[Any]],
    args: dict[str, Any],
    database: str,
    sql: str,
    params: list[Any],
) -> None:
    """Raise unless the ORM would run ``sql`` with ``params`` for ``args``."""
    with scope(firm=args["firm_id"]):
        queryset = build(**args)
    try:
        expected = queryset.query.get_compiler(using=database).as_sql()
    except EmptyResultSet:
        expected = ("", [])
    if (sql, params) != (expected[0], list(expected[1])):
        msg = f"{build.__qualname__}: kept {sql!r} {params!r}, ORM {expected!r}"
        raise AssertionError(msg)


def _run(compiled: _Compiled, params: list[Any], database: str) -> list[Any]:
    connection = connections[database]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    found = []
    model, init_list = compiled.model, compiled.init_list
    start, end = compiled.start, compiled.end
    fast = instances.no_receivers()
    for fetched in rows:
        row = list(fetched)
        for pos, converters, expression in compiled.converters:
            value = row[pos]
            for convert in converters:
                value = convert(value, expression, connection)
            row[pos] = value
        obj = instances.make(model, database, init_list, row[start:end], fast=fast)
        for populator in compiled.populators:
            instances.populate(populator, row, obj, fast=fast)
        for name, pos in compiled.annotations:
            setattr(obj, name, row[pos])
        found.append(obj)
    return found


def _params(slots: tuple[Slot, ...], args: dict[str, Any], database: str) -> list[Any]:
    """Return the kept statement's parameters for ``args`` on ``database``."""
    return [
        constant
        if name is None
        else _put(args[name] if index < 0 else args[name][index], how, database)
        if how is not AS_IS
        else args[name]
        if index < 0
        else args[name][index]
        for name, index, constant, how in slots
    ]


def _put(value: Any, how: str | type, database: str) -> Any:
    """Return a day as text, a moment as the database has it, or a wrapped id."""
    if how == AS_TEXT:
        return value.isoformat()
    if how == AS_ADAPTED:
        return connections[database].ops.adapt_datetimefield_value(value)
    return how(value)  # type: ignore[operator]  # the driver's integer type
