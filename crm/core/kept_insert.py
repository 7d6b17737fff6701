"""One new row inserted with a statement compiled once per model and database.

``Model.save`` of a new row compiles its ``INSERT`` every time (about 360 of
its 660 Python calls: the compiler, the placeholders, the quoting), though
for a model whose fields all take a plain ``%s`` the statement never changes;
only the values do. ``insert(obj)`` keeps the statement and prepares the
values as Django's compiler does (``field.pre_save`` then
``get_db_prep_save``), then sets the new id and the instance's state as
``save`` leaves them.

It goes through ``save`` instead when that could do more: a model with its
own ``save`` (unless the caller vouches that it adds nothing a new row
needs), a ``pre_save`` or ``post_save`` receiver, a parent model
(multi-table inheritance), a column the database fills and returns
(``db_returning``), a field with its own placeholder, a value that is an
expression, an id already set, or a database that cannot return the new
id. With ``CHECK`` on (the test suite) every insert is compared with the
statement and values Django would send.

``insert_many(objs)`` inserts a few new rows of one model as ``bulk_create``
does (no ``save``, no signals), in one statement with a ``VALUES`` row each,
from the same kept statement: Django 5.2's ``bulk_create`` on PostgreSQL
sends ``INSERT ... SELECT * FROM UNNEST(...)`` with every column as an array,
which for the two or three rows of one request's events took longer than two
or three plain inserts. Many rows (an import's batch) still go through
``bulk_create``, where the arrays pay.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Field, Model, signals
from django.db.models.sql import InsertQuery

CHECK = False
# ``insert_many`` writes at most this many rows as plain VALUES rows.
MANY_AT_MOST = 20
_kept: dict[tuple[type[Model], str], tuple[str, tuple[Field[Any, Any], ...]]] = {}


@cache
def _fields(model: type[Model]) -> tuple[Field[Any, Any], ...] | None:
    """Return the columns a new row of ``model`` inserts, or None if not kept."""
    meta = model._meta
    if meta.parents or meta.proxy:
        return None
    if any(not f.primary_key for f in meta.db_returning_fields):
        return None  # save reads those back from the insert too
    fields = tuple(f for f in meta.local_concrete_fields if not f.primary_key)
    if any(getattr(f, "get_placeholder", None) for f in fields):
        return None
    return fields


def _compiled(obj: Model, fields: tuple[Field[Any, Any], ...], using: str) -> Any:
    query = InsertQuery(type(obj))
    query.insert_values(list(fields), [obj])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [type(obj)._meta.pk]
    [(sql, params)] = compiler.as_sql()
    return sql, list(params)


def _values(obj: Model, fields: tuple[Field[Any, Any], ...], using: str) -> list[Any]:
    connection = connections[using]
    values = []
    for field in fields:
        value = field.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            raise _NotKept
        values.append(field.get_db_prep_save(value, connection=connection))
    return values


def _check(
    obj: Model,
    fields: tuple[Field[Any, Any], ...],
    using: str,
    sql: str,
    values: list[Any],
) -> None:
    """Raise unless Django would send ``sql`` with ``values`` for ``obj``.

    A field that stamps the time as it saves (``auto_now``) gives a new value
    on each compile; only its place is compared.
    """
    expected_sql, expected = _compiled(obj, fields, using)
    stamped = [
        getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        for f in fields
    ]
    # psycopg's JSON wrappers compare by identity: compare what they wrap.
    ours = [
        None if t else getattr(v, "obj", v)
        for v, t in zip(values, stamped, strict=True)
    ]
    theirs = [
        None if t else getattr(v, "obj", v)
        for v, t in zip(expected, stamped, strict=True)
    ]
    if (sql, ours) != (expected_sql, theirs):
        name = type(obj).__name__
        msg = f"{name}: kept {sql!r} {values!r}, ORM {expected_sql!r} {expected!r}"
        raise AssertionError(msg)


def _kept_sql(obj: Model, fields: tuple[Field[Any, Any], ...], using: str) -> str:
    """Return the model's one-row INSERT on ``using``, compiled the first time."""
    key = (type(obj), using)
    kept = _kept.get(key)
    if kept is None:
        sql, _params = _compiled(obj, fields, using)
        kept = _kept[key] = (sql, fields)
    return kept[0]


