"""Numbers handed out one at a time from a counter row (case references, complaints).

:func:`bump` adds one to the counter row's column and returns the new value
in one ``UPDATE ... RETURNING`` (PostgreSQL, and SQLite since 3.35), where
the ORM's ``update()`` then a read take two statements. The row is locked
from the ``UPDATE`` to the end of the caller's transaction (SQLite's
``IMMEDIATE`` transactions serialise writers), so concurrent callers get
distinct numbers.
"""

from typing import Any

from django.db import connection, models


def _column(model: type[models.Model], attname: str) -> str:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return connection.ops.quote_name(field.column)
    msg = f"{model._meta.label} has no column {attname!r}."
    raise ValueError(msg)


def bump(model: type[models.Model], *, column: str, **match: Any) -> int | None:
    """Add one to ``column`` of the row of ``model`` matching ``match``; return it.

    ``match`` names columns by attribute (``firm_id``, not ``firm``) and must
    include the firm: the statement is SQL, so the scoped manager does not
    check it. Returns None when no row matches (the caller creates it).
    """
    if "firm_id" not in match:
        msg = "bump() needs the firm_id of the counter row."
        raise ValueError(msg)
    table = connection.ops.quote_name(model._meta.db_table)
    target = _column(model, column)
    where = " AND ".join(f"{_column(model, name)} = %s" for name in match)
    sql = (
        f"UPDATE {table} SET {target} = {target} + 1 "  # noqa: S608 - names from the model
        f"WHERE {where} RETURNING {target}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(match.values()))
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def take(model: type[models.Model], *, column: str, **match: Any) -> int:
    """Return the next number of the counter row matching ``match``.

    One statement once the row exists; the first call makes it (starting at
    the column's default) and bumps it.
    """
    number = bump(model, column=column, **match)
    if number is None:
        model._default_manager.get_or_create(**match)
        number = bump(model, column=column, **match)
    if number is None:  # pragma: no cover - the row was just made
        msg = f"No {model._meta.label} row for {match}."
        raise RuntimeError(msg)
    return number
