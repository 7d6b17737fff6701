"""Search indexes for contacts (SPEC B2), one strategy per database.

SQLite: an FTS5 table with the trigram tokenizer over the normalised search
columns, kept in step by triggers, so ``LIKE '%fragment%'`` is answered from
the index. PostgreSQL: pg_trgm GIN indexes per column for fragments, and
``varchar_pattern_ops`` btrees starting with ``firm_id`` for prefixes.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE contacts_contact_fts USING fts5(
        search_name, email_norm, mobile_norm, phone_norm,
        firm_id UNINDEXED, is_archived UNINDEXED,
        content='contacts_contact', content_rowid='id', tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER contacts_contact_fts_ai AFTER INSERT ON contacts_contact BEGIN
        INSERT INTO contacts_contact_fts(rowid, search_name, email_norm, mobile_norm, phone_norm, firm_id, is_archived)
        VALUES (new.id, new.search_name, new.email_norm, new.mobile_norm, new.phone_norm, new.firm_id, new.is_archived);
    END
    """,
    """
    CREATE TRIGGER contacts_contact_fts_ad AFTER DELETE ON contacts_contact BEGIN
        INSERT INTO contacts_contact_fts(contacts_contact_fts, rowid, search_name, email_norm, mobile_norm, phone_norm, firm_id, is_archived)
        VALUES ('delete', old.id, old.search_name, old.email_norm, old.mobile_norm, old.phone_norm, old.firm_id, old.is_archived);
    END
    """,
    """
    CREATE TRIGGER contacts_contact_fts_au AFTER UPDATE OF search_name, email_norm, mobile_norm, phone_norm, is_archived
    ON contacts_contact BEGIN
        INSERT INTO contacts_contact_fts(contacts_contact_fts, rowid, search_name, email_norm, mobile_norm, phone_norm, firm_id, is_archived)
        VALUES ('delete', old.id, old.search_name, old.email_norm, old.mobile_norm, old.phone_norm, old.firm_id, old.is_archived);
        INSERT INTO contacts_contact_fts(rowid, search_name, email_norm, mobile_norm, phone_norm, firm_id, is_archived)
        VALUES (new.id, new.search_name, new.email_norm, new.mobile_norm, new.phone_norm, new.firm_id, new.is_archived);
    END
    """,
    # Prefix search on first names (a byte-order range on SQLite).
    "CREATE INDEX contact_sqlite_search_name ON contacts_contact (firm_id, is_archived, search_name)",
    "INSERT INTO contacts_contact_fts(contacts_contact_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS contact_sqlite_search_name",
    "DROP TRIGGER IF EXISTS contacts_contact_fts_au",
    "DROP TRIGGER IF EXISTS contacts_contact_fts_ad",
    "DROP TRIGGER IF EXISTS contacts_contact_fts_ai",
    "DROP TABLE IF EXISTS contacts_contact_fts",
]

PG_COLUMNS = ("search_name", "email_norm", "mobile_norm", "phone_norm", "sort_name")
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX IF NOT EXISTS contact_trgm_{col} ON contacts_contact "
        f"USING gin ({col} gin_trgm_ops)"
        for col in PG_COLUMNS[:4]
    ),
    *(
        f"CREATE INDEX IF NOT EXISTS contact_prefix_{col} ON contacts_contact "
        f"(firm_id, {col} varchar_pattern_ops)"
        for col in PG_COLUMNS
    ),
]
PG_BACKWARD = [
    *(f"DROP INDEX IF EXISTS contact_trgm_{col}" for col in PG_COLUMNS[:4]),
    *(f"DROP INDEX IF EXISTS contact_prefix_{col}" for col in PG_COLUMNS),
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
