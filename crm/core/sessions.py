"""The session engine: Django's database sessions, read with one plain SELECT.

``SESSION_ENGINE`` points here. Every signed-in request reads its session;
Django's store builds that read with the ORM (``Session.objects.get(...)``,
about 750 Python calls, most of them compiling the same statement each
time). This store sends the same statement, through the same database
router, and writes, expiry and async reads stay Django's.
"""

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    """Django's database session store with a cheaper load."""

    def _session_data(self) -> str | None:
        """Return the unexpired session's encoded data, or None (the key is dropped)."""
        key = self.session_key
        if key is None:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        expire_date = model._meta.get_field("expire_date")
        sql = (
            f"SELECT {quote(model._meta.get_field('session_data').column)} "  # noqa: S608 - names from the model
            f"FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.get_field('session_key').column)} = %s "
            f"AND {quote(expire_date.column)} > %s"
        )
        now = expire_date.get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return str(row[0])

    def load(self) -> dict[str, Any]:
        """Return the session's data; {} for a missing or expired session."""
        data = self._session_data()
        return self.decode(data) if data is not None else {}
