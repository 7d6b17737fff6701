"""Search indexes for contacts (SPEC B2), one strategy per database.

SQLite: an FTS5 table with the trigram tokenizer over the normalised search
columns, kept in step by triggers. Every value is stored behind a firm tag
("f00000042|ann lee"), so a fragment search reads only that firm's trigram
postings instead of every tenant's. PostgreSQL: GIN indexes on
``(firm_id, column gin_trgm_ops)`` (btree_gin lets the firm narrow the scan
inside the index) for fragments, and ``varchar_pattern_ops`` btrees starting
with ``firm_id`` for prefixes.
"""

from django.db import migrations

FTS_COLUMNS = ("search_name", "email_norm", "mobile_norm", "phone_norm")
TAG = "'f' || printf('%08d', {row}.firm_id) || '|' || "


def _tagged(row: str) -> str:
    return ", ".join(TAG.format(row=row) + f"{row}.{col}" for col in FTS_COLUMNS)


_INSERT = (
    "INSERT INTO contacts_contact_fts(rowid, {cols}, is_archived, kind) "
    "VALUES (new.id, {values}, new.is_archived, new.kind);"
).format(cols=", ".join(FTS_COLUMNS), values=_tagged("new"))
_DELETE = "DELETE FROM contacts_contact_fts WHERE rowid = old.id;"

SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE contacts_contact_fts USING fts5(
        {", ".join(FTS_COLUMNS)}, is_archived UNINDEXED, kind UNINDEXED,
        tokenize='trigram'
    )
    """,
    f"CREATE TRIGGER contacts_contact_fts_ai AFTER INSERT ON contacts_contact "
    f"BEGIN {_INSERT} END",
    f"CREATE TRIGGER contacts_contact_fts_ad AFTER DELETE ON contacts_contact "
    f"BEGIN {_DELETE} END",
    f"CREATE TRIGGER contacts_contact_fts_au AFTER UPDATE OF "
    f"{', '.join(FTS_COLUMNS)}, is_archived, kind, firm_id ON contacts_contact "
    f"BEGIN {_DELETE} {_INSERT} END",
    (
        f"INSERT INTO contacts_contact_fts(rowid, {', '.join(FTS_COLUMNS)}, "
        f"is_archived, kind) SELECT id, {_tagged('contacts_contact')}, "
        "is_archived, kind FROM contacts_contact"
    ),
    # Prefix search on first names (a byte-order range on SQLite).
    "CREATE INDEX contact_sqlite_search_name ON contacts_contact "
    "(firm_id, is_archived, search_name)",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS contact_sqlite_search_name",
    "DROP TRIGGER IF EXISTS contacts_contact_fts_au",
    "DROP TRIGGER IF EXISTS contacts_contact_fts_ad",
    "DROP TRIGGER IF EXISTS contacts_contact_fts_ai",
    "DROP TABLE IF EXISTS contacts_contact_fts",
]

PREFIX_COLUMNS = ("search_name", "email_norm", "mobile_norm", "phone_norm", "sort_name")
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    *(
        f"CREATE INDEX IF NOT EXISTS contact_trgm_{col} ON contacts_contact "
        f"USING gin (firm_id, {col} gin_trgm_ops)"
        for col in FTS_COLUMNS
    ),
    *(
        f"CREATE INDEX IF NOT EXISTS contact_prefix_{col} ON contacts_contact "
        f"(firm_id, {col} varchar_pattern_ops)"
        for col in PREFIX_COLUMNS
    ),
]
PG_BACKWARD = [
    *(f"DROP INDEX IF EXISTS contact_trgm_{col}" for col in FTS_COLUMNS),
    *(f"DROP INDEX IF EXISTS contact_prefix_{col}" for col in PREFIX_COLUMNS),
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
