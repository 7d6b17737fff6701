"""Serve the simulator with the standard library's threading WSGI server."""

import contextlib
import logging
import socket
import socketserver
import threading
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import WSGIApplication

from simulator.app import DROP_CONNECTION, Simulator

logger = logging.getLogger("simulator")


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per request; threads do not keep the process alive."""

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True


class Handler(WSGIRequestHandler):
    """Log through ``logging`` and let the app drop the connection."""

    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        environ[DROP_CONNECTION] = self.drop_connection
        return environ

    def drop_connection(self) -> None:
        """Close the connection now, so the client gets no answer at all."""
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
