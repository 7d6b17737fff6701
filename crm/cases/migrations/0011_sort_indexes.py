"""Indexes for the Cases lists' other offered sorts (issue 21, item 3).

At scale 1 (330,000 cases) on PostgreSQL these sorts read and sorted every
case of the firm: a support list by status ascending (484 ms: its ranks come
after every advice status in the firm-wide rank index) and by title (259-294
ms), and any tab but Open by follow-up date (286-289 ms). The newest
follow-up first with undated last needs ``DESC NULLS LAST``, which SQLite
cannot write in an index (and does not need: a backward scan of
``case_firm_follow_up`` already puts its NULLs last), so that one is made on
PostgreSQL only and is not in the model's Meta.
"""

from typing import Any

from django.db import migrations, models

from crm.core.migration_ops import AddIndexOnline, create_index_online

FOLLOW_UP_DESC = "case_firm_follow_up_desc"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("cases", "case")._meta.db_table)
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
    dependencies = [("cases", "0010_case_client_sort_name")]

    operations = [
        AddIndexOnline(
            model_name="case",
            index=models.Index(
                fields=["firm", "kind", "status_rank", "-created_at", "-id"],
                name="case_firm_kind_status_rank",
            ),
        ),
        AddIndexOnline(
            model_name="case",
            index=models.Index(
                fields=["firm", "kind", "title", "id"], name="case_firm_kind_title"
            ),
        ),
        AddIndexOnline(
            model_name="case",
            index=models.Index(
                fields=["firm", "follow_up_date", "id"], name="case_firm_follow_up"
            ),
        ),
        migrations.RunPython(create, drop),
    ]
