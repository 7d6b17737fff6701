"""Finer statistics for ``Interaction.contact``: clients with long histories.

A client record shows the client's ten newest interactions. Most clients have
a few, some have hundreds or thousands (the bench's busiest have 925 and
2,311 of 3,000,000). With PostgreSQL's default statistics the planner kept
only three most common clients and guessed 7 rows for any other, so for a
busy client it joined and sorted every interaction (925 rows: 1.8-3.5 ms)
instead of reading the index in order and stopping after the page (11 rows,
0.13 ms). A statistics target of 1,000 keeps the busiest clients (587 on the
bench) and their counts. ``ANALYZE`` reads the column again now; autovacuum's
later runs keep the target. Nothing to do on SQLite.
"""

from django.db import migrations

TARGET = 1000


def finer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name("interactions_interaction")
    column = schema_editor.quote_name("contact_id")
    schema_editor.execute(
        f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {TARGET}"
    )
    schema_editor.execute(f"ANALYZE {table} ({column})")


def default(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name("interactions_interaction")
    column = schema_editor.quote_name("contact_id")
    schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS -1")


class Migration(migrations.Migration):
    atomic = False  # ANALYZE outside a long transaction
    dependencies = [("interactions", "0005_interaction_duration")]

    operations = [migrations.RunPython(finer, default, elidable=False)]
