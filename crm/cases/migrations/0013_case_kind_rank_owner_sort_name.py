"""Store each case's kind rank and owner's name, indexed, for the kind and owner sorts.

At scale 1 (330,000 cases) on PostgreSQL the Cases list sorted by kind ranked
every case by a ``CASE WHEN`` over the kinds' registry and sorted them all
(235-320 ms), and by owner joined every case to its owner and sorted them all
(180-400 ms; a support list by case manager 130-160 ms). ``kind_rank`` is the
kind's registered ``order`` (``crm.cases.kinds.kind_rank``), set when a case
opens; ``owner_sort_name`` is the owner's full name, kept by the services that
set an owner and by a member's rename. Both are filled here by one UPDATE a
batch of ids (``crm.core.migration_ops.backfill``), on SQLite and PostgreSQL,
before the indexes are built online. ``kind_rank`` is added
with ``ALTER TABLE ... ADD COLUMN ... DEFAULT`` (no SQLite table rebuild), as
``status_rank`` was in 0008.

The owner sort puts unassigned cases last both ways: "latest name first,
unassigned last" needs ``DESC NULLS LAST``, which SQLite cannot write in an
index (and does not need: it reads ``case_firm_owner_name`` backwards), so
those two indexes are made on PostgreSQL only and are not in the model's Meta.
"""

from typing import Any

from django.db import migrations, models

from crm.cases import kinds
from crm.core.migration_ops import AddIndexOnline, backfill, create_index_online

KIND_RANK = models.PositiveSmallIntegerField(default=0, editable=False)
OWNER_DESC = {
    "case_firm_owner_name_desc": "firm_id, owner_sort_name DESC NULLS LAST, id DESC",
    "case_firm_kind_owner_desc": (
        "firm_id, kind, owner_sort_name DESC NULLS LAST, id DESC"
    ),
}


def add_column(apps: Any, schema_editor: Any) -> None:
    table = schema_editor.quote_name(apps.get_model("cases", "case")._meta.db_table)
    column = schema_editor.quote_name("kind_rank")
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN {column} smallint NOT NULL DEFAULT 0 "
        f"CHECK ({column} >= 0)"
    )


def drop_column(apps: Any, schema_editor: Any) -> None:
    table = schema_editor.quote_name(apps.get_model("cases", "case")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN kind_rank")


def fill(apps: Any, schema_editor: Any) -> None:
    """Set both columns of every case, one UPDATE a batch of ids."""
    q = schema_editor.quote_name
    case = q(apps.get_model("cases", "case")._meta.db_table)
    user = q(apps.get_model("firms", "user")._meta.db_table)
    ranks = [(k.value, kinds.kind_rank(k.value)) for k in kinds.all_kinds()]
    when = " ".join("WHEN %s THEN %s" for _rank in ranks)
    rank = f"CASE kind {when} ELSE %s END" if ranks else "%s"
    params: list[Any] = [value for pair in ranks for value in pair]
    backfill(
        schema_editor,
        case,
        f"kind_rank = {rank}, "  # noqa: S608
        f"owner_sort_name = (SELECT TRIM(u.first_name || ' ' || u.last_name) "
        f"FROM {user} u WHERE u.id = {case}.owner_id)",
        [*params, kinds.RANK_UNKNOWN],
    )


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("cases", "case")._meta.db_table)
    for name, columns in OWNER_DESC.items():
        create_index_online(schema_editor, name, table, columns)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in OWNER_DESC:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # batched fill, online indexes (crm.core.migration_ops)
    dependencies = [
        ("cases", "0012_board_indexes"),
        ("firms", "0007_stale_case_days_weekly_hours"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="case", name="kind_rank", field=KIND_RANK)
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.AddField(
            model_name="case",
            name="owner_sort_name",
            field=models.CharField(
                blank=True, editable=False, max_length=301, null=True
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        AddIndexOnline(
            model_name="case",
            index=models.Index(
                fields=["firm", "kind_rank", "-created_at", "-id"],
                name="case_firm_kind_rank",
            ),
        ),
        AddIndexOnline(
            model_name="case",
            index=models.Index(
                fields=["firm", "-kind_rank", "-created_at", "-id"],
                name="case_firm_kind_rank_desc",
            ),
        ),
        AddIndexOnline(
            model_name="case",
            index=models.Index(
                fields=["firm", "owner_sort_name", "id"], name="case_firm_owner_name"
            ),
        ),
        AddIndexOnline(
            model_name="case",
            index=models.Index(
                fields=["firm", "kind", "owner_sort_name", "id"],
                name="case_firm_kind_owner_name",
            ),
        ),
        migrations.RunPython(create, drop),
    ]
