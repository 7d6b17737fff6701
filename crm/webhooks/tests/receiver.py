"""A tiny webhook receiver for tests: an HTTP server on a free port in a thread.

It checks each request the way docs/webhooks.md tells a receiver to (its own
HMAC code, not Casework's), keeps the event ids it has handled, and answers
with whatever the test scripts next (200 by default).
"""

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def verify(secret: str, timestamp: str, signature: str, body: bytes) -> bool:
    """Check a Casework signature (the snippet of docs/webhooks.md)."""
    if abs(time.time() - int(timestamp)) > 300:
        return False
    signed = timestamp.encode() + b"." + body
    expected = "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, s.strip()) for s in signature.split(","))


@dataclass
class Received:
    """What the receiver has seen, across restarts."""

    secret: str
    requests: int = 0
    bad_signatures: int = 0
    handled: dict[str, dict[str, Any]] = field(default_factory=dict)
    repeats: Counter[str] = field(default_factory=Counter)
    # Answers to give next, as (status, headers); then 200.
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Receiver:
    """Start, stop and start again a receiver on one port."""

    def __init__(self, secret: str) -> None:
        self.seen = Received(secret=secret)
        self.port = 0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/casework"

    def start(self) -> None:
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ok = verify(
                    seen.secret,
                    self.headers.get("Casework-Timestamp", "0"),
                    self.headers.get("Casework-Signature", ""),
                    body,
                )
                with seen.lock:
                    seen.requests += 1
                    status, headers = seen.script.pop(0) if seen.script else (200, {})
                    if not ok:
                        seen.bad_signatures += 1
                        status, headers = 400, {}
                    elif status == 200 or status >= 500:
                        # Handled (a 5xx after handling: the answer is lost).
                        event = json.loads(body)
                        if event["id"] in seen.handled:
                            seen.repeats[event["id"]] += 1
                        else:
                            seen.handled[event["id"]] = event
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        ).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
