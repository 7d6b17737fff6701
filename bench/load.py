"""Throughput: gunicorn with 4 workers on one page, loaded by ``wrk`` from 127.0.0.1.

The load is bounded: ``wrk`` keeps a fixed number of connections, each
sending its next request when the previous answer arrives. p95 comes from a
small Lua ``done`` hook, since ``wrk --latency`` prints 50/75/90/99 only.

On one machine the web workers share its cores with ``wrk`` and the database,
so requests per second over the machine's cores understates what a core of a
web node serves. The workers' own CPU time over the timed run (``/proc``)
gives that directly: ``web_per_core`` is 1000 over their CPU milliseconds a
request.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from config.env import BASE_DIR

WORKERS = 4
P95_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\\n", latency:percentile(95)))
  io.write(string.format("TIMEOUTS %d\\n", summary.errors.timeout))
end
"""


@dataclass
class Throughput:
    """Requests per second (total and per core) and latency under load."""

    path: str
    workers: int
    connections: int
    seconds: int
    requests_per_second: float
    per_core: float
    cores: int
    p95_ms: float
    non_2xx: int
    timeouts: int
    worker_cpu_ms: float = 0.0
    web_per_core: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def wrk_path() -> str | None:
    """Return the ``wrk`` executable, or None when it is not installed."""
    return shutil.which("wrk")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


WARM_REQUESTS = 10 * WORKERS


def _warm_up(args: list[str], timeout: float = 120) -> None:
    """Load the page until every worker has likely served it a few times.

    A worker's first request compiles the templates (about 2 s of CPU), which
    must not land in the timed run; on a busy machine 2 s of warm-up may not
    reach every worker, so warm until ``WARM_REQUESTS`` answers (or time out).
    """
    served = 0
    deadline = time.monotonic() + timeout
    while served < WARM_REQUESTS and time.monotonic() < deadline:
        out = subprocess.run(args, capture_output=True, check=True, text=True).stdout  # noqa: S603
        done = re.search(r"(\d+) requests in", out)
        served += int(done.group(1)) if done else 0


def _workers_cpu_seconds(master: int) -> float:
    """Return the CPU seconds (user + system) the master's children have used."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0
    for child in children:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / tick


def _wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    msg = f"gunicorn did not listen on port {port}"
    raise RuntimeError(msg)


def _wait_answering(url: str, cookie: str, timeout: float = 120) -> None:
    """Wait until ``url`` answers 200 with the session, as each worker will."""
    name, value = cookie.split(": ", 1)
    request = urllib.request.Request(url, headers={name: value})  # noqa: S310 - our own server
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(request, timeout=30) as answer,  # noqa: S310
        ):
            if answer.status == 200:
                return
        time.sleep(0.2)
    msg = f"{url} did not answer 200 within {timeout:.0f} s"
    raise RuntimeError(msg)


def measure(
    path: str,
    session_cookie: str,
    *,
    seconds: int = 20,
    connections: int = 8,
    extra_env: dict[str, str] | None = None,
) -> Throughput:
    """Serve the app with gunicorn and load ``path`` with ``wrk``.

    ``extra_env`` overrides the server's environment (e.g. the databases).
    """
    wrk = wrk_path()
    if wrk is None:
        msg = "wrk is not installed (make bench installs Debian's wrk)"
        raise RuntimeError(msg)
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    env["DATABASE_URL"] = _database_url()
    env.update(extra_env or {})
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # Load the app once, before the port opens and the workers fork:
            # on a busy machine four workers importing Django each took longer
            # than the warm-up, and the load test counted their start-up.
            "--preload",
            "config.wsgi:application",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        _wait_for(port)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(P95_SCRIPT)
        url = f"http://127.0.0.1:{port}{path}"
        cookie = f"Cookie: {settings.SESSION_COOKIE_NAME}={session_cookie}"
        _wait_answering(url, cookie)
        args = [  # a slow page must count as slow, not as a timeout error
            wrk,
            "-t2",
            f"-c{connections}",
            "-d2s",
            "--timeout",
            "30s",
            "-H",
            cookie,
            "-s",
            script.name,
            url,
        ]
        _warm_up(args)
        args[args.index("-d2s")] = f"-d{seconds}s"
        cpu_before = _workers_cpu_seconds(server.pid)
        out = subprocess.run(args, capture_output=True, check=True, text=True).stdout  # noqa: S603
        cpu = _workers_cpu_seconds(server.pid) - cpu_before
        Path(script.name).unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return _parse(out, path, seconds, connections, worker_cpu_seconds=cpu)


def _parse(
    out: str,
    path: str,
    seconds: int,
    connections: int,
    *,
    worker_cpu_seconds: float = 0.0,
) -> Throughput:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]  # wrk always prints it
    done = re.search(r"(\d+) requests in", out)
    requests = int(done.group(1)) if done else 0
    cpu_ms = (
        worker_cpu_seconds * 1000 / requests if requests and worker_cpu_seconds else 0.0
    )
    p95 = int(re.search(r"P95_US (\d+)", out).group(1)) / 1000  # type: ignore[union-attr]  # printed by the Lua hook
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    cores = os.cpu_count() or 1
    return Throughput(
        path=path,
        workers=WORKERS,
        connections=connections,
        seconds=seconds,
        requests_per_second=rps,
        per_core=rps / cores,
        cores=cores,
        p95_ms=p95,
        non_2xx=int(bad.group(1)) if bad else 0,
        timeouts=int(re.search(r"TIMEOUTS (\d+)", out).group(1)),  # type: ignore[union-attr]  # printed by the Lua hook
        worker_cpu_ms=round(cpu_ms, 2),
        web_per_core=round(1000 / cpu_ms, 1) if cpu_ms else 0.0,
    )


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"
