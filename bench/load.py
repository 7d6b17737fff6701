"""Throughput: gunicorn with 4 workers on one page, loaded by ``wrk`` from 127.0.0.1.

The load is bounded: ``wrk`` keeps a fixed number of connections, each
sending its next request when the previous answer arrives. p95 comes from a
small Lua ``done`` hook, since ``wrk --latency`` prints 50/75/90/99 only.
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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def wrk_path() -> str | None:
    """Return the ``wrk`` executable, or None when it is not installed."""
    return shutil.which("wrk")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        subprocess.run(args, capture_output=True, check=True)  # noqa: S603 - warm-up
        args[args.index("-d2s")] = f"-d{seconds}s"
        out = subprocess.run(args, capture_output=True, check=True, text=True).stdout  # noqa: S603
        Path(script.name).unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return _parse(out, path, seconds, connections)


def _parse(out: str, path: str, seconds: int, connections: int) -> Throughput:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]  # wrk always prints it
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
    )


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"
