"""``scripts/keep_running.sh``: ``make run`` starts a dead worker again (A10)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "keep_running.sh"
CHILD = (
    "import os, pathlib, sys, time; "
    "pathlib.Path(sys.argv[1]).open('a').write(f'{os.getpid()}\\n'); "
    "time.sleep(60)"
)


def _pids(path: Path) -> list[int]:
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _wait_for(predicate, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail("timed out")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child of the script counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_a_killed_worker_is_started_again_and_stopping_stops_it(tmp_path):
    """kill -9 the command: a new one starts; TERM the script: both are gone."""
    log = tmp_path / "pids"
    env = {**os.environ, "KEEP_RUNNING_DELAY": "0.1"}
    keeper = subprocess.Popen(  # the project's script, fixed arguments
        [str(SCRIPT), "Test worker", sys.executable, "-c", CHILD, str(log)],
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(lambda: len(_pids(log)) == 1)
        first = _pids(log)[0]
        os.kill(first, signal.SIGKILL)
        _wait_for(lambda: len(_pids(log)) == 2)
        second = _pids(log)[1]
        assert second != first
        assert _alive(second) is True
        keeper.send_signal(signal.SIGTERM)
        keeper.wait(10)
        _wait_for(lambda: not _alive(second))
    finally:
        keeper.kill()
    assert keeper.returncode == 0
    _, err = keeper.communicate()
    assert b"Test worker stopped (exit 137); starting it again" in err
