"""System checks of the case kernel against the database it runs on."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import DatabaseError, connections

from crm.cases.models import Case
from crm.cases.services import ranks

RANK_COLUMNS = frozenset({"kind_rank", "status_rank"})


def _ranks_stored(alias: str) -> bool:
    """Return True if the case table and its rank columns exist yet."""
    connection = connections[alias]
    table = Case._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return False
        columns = connection.introspection.get_table_description(cursor, table)
    return {column.name for column in columns} >= RANK_COLUMNS


@checks.register(checks.Tags.database)
def stored_ranks_match_registry(
    app_configs: Sequence[AppConfig] | None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[checks.CheckMessage]:
    """Warn when cases' stored kind or status ranks disagree with the registry.

    A warning, not an error: ``migrate`` runs this check before it applies
    the data migration that puts the ranks right.
    """
    messages: list[checks.CheckMessage] = []
    for alias in databases or ():
        try:
            if not _ranks_stored(alias):
                continue
            stale = ranks.stale_ranks(using=alias)
        except DatabaseError:
            continue
        if stale:
            messages.append(
                checks.Warning(
                    "Cases store kind or status ranks the case-kind registry no "
                    f"longer gives ({'; '.join(stale)}), so lists sorted by kind "
                    "or status put them in the wrong place.",
                    hint="A kind's order or statuses changed: add a data "
                    "migration that calls "
                    "crm.cases.services.case_ranks_refresh().",
                    obj=Case,
                    id="cases.W001",
                )
            )
    return messages
