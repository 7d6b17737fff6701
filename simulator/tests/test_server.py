"""The simulator's server keeps connections alive, as a real partner's does."""

import http.client
import json
import socket

from simulator.server import Running


def test_requests_follow_one_another_on_one_connection(simulator: Running) -> None:
    """Two requests, a POST with a body then a GET, are answered on one socket."""
    connection = http.client.HTTPConnection(simulator.host, simulator.port, timeout=5)
    try:
        connection.request(
            "POST", "/api/submissions", body=b"{}", headers={"Idempotency-Key": "k-1"}
        )
        first = connection.getresponse()
        assert first.status == 422
        assert first.version == 11
        assert json.loads(first.read())["errors"]
        sock = connection.sock
        assert sock is not None
        connection.request("GET", "/health")
        second = connection.getresponse()
        assert second.status == 200
        second.read()
        assert connection.sock is sock
    finally:
        connection.close()


def test_stopping_the_server_closes_idle_connections() -> None:
    """A connection left open is closed when the simulator stops."""
    running = Running().start()
    connection = http.client.HTTPConnection(running.host, running.port, timeout=5)
    try:
        connection.request("GET", "/health")
        connection.getresponse().read()
        assert running.server.connections
        running.stop()
        sock = connection.sock
        assert sock is not None
        assert sock.recv(1) == b""
    finally:
        connection.close()


def test_answers_are_not_held_back_by_nagles_algorithm() -> None:
    """The status and headers, then the body, go out at once (TCP_NODELAY).

    wsgiref writes them separately; with Nagle's algorithm the body would wait
    for the client's delayed ACK, about 40 ms per request on a kept-alive
    connection (deliveries per second depend on it).
    """
    running = Running().start()
    connection = http.client.HTTPConnection(running.host, running.port, timeout=5)
    try:
        connection.request("GET", "/health")
        connection.getresponse().read()
        (accepted,) = running.server.connections
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        connection.close()
        running.stop()