class _NotKept(Exception):
    """The row needs Django's own insert."""


def insert(
    obj: Model,
    *,
    using: str | None = None,
    own_save: bool = False,
    skip_conflict: bool = False,
) -> bool:
    """Insert the new ``obj`` as ``obj.save()`` would; set its id and state.

    ``own_save``: the model overrides ``save``, and the caller knows that for
    a new row it does nothing more than Django's. ``skip_conflict``: a row
    that would break a unique constraint is not inserted and False returned
    (``obj`` keeps no id), in one statement (``ON CONFLICT DO NOTHING``) where
    the database can, else in a savepoint; the caller's transaction goes on.
    """
    model = type(obj)
    using = using or router.db_for_write(model, instance=obj)
    connection = connections[using]
    fields = _fields(model)
    if (
        fields is None
        or (model.save is not Model.save and not own_save)
        or obj.pk is not None
        or not obj._state.adding
        or signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
        or not connection.features.can_return_columns_from_insert
        or (skip_conflict and not connection.features.supports_ignore_conflicts)
    ):
        return _saved(obj, using, skip_conflict)
    try:
        values = _values(obj, fields, using)
    except _NotKept:
        return _saved(obj, using, skip_conflict)
    sql = _kept_sql(obj, fields, using)
    if CHECK:
        _check(obj, fields, using, sql, values)
    if skip_conflict:
        head, returning, tail = sql.rpartition(" RETURNING ")
        sql = f"{head} ON CONFLICT DO NOTHING{returning}{tail}"
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:  # the conflict skipped
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = using
    return True


def _saved(obj: Model, using: str, skip_conflict: bool) -> bool:
    """Insert ``obj`` through ``save``; a conflict skipped in a savepoint."""
    if not skip_conflict:
        obj.save(using=using)
        return True
    try:
        with transaction.atomic(using=using):
            obj.save(using=using)
    except IntegrityError:
        obj.pk = None
        obj._state.adding = True
        return False
    return True


def insert_many(objs: Sequence[Model], *, using: str | None = None) -> None:
    """Insert the new ``objs`` (of one model) as ``bulk_create`` would; set their ids.

    In one ``INSERT ... VALUES (...), (...) RETURNING id`` built from the
    kept statement, when the model's rows can be kept and there are at most
    ``MANY_AT_MOST``; else through ``bulk_create``.
    """
    if not objs:
        return
    model = type(objs[0])
    using = using or router.db_for_write(model, instance=objs[0])
    connection = connections[using]
    fields = _fields(model)
    if (
        fields is None
        or len(objs) > MANY_AT_MOST
        or any(type(obj) is not model for obj in objs)
        or any(obj.pk is not None or not obj._state.adding for obj in objs)
        or not connection.features.can_return_rows_from_bulk_insert
    ):
        model._base_manager.using(using).bulk_create(objs)
        return
    try:
        rows = [_values(obj, fields, using) for obj in objs]
    except _NotKept:
        model._base_manager.using(using).bulk_create(objs)
        return
    sql = _kept_sql(objs[0], fields, using)
    if CHECK:
        for obj, values in zip(objs, rows, strict=True):
            _check(obj, fields, using, sql, values)
    head, _, rest = sql.partition(" VALUES ")
    row, returning, tail = rest.partition(" RETURNING ")
    many = f"{head} VALUES {', '.join([row] * len(objs))}{returning}{tail}"
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(many, [value for values in rows for value in values])
        ids = sorted(pk for (pk,) in cursor.fetchall())
    # The order of RETURNING's rows is not promised; the ids are handed out in
    # the order of the VALUES rows (which the audit chain relies on too).
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
