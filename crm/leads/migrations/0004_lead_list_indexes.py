"""Indexes for the Leads list's default and follow-up sorts (issue 21, items 1 and 5).

At scale 1 (100,000 leads in the bench firm) on PostgreSQL the list as it
opens, newest first, read and sorted every lead of the firm (a parallel
sequential scan and an external merge sort: 51 ms, and five times that at
scale 5). The open leads newest first, and every lead by follow-up date, did
the same. Latest follow-up first with undated last needs ``DESC NULLS LAST``,
which SQLite cannot write in an index (a backward scan there already puts
NULLs last), so that one is made on PostgreSQL only. Built online
(``crm.core.migration_ops``).
"""

from typing import Any

from django.db import migrations, models

from crm.core.migration_ops import AddIndexOnline, create_index_online

FOLLOW_UP_DESC = "lead_firm_follow_up_desc"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("leads", "lead")._meta.db_table)
    create_index_online(
        schema_editor,
        FOLLOW_UP_DESC,
        table,
        "firm_id, follow_up_date DESC NULLS LAST, id DESC",
    )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {FOLLOW_UP_DESC}")


class Migration(migrations.Migration):
    atomic = False  # the indexes are built online (crm.core.migration_ops)
    dependencies = [("leads", "0003_lead_tally")]

    operations = [
        AddIndexOnline(
            model_name="lead",
            index=models.Index(
                fields=["firm", "created_at", "id"], name="lead_firm_created"
            ),
        ),
        AddIndexOnline(
            model_name="lead",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        ("new_lead", "call_back", "appointment_set", "meeting"),
                    )
                ),
                fields=["firm", "created_at", "id"],
                name="lead_firm_open_created",
            ),
        ),
        AddIndexOnline(
            model_name="lead",
            index=models.Index(
                fields=["firm", "follow_up_date", "id"], name="lead_firm_follow_up"
            ),
        ),
        migrations.RunPython(create, drop),
    ]
