"""List-page throughput with and without the read replica, and through PgBouncer.

``manage.py bench_replica`` runs on the primary that ``scripts/replica.sh``
started (``make bench-replica`` does it all), with ``DATABASE_REPLICA_URL`` on
its streaming standby. It loads one replica-safe list page with gunicorn and
``wrk`` three times: on the primary alone, with the replica, and with the
replica while the primary is reached through PgBouncer in transaction pooling
mode. The standby's own count of transactions shows that the reads reached it.
"""

from collections.abc import Callable
from typing import Any

import psycopg
from django.conf import settings

from bench import load

PATH = "/clients/"


def _url(alias: str) -> str:
    db = settings.DATABASES[alias]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _standby_transactions() -> int:
    """Return the transactions the standby has committed in the bench database."""
    db = settings.DATABASES["replica"]
    dsn = f"host={db['HOST']} port={db['PORT']} dbname={db['NAME']} user={db['USER']}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit FROM pg_stat_database "
            "WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


def run(
    session: str,
    *,
    seconds: int,
    pgbouncer_url: str,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Load ``PATH`` in each set-up; return the figures for the results file."""
    primary, replica = _url("default"), _url("replica")
    setups: list[tuple[str, dict[str, str]]] = [
        ("primary only", {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": ""}),
        (
            "primary + replica",
            {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica},
        ),
    ]
    if pgbouncer_url:
        setups.append(
            (
                "PgBouncer (transaction pooling) + replica",
                {
                    "DATABASE_URL": pgbouncer_url,
                    "DATABASE_POOLER": "transaction",
                    "DATABASE_REPLICA_URL": replica,
                },
            )
        )
    runs = []
    for name, env in setups:
        before = _standby_transactions()
        result = load.measure(PATH, session, seconds=seconds, extra_env=env)
        standby = _standby_transactions() - before
        runs.append(
            {"setup": name, **result.as_dict(), "standby_transactions": standby}
        )
        log(
            f"  {name}: {result.requests_per_second:.0f} req/s, p95 "
            f"{result.p95_ms:.1f} ms, {result.non_2xx + result.timeouts} errors, "
            f"standby transactions {standby:,}"
        )
    return {"path": PATH, "runs": runs}
