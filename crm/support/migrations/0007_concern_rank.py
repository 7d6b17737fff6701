"""Store each support case's concern level as a rank, indexed, for the sorts.

The support list sorted by concern ranked every case by a ``CASE WHEN`` and
sorted them all; ``concern_rank`` (``ConcernLevel.rank``) is kept by the
support services and read in order from an index, as is the start date with
the case id after it (replacing the index on the start date alone).
"""

from typing import Any

from django.db import migrations, models

from crm.core.migration_ops import AddIndexOnline

LEVELS = ("low", "medium", "high", "urgent")  # ConcernLevel, in rank order


def fill(apps: Any, schema_editor: Any) -> None:
    table = schema_editor.quote_name(
        apps.get_model("support", "supportdetails")._meta.db_table
    )
    for rank, level in enumerate(LEVELS):
        if rank:
            schema_editor.execute(
                f"UPDATE {table} SET concern_rank = %s WHERE concern_level = %s",  # noqa: S608
                [rank, level],
            )


class Migration(migrations.Migration):
    atomic = False  # the indexes are built online (crm.core.migration_ops)
    dependencies = [("support", "0006_workload_safeguarding")]

    operations = [
        migrations.RemoveIndex(model_name="supportdetails", name="support_start"),
        migrations.AddField(
            model_name="supportdetails",
            name="concern_rank",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        AddIndexOnline(
            model_name="supportdetails",
            index=models.Index(
                fields=["firm", "concern_rank", "-case"], name="support_concern_rank"
            ),
        ),
        AddIndexOnline(
            model_name="supportdetails",
            index=models.Index(
                fields=["firm", "-concern_rank", "-case"],
                name="support_concern_rank_desc",
            ),
        ),
        AddIndexOnline(
            model_name="supportdetails",
            index=models.Index(
                fields=["firm", "start_date", "case"], name="support_start_case"
            ),
        ),
    ]
