"""Bulk loading of generated rows: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

Columns come from each model's concrete fields, so a column added later (a
new nullable foreign key, a field with a default) needs no change here: the
generator gives the values it knows and :class:`Table` fills the rest from
the field's default, ``NULL`` or a neutral value.

On a real run (outside a transaction) the secondary indexes of a table are
dropped before the load and rebuilt after it, and foreign-key checks are
off: the generator only writes ids it made itself.
"""

import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

Row = dict[str, Any]
SQLITE_BATCH = 20_000


def _neutral(f: models.Field[Any, Any]) -> Any:
    """Return a value for a NOT NULL field the generator does not know."""
    if f.choices:
        return next(iter(f.flatchoices))[0]
    internal = f.get_internal_type()
    if internal in {"DateTimeField"}:
        return timezone.now()
    if internal == "DateField":
        return timezone.localdate()
    if internal == "BooleanField":
        return False
    if internal == "JSONField":
        return {}
    if internal == "DecimalField":
        return Decimal(0)
    if "Integer" in internal or internal in {"FloatField", "ForeignKey"}:
        return 0
    return ""


def _filler(f: models.Field[Any, Any]) -> Any:
    if f.has_default():
        return f.get_default()
    if f.null:
        return None
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return timezone.now()
    return _neutral(f)


def _adapter(f: models.Field[Any, Any], vendor: str) -> Callable[[Any], Any] | None:
    internal = f.get_internal_type()
    if internal == "JSONField":
        return json.dumps
    if vendor != "sqlite":
        return None
    if internal == "DateTimeField":
        return _sqlite_datetime
    if internal == "DateField":
        return _sqlite_date
    if internal == "DecimalField":
        return _sqlite_decimal
    return None


def _sqlite_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass
class Table:
    """One model's table: its columns and how to turn a row dict into a tuple."""

    model: type[models.Model]
    fields: list[models.Field[Any, Any]] = field(init=False)
    next_id: int = field(init=False, default=1)

    def __post_init__(self) -> None:
        self.fields = list(self.model._meta.concrete_fields)
        vendor = connection.vendor
        self._keys = [f.attname for f in self.fields]
        self._fill = [_filler(f) for f in self.fields]
        self._adapt = [_adapter(f, vendor) for f in self.fields]
        latest = (
            self.model._base_manager.order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        self.next_id = int(latest or 0) + 1

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]

    def has(self, attname: str) -> bool:
        """Return whether the model has a column for ``attname`` (e.g. ``case_id``)."""
        return attname in self._keys

    def allocate(self) -> int:
        """Return a new primary key for a row the generator is about to make."""
        pk = self.next_id
        self.next_id += 1
        return pk

    def pack(self, row: Row) -> tuple[Any, ...]:
        """Return ``row`` as a tuple in column order, with fillers and adapters."""
        out = []
        for key, fill, adapt in zip(self._keys, self._fill, self._adapt, strict=True):
            value = row.get(key, fill)
            out.append(adapt(value) if adapt is not None else value)
        return tuple(out)


@dataclass
class LoadStats:
    """Rows written per table and the seconds it took."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _chunks(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """Return (name, CREATE statement) of the table's indexes no constraint owns."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint "
                "WHERE conrelid = %s::regclass)",
                [table, table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return [(name, sql) for name, sql in cursor.fetchall()]


@contextmanager
def _without_indexes(table: str, enabled: bool) -> Iterator[None]:
    indexes = _secondary_indexes(table) if enabled else []
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)


@contextmanager
def fast_session() -> Iterator[bool]:
    """Speed up a bulk load on a throw-away database; yield whether it is a real run.

    Inside a transaction (tests) nothing is changed and indexes stay.
    """
    real = not connection.in_atomic_block
    if not real:
        yield False
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -400000")
            cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")
            else:
                cursor.execute("PRAGMA foreign_keys = ON")
                cursor.execute("PRAGMA synchronous = NORMAL")


def load(table: Table, rows: Iterable[Row], stats: LoadStats, *, real: bool) -> int:
    """Write ``rows`` into ``table`` in bulk; return how many were written."""
    started = time.perf_counter()
    packed = (table.pack(row) for row in rows)
    cols = ", ".join(f'"{c}"' for c in table.columns)
    count = 0
    with _without_indexes(table.name, real), transaction.atomic():
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy,
            ):
                for values in packed:
                    copy.write_row(values)
                    count += 1
        else:
            marks = ", ".join("?" * len(table.columns))
            sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})'  # noqa: S608
            raw = connection.connection
            assert raw is not None  # noqa: S101 - a cursor was opened above
            for chunk in _chunks(packed, SQLITE_BATCH):
                raw.executemany(sql, chunk)
                count += len(chunk)
    _reset_sequence(table)
    stats.rows[table.name] = stats.rows.get(table.name, 0) + count
    stats.seconds[table.name] = stats.seconds.get(table.name, 0.0) + (
        time.perf_counter() - started
    )
    return count


def _reset_sequence(table: Table) -> None:
    """Move PostgreSQL's id sequence past the ids written (SQLite does it itself)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 - model's table
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table.name}"))',
            [table.name],
        )


def analyse() -> None:
    """Refresh the planner's statistics, as a maintained database's would be.

    On PostgreSQL ``VACUUM`` also sets the visibility map that index-only scans
    need (autovacuum's work on a live database); it runs outside a transaction.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
