"""Drive the app against a real primary and streaming standby; print what each saw.

``test_replica.py`` runs this in its own process (``python -m
crm.core.tests.replica_driver``) with ``DATABASE_URL`` on the primary and
``DATABASE_REPLICA_URL`` on the standby that ``scripts/replica.sh`` started.
It migrates the primary (the standby follows), logs a member in, and then:

1. opens the Clients list (a replica-safe page);
2. adds a client (a POST, through the primary);
3. opens the Clients list at once, searching for the new client's name;
4. waits out ``REPLICA_STICKY_SECONDS`` and the standby's replay, and opens it
   again.

After each step it reads how many scans each server made of the contacts
table (``pg_stat_user_tables``, flushed by ``pg_stat_force_next_flush()``)
and prints the figures as one JSON object for the test to judge.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import django
import psycopg


def _scans(dsn: str) -> int:
    """Return the scans of the contacts table counted by the server at ``dsn``."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) "
            "FROM pg_stat_user_tables WHERE relname = 'contacts_contact'"
        ).fetchone()
    return int(row[0]) if row else 0


def _flush() -> None:
    """Make the app's open connections publish their statistics now."""
    from django.db import connections

    for alias in ("default", "replica"):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_stat_force_next_flush()")


def _wait_for_replay(primary: str, standby: str) -> None:
    """Wait until the standby has replayed everything the primary has written."""
    with psycopg.connect(primary, autocommit=True) as conn:
        row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
    target = row[0] if row else "0/0"
    with psycopg.connect(standby, autocommit=True) as conn:
        for _ in range(200):
            caught_up = conn.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
            ).fetchone()
            if caught_up and caught_up[0]:
                return
            time.sleep(0.05)
    msg = "The standby did not catch up with the primary in 10 s."
    raise RuntimeError(msg)


def _setup() -> tuple[Any, Any]:
    """Set Django up, migrate, and return a new firm and a client for its owner."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment
    from django_scopes import scopes_disabled

    from crm.firms.tests.factories import FirmFactory

    setup_test_environment()
    call_command("migrate", "--noinput", verbosity=0)
    with scopes_disabled():
        firm = FirmFactory(name=f"Scale {uuid.uuid4().hex[:8]}", has_advice=True)
        owner = _owner(firm)
    return firm, owner


def _owner(firm: Any) -> Any:
    """Add an owner to ``firm`` (unique across runs: the clusters are kept)."""
    from crm.firms.choices import Role
    from crm.firms.tests.factories import MembershipFactory

    email = f"owner-{uuid.uuid4().hex[:12]}@example.com"
    return MembershipFactory(firm=firm, role=Role.OWNER, user__email=email)


def _login(firm: Any, owner: Any) -> Any:
    from django.test import Client

    from crm.core.middleware import SESSION_FIRM_KEY

    client = Client()
    client.force_login(owner.user)
    session = client.session
    session[SESSION_FIRM_KEY] = firm.pk
    session.save()
    return client


def _dsn(alias: str) -> str:
    from django.conf import settings

    db = settings.DATABASES[alias]
    return f"host={db['HOST']} port={db['PORT']} dbname={db['NAME']} user={db['USER']}"


def replica() -> dict[str, Any]:
    """Run the four steps against the primary and standby; return the figures."""
    from django.conf import settings

    firm, owner = _setup()
    client = _login(firm, owner)
    primary, standby = _dsn("default"), _dsn("replica")
    _wait_for_replay(primary, standby)
    surname = f"Replicant{uuid.uuid4().hex[:8]}"
    figures: dict[str, Any] = {}

    def step(name: str, path: str, method: str = "get", **data: str) -> str:
        before = _scans(primary), _scans(standby)
        response = getattr(client, method)(path, data)
        _flush()
        after = _scans(primary), _scans(standby)
        figures[name] = {
            "status": response.status_code,
            "primary_scans": after[0] - before[0],
            "standby_scans": after[1] - before[1],
            "shows_new_client": surname in response.content.decode(),
            "sticky_cookie": "casework_primary_until" in response.cookies,
        }
        return str(response.get("Location", ""))

    step("list", "/clients/")
    figures["create_location"] = step(
        "create",
        "/clients/new/",
        "post",
        kind="person",
        first_name="Ada",
        last_name=surname,
    )
    step("own_write", "/clients/", q=surname)
    time.sleep(settings.REPLICA_STICKY_SECONDS + 0.2)
    _wait_for_replay(primary, standby)
    step("after_sticky", "/clients/", q=surname)
    return figures


def _bouncer_stats(port: str, database: str) -> dict[str, str]:
    """Return PgBouncer's counters for ``database`` and its pool mode."""

    def show(what: str) -> list[dict[str, str]]:
        out = subprocess.run(
            [
                "psql",
                "-X",
                "-h",
                "127.0.0.1",
                "-p",
                port,
                "-U",
                "postgres",
                "-d",
                "pgbouncer",
                "-A",
                "-F",
                "\t",
                "-P",
                "footer=off",
                "-c",
                f"SHOW {what}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        header = out[0].split("\t")
        return [dict(zip(header, line.split("\t"), strict=True)) for line in out[1:]]

    stats = next(row for row in show("STATS") if row["database"] == database)
    config = {row["key"]: row["value"] for row in show("CONFIG")}
    return {**stats, "pool_mode": config["pool_mode"]}


def pgbouncer() -> dict[str, Any]:
    """Serve pages and writes through PgBouncer from several threads at once.

    Four members of one firm each add clients (every write seals an audit row
    under the chain's transaction-level advisory lock) and open the Clients
    list and the Cases export (which iterates without a server-side cursor),
    while PgBouncer moves their transactions between server connections.
    """
    firm, owner = _setup()
    from django.conf import settings
    from django.db import connections
    from django_scopes import scopes_disabled

    from crm.core import auditchain

    db = settings.DATABASES["default"]
    with scopes_disabled():
        members = [owner] + [_owner(firm) for _ in range(3)]
    before = _bouncer_stats(str(db["PORT"]), db["NAME"])

    def work(member: Any) -> list[int]:
        client = _login(firm, member)
        statuses = []
        for n in range(5):
            statuses.append(
                client.post(
                    "/clients/new/",
                    {
                        "kind": "person",
                        "first_name": "Pool",
                        "last_name": f"Member{member.pk}x{n}",
                    },
                ).status_code
            )
            statuses.append(client.get("/clients/").status_code)
        export = client.get("/cases/export.csv")
        statuses.append(export.status_code)
        b"".join(export.streaming_content)  # the export iterates its rows now
        connections.close_all()
        return statuses

    with ThreadPoolExecutor(max_workers=len(members)) as pool:
        statuses = [code for codes in pool.map(work, members) for code in codes]
    after = _bouncer_stats(str(db["PORT"]), db["NAME"])
    chain = auditchain.verify(firm)
    return {
        "statuses": sorted(set(statuses)),
        "requests": len(statuses),
        "pool_mode": after["pool_mode"],
        "transactions": int(after["total_xact_count"])
        - int(before["total_xact_count"]),
        "server_side_cursors": not settings.DATABASES["default"].get(
            "DISABLE_SERVER_SIDE_CURSORS", False
        ),
        "prepare_threshold": settings.PREPARE_THRESHOLD,
        "audit_rows": chain.rows,
        "audit_chain_broken": str(chain.broken) if chain.broken else "",
    }


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "replica"
    result = pgbouncer() if mode == "pgbouncer" else replica()
    sys.stdout.write(json.dumps(result) + "\n")  # the test reads this line
