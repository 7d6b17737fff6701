"""Models read by a hand-written statement, for the few reads every request makes.

Every signed-in request reads the member's firms (``membership_list_for_user``).
Through the ORM that read costs about 1 ms of CPU, nearly all of it compiling
the same statement again (a filter, a join, an order), against 0.1 ms for
the statement itself. ``Columns`` gives a model's select list under a table
alias and turns a row's part back into a model as the ORM does: each value
through the field's and the database's converters (SQLite's booleans, dates
and decimals, JSON everywhere), then ``Model.from_db``. The select list comes
from the model's own fields, so a new column needs no change here, and the
tests compare what these reads return with the ORM's.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Col

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class Columns(Generic[M]):
    """A model's concrete columns under a table alias, for one database."""

    model: type[M]
    alias: str
    table: str
    select: str
    names: tuple[str, ...]
    converters: tuple[tuple[int, Col, tuple[Converter, ...]], ...]
    quote: Callable[[str], str]

    @property
    def width(self) -> int:
        """Return how many values of a row are this model's."""
        return len(self.names)

    def column(self, name: str) -> str:
        """Return the field ``name``'s column under the alias, quoted."""
        field = self.model._meta.get_field(name)
        if not isinstance(field, models.Field) or field.column is None:
            msg = f"{self.model.__name__}.{name} has no column"
            raise ValueError(msg)
        return f"{self.quote(self.alias)}.{self.quote(field.column)}"

    def load(
        self, row: Sequence[Any], start: int, connection: BaseDatabaseWrapper
    ) -> M:
        """Return the model made from ``row[start:start + width]``."""
        values = list(row[start : start + self.width])
        for index, column, converters in self.converters:
            value = values[index]
            for convert in converters:
                value = convert(value, column, connection)
            values[index] = value
        return self.model.from_db(connection.alias, self.names, values)


@cache
def _columns(model: type[M], alias: str, database: str, vendor: str) -> Columns[M]:
    connection = connections[database]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(alias)
        # What the compiler applies: the database's, then the column's.
        found = tuple(
            connection.ops.get_db_converters(column)
            + column.get_db_converters(connection)
        )
        if found:
            converters.append((index, column, found))
    return Columns(
        model=model,
        alias=alias,
        table=f"{quote(model._meta.db_table)} {quote(alias)}",
        quote=quote,
        select=", ".join(f"{quote(alias)}.{quote(field.column)}" for field in fields),
        names=tuple(field.attname for field in fields),
        converters=tuple(converters),
    )


def columns(model: type[M], alias: str, connection: BaseDatabaseWrapper) -> Columns[M]:
    """Return ``model``'s columns under ``alias`` (worked out once a process).

    Keyed by the database's alias, not the connection object: each thread has
    its own connection, and the converters are the same for all of them.
    """
    return _columns(model, alias, connection.alias, connection.vendor)


@dataclass(frozen=True)
class _Hop:
    """One table of ``attach_related``'s statement: a relation from its parent."""

    parent: str  # the path of the row it hangs from ("" for the given one)
    path: str
    relation: Any  # a reverse one-to-one (OneToOneRel) or a forward key
    columns: Columns[Any]
    key: int  # where the row's primary key is among its columns


@cache
def _related_read(
    model: type[models.Model], paths: tuple[str, ...], database: str, vendor: str
) -> tuple[str, tuple[_Hop, ...]]:
    connection = connections[database]
    quote = connection.ops.quote_name
    aliases = {"": "r0"}
    hops: list[_Hop] = []
    joins = []
    for path in paths:
        parts = path.split("__")
        owner: Any = model
        for n in range(1, len(parts) + 1):
            here, parent = "__".join(parts[:n]), "__".join(parts[: n - 1])
            relation = owner._meta.get_field(parts[n - 1])
            owner = relation.related_model
            if here in aliases:
                continue
            aliases[here] = alias = f"r{len(aliases)}"
            on = quote(aliases[parent])
            if isinstance(relation, models.OneToOneRel):  # the row points back at us
                key = relation.field
                condition = (
                    f"{quote(alias)}.{quote(key.column)} "
                    f"= {on}.{quote(key.target_field.column)}"
                )
            elif isinstance(relation, models.ForeignKey):  # we point at the row
                condition = (
                    f"{quote(alias)}.{quote(relation.target_field.column)} "
                    f"= {on}.{quote(relation.column)}"
                )
            else:
                msg = f"{path!r}: only one-to-one and foreign keys can be joined"
                raise TypeError(msg)
            found = _columns(owner, alias, database, vendor)
            joins.append(f"LEFT OUTER JOIN {found.table} ON {condition}")
            key_index = found.names.index(owner._meta.pk.attname)
            hops.append(_Hop(parent, here, relation, found, key_index))
    pk = model._meta.pk
    sql = (
        f"SELECT {', '.join(hop.columns.select for hop in hops)} "  # noqa: S608 - names from the models
        f"FROM {quote(model._meta.db_table)} {quote('r0')} {' '.join(joins)} "
        f"WHERE {quote('r0')}.{quote(pk.column)} = %s"
    )
    return sql, tuple(hops)


def attach_related(instance: models.Model, paths: tuple[str, ...]) -> None:
    """Read the rows ``paths`` lead to from ``instance`` and attach them to it.

    What ``select_related(*paths)`` would have put on ``instance`` (each
    related row, or None where there is none; a reverse one-to-one's row and
    a forward one-to-one's pointing back), read by one hand-written statement
    keyed by ``instance``'s primary key. Paths follow reverse one-to-ones and
    forward keys, as ``select_related`` does.
    """
    connection = connections[router.db_for_read(type(instance))]
    sql, hops = _related_read(
        type(instance), paths, connection.alias, connection.vendor
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [instance.pk])
        row = cursor.fetchone()
    if row is None:
        return
    loaded: dict[str, models.Model | None] = {"": instance}
    start = 0
    for hop in hops:
        parent = loaded.get(hop.parent)
        found = None
        if parent is not None and row[start + hop.key] is not None:
            found = hop.columns.load(row, start, connection)
        start += hop.columns.width
        loaded[hop.path] = found
        if parent is None:
            continue
        hop.relation.set_cached_value(parent, found)
        if found is None:
            continue
        if isinstance(hop.relation, models.OneToOneRel):
            hop.relation.field.set_cached_value(found, parent)
        elif hop.relation.one_to_one:
            hop.relation.remote_field.set_cached_value(found, parent)
