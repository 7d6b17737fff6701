"""Migrations keep a large, live table writable (crm.core.migration_ops)."""

import pytest
from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader

from crm.core.migration_ops import AddIndexOnline

pytestmark = pytest.mark.django_db

# Migrations left as they are, with the reason.
EXEMPT = {
    # The audit chain is rewritten over every existing row: all or nothing.
    "core.0009_audit_chain",
}


def _project_migrations() -> list[migrations.Migration]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        migration
        for (app, _name), migration in sorted(loader.disk_migrations.items())
        if type(migration).__module__.startswith("crm.")
    ]


def _offenders() -> list[str]:
    found = []
    for migration in _project_migrations():
        if migration.initial or f"{migration.app_label}.{migration.name}" in EXEMPT:
            continue  # initial: its tables are new and empty
        created = {
            op.name.lower()
            for op in migration.operations
            if isinstance(op, migrations.CreateModel)
        }
        for op in migration.operations:
            if not isinstance(op, migrations.AddIndex):
                continue
            if op.model_name.lower() in created:
                continue  # a new, empty table: nothing to wait for
            if not isinstance(op, AddIndexOnline) or migration.atomic:
                found.append(f"{migration.app_label}.{migration.name}: {op.index.name}")
    return found


def test_indexes_on_existing_tables_are_built_online() -> None:
    """An index added to a table that already holds rows is built without
    blocking writes (AddIndexOnline in a non-atomic migration)."""
    assert _offenders() == []


def test_online_index_is_built_and_valid() -> None:
    """On PostgreSQL the index is built CONCURRENTLY and ends up valid; on
    SQLite it is a plain index. Either way the table has it afterwards."""
    name = "case_firm_client"
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "cases_case")
    assert name in indexes
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indisvalid FROM pg_index i JOIN pg_class c "
                "ON c.oid = i.indexrelid WHERE c.relname = %s",
                [name],
            )
            assert cursor.fetchone() == (True,)
