"""Not safe to contact (SPEC I14): marks on a contact's address and phones.

Added with ``ALTER TABLE … ADD COLUMN … DEFAULT`` rather than Django's SQLite
table rebuild, which would drop the search triggers (see
``crm.core.schema.add_version_column``).
"""

from typing import Any

from django.db import migrations, models

FIELDS = [
    (
        "address_unsafe",
        models.BooleanField(
            default=False, verbose_name="address not safe to contact"
        ),
        False,
    ),
    ("address_unsafe_reason", models.CharField(blank=True, max_length=200), ""),
    (
        "phone_unsafe",
        models.BooleanField(default=False, verbose_name="phones not safe to contact"),
        False,
    ),
    ("phone_unsafe_reason", models.CharField(blank=True, max_length=200), ""),
]


def forward(apps: Any, schema_editor: Any) -> None:
    table = apps.get_model("contacts", "contact")._meta.db_table
    quote = schema_editor.quote_name
    for name, field, default in FIELDS:
        field.set_attributes_from_name(name)
        column_type = field.db_type(schema_editor.connection)
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD COLUMN {quote(name)} {column_type} "
            f"NOT NULL DEFAULT {schema_editor.quote_value(default)}"
        )


def backward(apps: Any, schema_editor: Any) -> None:
    table = apps.get_model("contacts", "contact")._meta.db_table
    quote = schema_editor.quote_name
    for name, _field, _default in reversed(FIELDS):
        schema_editor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN {quote(name)}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0009_contact_email_key")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="contact", name=name, field=field)
                for name, field, _default in FIELDS
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        )
    ]
