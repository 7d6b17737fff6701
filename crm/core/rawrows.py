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

from django.db import connections, models
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
