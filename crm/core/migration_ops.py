"""Migration operations that keep a large, live table writable while they run.

``CREATE INDEX`` locks a table against writes until the index is built: on
PostgreSQL, over the 300,000 cases of a large firm, for seconds to minutes,
while advisers save cases. ``AddIndexOnline`` builds the index with
``CREATE INDEX CONCURRENTLY`` on PostgreSQL (reads and writes go on; the
migration must set ``atomic = False``, as PostgreSQL refuses it inside a
transaction) and with a plain ``CREATE INDEX`` elsewhere (SQLite has no
concurrent build; its writers wait for each other anyway). ``backfill``
fills a new column in batches of ids, each its own short transaction, instead
of one ``UPDATE`` that holds every row's lock until it ends.

A migration that adds an index to one of the large tables uses these
(``crm/core/tests/test_migration_ops.py`` checks the migrations written
since they came in).
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.operations import (
    AddIndexConcurrently,
    RemoveIndexConcurrently,
)
from django.db import migrations, transaction
from django.db.migrations.operations.base import Operation

BACKFILL_BATCH = 20_000


class _ConcurrentOnPostgreSQL(Operation):
    """The concurrent operation after this in the MRO on PostgreSQL, ``plain``
    elsewhere (SQLite has no concurrent build; its writers wait anyway)."""

    plain: type[Operation]

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        self.plain.database_forwards(
            self, app_label, schema_editor, from_state, to_state
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
            return
        self.plain.database_backwards(
            self, app_label, schema_editor, from_state, to_state
        )


class AddIndexOnline(_ConcurrentOnPostgreSQL, AddIndexConcurrently):
    """``AddIndex`` built concurrently on PostgreSQL, plainly elsewhere."""

    plain = migrations.AddIndex

    def describe(self) -> str:
        return f"Create index {self.index.name} on {self.model_name} (online)"


class RemoveIndexOnline(_ConcurrentOnPostgreSQL, RemoveIndexConcurrently):
    """``RemoveIndex`` dropped concurrently on PostgreSQL, plainly elsewhere.

    ``DROP INDEX`` waits for every transaction reading the table and blocks
    the ones after it until then; ``CONCURRENTLY`` lets them go on.
    """

    plain = migrations.RemoveIndex

    def describe(self) -> str:
        return f"Remove index {self.name} from {self.model_name} (online)"


def create_index_online(
    schema_editor: Any, name: str, table: str, columns: str
) -> None:
    """Create a PostgreSQL-only index (raw column list) without blocking writes.

    For an index the model's ``Meta`` cannot declare (e.g. ``DESC NULLS
    LAST``); the caller's migration sets ``atomic = False``.
    """
    concurrently = "" if schema_editor.connection.in_atomic_block else "CONCURRENTLY "
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {table} ({columns})"
    )


def backfill(
    schema_editor: Any,
    table: str,
    assignment: str,
    params: Sequence[Any] = (),
    batch: int = BACKFILL_BATCH,
) -> None:
    """Run ``UPDATE table SET <assignment>`` over id ranges of ``batch`` rows.

    ``assignment`` is SQL that may refer to the row as ``table`` (e.g. a
    correlated subquery), with ``params`` for its placeholders. Each range
    commits on its own when the migration is not atomic, so no writer waits
    longer than one batch.
    """
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}")  # noqa: S608
        low, high = cursor.fetchone()
    if low is None:
        return
    start = low
    while start <= high:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(
                f"UPDATE {table} SET {assignment} WHERE id >= %s AND id < %s",  # noqa: S608
                [*params, start, start + batch],
            )
        start += batch
