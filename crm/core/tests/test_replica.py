"""A real streaming standby: list reads go to it, a member's own write never waits.

The test starts its own primary and standby with ``scripts/replica.sh``
(``var/pgcluster-test``, ports 5443 and 5444) whatever database the rest of
the suite uses, and drives the app against them in a separate process
(``replica_driver.py``), judging by each server's own statistics. It runs in
every pass of the suite: it does not touch the suite's database. The
clusters are kept between runs (the first run migrates, about a minute; later
runs take a few seconds) and stopped by the last test process to finish.
"""

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PRIMARY_PORT = "5443"
STANDBY_PORT = "5444"
BOUNCER_PORT = "6443"
DB = "casework_replica_test"

pytestmark = pytest.mark.skipif(
    not (PG_BIN / "pg_basebackup").exists() or shutil.which("runuser") is None,
    reason=f"needs the PostgreSQL server binaries in {PG_BIN} (set PG_BIN)",
)


@pytest.fixture(scope="module")
def clusters():
    """Start the test's own primary and standby; stop them afterwards."""
    env = {
        **os.environ,
        "PG_BIN": str(PG_BIN),
        "PGCLUSTER_DIR": str(ROOT / "var" / "pgcluster-test"),
        "PG_PRIMARY_PORT": PRIMARY_PORT,
        "PG_STANDBY_PORT": STANDBY_PORT,
        "PGBOUNCER_PORT": BOUNCER_PORT,
        "PGCLUSTER_DB": DB,
    }
    script = str(ROOT / "scripts" / "replica.sh")
    # Each test process holds a shared lock while it uses the clusters; the
    # last one out (the one that then gets the lock alone) stops them, so one
    # xdist worker never stops them under another.
    users = Path(env["PGCLUSTER_DIR"]).with_suffix(".users")
    users.parent.mkdir(parents=True, exist_ok=True)
    with users.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        subprocess.run([script, "start"], env=env, check=True, capture_output=True)
        yield env
        fcntl.flock(lock, fcntl.LOCK_UN)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # another process still uses them and will stop them
        subprocess.run([script, "stop"], env=env, check=True, capture_output=True)


def _drive(mode: str, **env: str) -> dict[str, Any]:
    """Run the driver in ``mode`` with ``env``; return the figures it printed.

    One driver at a time (xdist may run both tests at once): each judges by
    the servers' counters, which another's traffic would move.
    """
    with (ROOT / "var" / "pgcluster-test.drive").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = subprocess.run(
            [sys.executable, "-m", "crm.core.tests.replica_driver", mode],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def test_list_reads_come_from_the_standby_and_own_writes_from_the_primary(clusters):
    """The Clients list reads the standby; after a write the member reads the primary.

    Right after adding a client the member's search shows it, read from the
    primary (the standby is not asked); once the sticky window is over the
    same search is answered by the standby, which has the row by then.
    """
    figures = _drive(
        "replica",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DB}",
        DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{STANDBY_PORT}/{DB}",
        REPLICA_STICKY_SECONDS="1",
        CONN_MAX_AGE="60",
    )

    listed = figures["list"]
    assert listed["status"] == 200
    assert listed["standby_scans"] >= 1
    assert listed["primary_scans"] == 0
    assert listed["sticky_cookie"] is False

    created = figures["create"]
    assert created["status"] == 302
    assert figures["create_location"].startswith("/clients/")
    assert created["sticky_cookie"] is True
    assert created["standby_scans"] == 0

    own = figures["own_write"]
    assert own["status"] == 200
    assert own["shows_new_client"] is True
    assert own["primary_scans"] >= 1
    assert own["standby_scans"] == 0

    later = figures["after_sticky"]
    assert later["status"] == 200
    assert later["shows_new_client"] is True
    assert later["standby_scans"] >= 1
    assert later["primary_scans"] == 0


@pytest.mark.skipif(
    shutil.which("pgbouncer") is None,
    reason="needs Debian's pgbouncer (make test installs it)",
)
def test_pages_and_writes_work_through_pgbouncer_in_transaction_pooling(clusters):
    """Four members write and read at once through PgBouncer (transaction pooling).

    Nothing outlives a transaction: every request answers, the audit chain
    (locked per transaction) stays whole, the export iterates without a
    server-side cursor and no statement is prepared. PgBouncer's own counters
    show the traffic went through it, in transaction mode.
    """
    subprocess.run(
        [str(ROOT / "scripts" / "replica.sh"), "pgbouncer"],
        env=clusters,
        check=True,
        capture_output=True,
    )
    figures = _drive(
        "pgbouncer",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{BOUNCER_PORT}/{DB}",
        DATABASE_POOLER="transaction",
        DATABASE_REPLICA_URL="",
    )
    assert figures["statuses"] == [200, 302]
    assert figures["requests"] == 4 * 11
    assert figures["pool_mode"] == "transaction"
    assert figures["transactions"] >= 4 * 11
    assert figures["server_side_cursors"] is False
    # No statement prepared, not even by the detail pages: the next
    # transaction may run on another server connection.
    assert figures["prepare_threshold"] == 0
    assert figures["audit_rows"] >= 4 * 5
    assert figures["audit_chain_broken"] == ""
