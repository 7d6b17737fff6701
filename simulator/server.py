"""Serve the simulator with the standard library's threading WSGI server.

Connections are kept alive (HTTP/1.1), as a real partner's are: a client
sends one request after another on the same connection, and the server
closes one that has been idle for ``IDLE_TIMEOUT`` seconds. Stopping the
server closes every connection it holds.
"""

import contextlib
import io
import logging
import socket
import socketserver
import threading
from typing import IO, Any, cast
from wsgiref.simple_server import (
    ServerHandler,
    WSGIRequestHandler,
    WSGIServer,
    make_server,
)
from wsgiref.types import WSGIApplication

from simulator.app import DROP_CONNECTION, MAX_BODY, Simulator

logger = logging.getLogger("simulator")

# Longer than a client keeps an idle connection (httpx: 5 s), so the client,
# not the server, ends an idle one and never writes to a half-closed socket.
IDLE_TIMEOUT = 30.0
MAX_REQUEST_LINE = 65536


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per connection; threads do not keep the process alive."""

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def server_activate(self) -> None:
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().server_activate()

    def close_connections(self) -> None:
        """Close every open connection, so no idle client talks to a stopped app."""
        with self.connections_lock:
            open_now = list(self.connections)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def server_close(self) -> None:
        super().server_close()
        self.close_connections()


class KeepAliveServerHandler(ServerHandler):
    """Answer in HTTP/1.1 (the app always sets ``Content-Length``)."""

    http_version = "1.1"
    request_handler: WSGIRequestHandler


class Handler(WSGIRequestHandler):
    """Serve requests one after another on a connection; let the app drop it."""

    server: ThreadingServer
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT
    dropped = False

    def setup(self) -> None:
        super().setup()
        # wsgiref sends the status and headers, then the body, in two writes:
        # with Nagle's algorithm on, the body waits for the client's delayed
        # ACK of the headers (about 40 ms on a kept-alive connection).
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def handle(self) -> None:
        self.close_connection = True
        self._handle_one()
        while not self.close_connection:
            self._handle_one()

    def _handle_one(self) -> None:
        """Read and answer one request; set ``close_connection`` when done."""
        self.close_connection = True
        try:
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
        except OSError:
            return
        if not self.raw_requestline:
            return
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            self.send_error(414)
            return
        if not self.parse_request():
            return
        keep_alive = not self.close_connection
        environ = self.get_environ()
        body = self._body(environ)
        if body is None:
            keep_alive = False
        else:
            environ["wsgi.input"] = body
        app = self.server.get_app()
        if app is None:
            return
        handler = KeepAliveServerHandler(
            environ.pop("wsgi.input", self.rfile),
            cast("IO[bytes]", self.wfile),
            self.get_stderr(),
            environ,
            multithread=False,
        )
        handler.request_handler = self
        handler.run(app)
        self.close_connection = not keep_alive or self.dropped

    def _body(self, environ: dict[str, Any]) -> io.BytesIO | None:
        """Read the request body now, so the next request starts where it ends.

        Return None, reading nothing, for a body too large to read (the app
        answers 413 and the connection is then closed).
        """
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length < 0 or length > MAX_BODY:
            return None
        return io.BytesIO(self.rfile.read(length) if length else b"")

    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        self.dropped = False
        environ[DROP_CONNECTION] = self.drop_connection
        return environ

    def drop_connection(self) -> None:
        """Close the connection now, so the client gets no answer at all."""
        self.dropped = True
        # The client may already have gone away.
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)  # noqa: G003


def build_server(host: str, port: int, app: WSGIApplication) -> ThreadingServer:
    """Bind ``app`` to ``host:port`` (port 0: any free port)."""
    server = make_server(host, port, app, ThreadingServer, Handler)
    assert isinstance(server, ThreadingServer)  # noqa: S101 - make_server's type
    return server


class Running:
    """A simulator served from a background thread (for tests and tools)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = Simulator()
        self.server = build_server(host, port, self.app)
        self.host = host
        self.port = self.server.server_port
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"concert-hub-simulator-{self.port}",
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "Running":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
