"""Schema helpers for migrations that must not rebuild a big table."""

from typing import Any

from django.db import migrations, models

__all__ = ["add_version_column"]


def add_version_column(app_label: str, model_name: str) -> Any:
    """Return a migration operation adding ``version`` (A10) to ``model_name``.

    Django adds a NOT NULL column on SQLite by rebuilding the table, which
    drops the raw-SQL search triggers and indexes some tables carry and takes
    minutes at a million rows. ``ALTER TABLE … ADD COLUMN … DEFAULT 1`` does
    neither, on SQLite and PostgreSQL alike; the state is Django's own field.
    """
    field: models.PositiveIntegerField[int, int] = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every edit (lost-update check)."
    )

    def forward(apps: Any, schema_editor: Any) -> None:
        table = apps.get_model(app_label, model_name)._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD COLUMN {quote('version')} integer "
            f"NOT NULL DEFAULT 1 CHECK ({quote('version')} >= 0)"
        )

    def backward(apps: Any, schema_editor: Any) -> None:
        table = apps.get_model(app_label, model_name)._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} DROP COLUMN {quote('version')}"
        )

    return migrations.SeparateDatabaseAndState(
        state_operations=[
            migrations.AddField(model_name=model_name, name="version", field=field)
        ],
        database_operations=[migrations.RunPython(forward, backward)],
    )
