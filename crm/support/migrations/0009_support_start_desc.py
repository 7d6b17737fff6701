"""On PostgreSQL, index the start date newest first with undated cases last.

The support list sorted by start date newest first orders by ``start_date
DESC NULLS LAST`` (undated cases at the end either way). SQLite keeps NULLs
below every date, so a backward scan of ``support_start_case`` already gives
that order there; PostgreSQL's backward scan gives NULLS FIRST, and it sorted
every support case of the firm instead. SQLite cannot write NULLS LAST in an
index, so this one is PostgreSQL's only and lives outside the model's Meta
(see the comment there).
"""

from typing import Any

from django.db import migrations

from crm.core.migration_ops import create_index_online

NAME = "support_start_desc"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(
        apps.get_model("support", "supportdetails")._meta.db_table
    )
    create_index_online(
        schema_editor, NAME, table, "firm_id, start_date DESC NULLS LAST, case_id DESC"
    )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # the index is built online (crm.core.migration_ops)
    dependencies = [("support", "0008_score_set_support")]

    operations = [migrations.RunPython(create, drop)]
