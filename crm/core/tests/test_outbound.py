"""The guarded outbound HTTP client, against a real HTTP server on 127.0.0.1.

Nothing here leaves the machine: the server listens on loopback, and names
other than 127.0.0.1 are resolved by a stand-in for ``socket.getaddrinfo``.
"""

import datetime
import ipaddress
import itertools
import json
import socket
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import crm
from crm.core import outbound
from crm.core.outbound import HttpResult, OutboundErrorKind
from crm.core.outbox.registry import DeliveryResult

ROOT = Path(__file__).resolve().parents[3]
BIG_BODY = b"A" * (200 * 1024)
REAL_GETADDRINFO = socket.getaddrinfo


class _Handler(BaseHTTPRequestHandler):
    """Answer by path: /ok, /slow, /redirect, /unavailable, /bad, /big."""

    server: "_Server"
    # Keep connections alive, as the client expects of a partner.
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        """Keep the test output quiet."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.requests.append((self.path, dict(self.headers), body))
        self.server.peers.append(self.client_address)
        if self.path == "/slow":
            self.server.release.wait(10)
        if self.path == "/garbage":
            self.wfile.write(b"THIS IS NOT HTTP\r\n\r\n")
            return
        status, headers, content = {
            "/ok": (200, {"Content-Type": "application/json"}, b'{"id": "S-1"}'),
            "/slow": (200, {}, b"late"),
            "/redirect": (302, {"Location": "/ok"}, b""),
            "/unavailable": (503, {}, b"try later"),
            "/throttled": (429, {"Retry-After": "5"}, b""),
            "/bad": (400, {}, b'{"error": "missing field"}'),
            "/big": (200, {}, BIG_BODY),
        }.get(self.path, (404, {}, b"no such path"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, dict[str, str], bytes]]
    peers: list[tuple[str, int]]
    release: threading.Event

    def handle_error(self, request, client_address):
        """Stay quiet when a client hangs up early (the timeout and TLS tests)."""


@pytest.fixture(scope="module")
def server():
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.requests = []
    httpd.peers = []
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def local(server, settings):
    """Allow the test server's 127.0.0.1:<port>; return a URL maker."""
    server.requests.clear()
    server.peers.clear()
    port = server.server_address[1]
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{port}"]
    return lambda path: f"http://127.0.0.1:{port}{path}"


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    """Resolve the names in the returned dict to the given addresses.

    A name mapped to None does not resolve; any other name but localhost
    raises, so a test cannot query real DNS by mistake.
    """
    names: dict[str, list[str] | None] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names:
            # Only addresses and localhost resolve for real: no DNS query leaves.
            if host != "localhost":
                ipaddress.ip_address(host)
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        addresses = names[host]
        if addresses is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port, 0, 0) if ":" in a else (a, port),
            )
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


def _post(url, **kwargs):
    values = {"payload": {"hello": "world"}, "idempotency_key": "key-1"} | kwargs
    return outbound.post_json(url=url, **values)


def test_post_sends_json_with_idempotency_key_and_user_agent(server, local):
    """The body is the JSON payload; the guard's headers and the caller's are sent."""
    result = _post(
        local("/ok"),
        payload={"on": datetime.date(2026, 6, 1), "amount": 1},
        idempotency_key="submission-7-v1",
        headers={"X-Signature": "abc"},
    )
    assert result.ok is True
    assert result.status_code == 200
    assert result.error == ""
    assert result.error_kind is None
    assert result.body == b'{"id": "S-1"}'
    assert result.headers["content-type"] == "application/json"
    assert result.truncated is False
    assert result.duration_ms >= 0
    ((path, headers, body),) = server.requests
    assert path == "/ok"
    assert headers["Idempotency-Key"] == "submission-7-v1"
    assert headers["User-Agent"] == f"Casework/{crm.__version__}"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Signature"] == "abc"
    assert headers["Host"] == f"127.0.0.1:{server.server_address[1]}"
    assert json.loads(body) == {"on": "2026-06-01", "amount": 1}


def test_one_connection_serves_requests_to_the_same_host(server, local):
    """A second request to the same host reuses the kept-alive connection."""
    outbound.close_clients()
    assert _post(local("/ok")).ok is True
    assert _post(local("/ok"), idempotency_key="key-2").ok is True
    first, second = server.peers
    assert first == second


def test_requests_go_out_without_waiting_for_a_delayed_ack(server, local, monkeypatch):
    """A new connection sets TCP_NODELAY: a request is written as headers then
    body, and with Nagle's algorithm the body would wait for the receiver's
    delayed ACK (about 40 ms per request on a kept-alive connection)."""
    outbound.close_clients()
    options = []
    setsockopt = socket.socket.setsockopt

    def spy(sock, *option):
        options.append(option)
        return setsockopt(sock, *option)

    monkeypatch.setattr(socket.socket, "setsockopt", spy)
    assert _post(local("/ok")).ok is True
    assert (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1) in options


def test_a_kept_connection_still_passes_every_guard(server, local, settings):
    """Each request is checked before a kept connection is used: once the
    address is no longer allowed, nothing is sent on it."""
    outbound.close_clients()
    assert _post(local("/ok")).ok is True
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = []
    refused = _post(local("/ok"))
    assert refused.error_kind == OutboundErrorKind.DESTINATION_REFUSED
    assert len(server.requests) == 1


def test_two_host_names_never_share_a_connection(server, local, settings, fake_dns):
    """A name resolving to the same address gets its own connection."""
    outbound.close_clients()
    port = server.server_address[1]
    fake_dns["partner.example"] = ["127.0.0.1"]
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = [
        f"127.0.0.1:{port}",
        f"partner.example:{port}",
    ]
    assert _post(local("/ok")).ok is True
    assert _post(f"http://partner.example:{port}/ok").ok is True
    assert server.peers[0] != server.peers[1]
    assert server.requests[1][1]["Host"] == f"partner.example:{port}"


def test_a_forked_process_starts_without_its_parents_clients(local, monkeypatch):
    """Connections are never shared with a child process (pre-forking servers)."""
    outbound.close_clients()
    assert _post(local("/ok")).ok is True
    assert outbound._clients
    ((key, parents),) = outbound._clients.items()
    assert outbound._client(key) is parents
    monkeypatch.setattr(outbound, "_clients_pid", -1)
    assert outbound._client(key) is not parents
    assert outbound._clients_pid != -1


def test_the_checked_address_is_the_one_connected_to(server, settings, fake_dns):
    """A name is resolved once and the request goes to that address with its Host."""
    port = server.server_address[1]
    server.requests.clear()
    fake_dns["partner.example"] = ["127.0.0.1"]
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = [f"partner.example:{port}"]
    result = _post(f"http://partner.example:{port}/ok")
    assert result.ok is True
    ((_, headers, _),) = server.requests
    assert headers["Host"] == f"partner.example:{port}"


def test_a_timeout_comes_back_as_a_retryable_result(server, local):
    """A server slower than the read timeout gives a TIMEOUT result, no exception."""
    try:
        result = _post(local("/slow"), timeout=0.2)
    finally:
        server.release.set()
    assert result.ok is False
    assert result.status_code is None
    assert result.error_kind == OutboundErrorKind.TIMEOUT
    assert result.retryable is True
    assert result.error.startswith("Timed out")
    server.release.clear()


def test_a_slow_body_runs_into_the_overall_deadline(local, monkeypatch):
    """Past ``connect_timeout + 2 * timeout`` the body is abandoned as a timeout.

    The client's clock is made to jump 100 s per reading, so the deadline
    passes after the first chunk without the test waiting for it.
    """
    ticks = itertools.count(0, 100)
    monkeypatch.setattr(outbound, "_clock", lambda: next(ticks))
    result = _post(local("/ok"), timeout=10, connect_timeout=5)
    assert result.error_kind == OutboundErrorKind.TIMEOUT
    assert result.error == "Timed out: The response body took too long."
    assert result.retryable is True


def test_a_server_that_does_not_speak_http_is_a_protocol_failure(local):
    """A garbled answer is a PROTOCOL result, worth a retry."""
    result = _post(local("/garbage"))
    assert result.error_kind == OutboundErrorKind.PROTOCOL
    assert result.retryable is True
    assert result.status_code is None


def test_a_redirect_is_not_followed(server, local):
    """A 3xx is a failure that names the location; the target is never requested."""
    result = _post(local("/redirect"))
    assert result.ok is False
    assert result.status_code == 302
    assert result.error == "HTTP 302: redirect to /ok not followed."
    assert result.retryable is False
    assert [path for path, _, _ in server.requests] == ["/redirect"]


def test_a_server_error_is_retryable(local):
    """5xx answers are failures worth retrying, with the body's excerpt."""
    result = _post(local("/unavailable"))
    assert result.ok is False
    assert result.status_code == 503
    assert result.error == "HTTP 503 Service Unavailable"
    assert result.excerpt() == "try later"
    assert result.retryable is True


@pytest.mark.parametrize(("path", "retryable"), [("/bad", False), ("/throttled", True)])
def test_client_errors_are_final_except_throttling(local, path, retryable):
    """A 400 will not pass by retrying; a 429 may."""
    result = _post(local(path))
    assert result.ok is False
    assert result.retryable is retryable


def test_the_response_body_is_capped(local):
    """Only ``max_body`` bytes of a large response are read."""
    result = _post(local("/big"))
    assert len(result.body) == outbound.MAX_BODY_BYTES
    assert result.truncated is True
    assert result.ok is True
    assert result.excerpt() == "A" * 1000
    small = _post(local("/big"), max_body=10)
    assert small.body == b"A" * 10


def test_loopback_is_refused_unless_listed(server, settings, fake_dns):
    """127.0.0.1 (and names resolving to it) are refused with no allow-list entry."""
    server.requests.clear()
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = []
    port = server.server_address[1]
    for url in (f"http://127.0.0.1:{port}/ok", f"http://localhost:{port}/ok"):
        result = _post(url)
        assert result.ok is False
        assert result.error_kind == OutboundErrorKind.DESTINATION_REFUSED
        assert result.retryable is False
        assert "OUTBOUND_ALLOWED_PRIVATE_HOSTS" in result.error
    # Another port of an allowed host is still refused.
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{port + 1}"]
    assert _post(f"http://127.0.0.1:{port}/ok").error_kind == "destination_refused"
    assert server.requests == []


def test_allow_loopback_admits_loopback_only(fake_dns, settings):
    """``allow_loopback`` (webhooks in development) admits loopback, nothing else."""
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = []
    fake_dns["hooks.example"] = ["127.0.0.1"]
    fake_dns["lan.example"] = ["10.0.0.7"]
    with pytest.raises(outbound.DestinationRefused):
        outbound.resolve_destination("hooks.example", 9000)
    assert outbound.resolve_destination(
        "hooks.example", 9000, allow_loopback=True
    ) == ipaddress.ip_address("127.0.0.1")
    with pytest.raises(outbound.DestinationRefused):
        outbound.resolve_destination("lan.example", 9000, allow_loopback=True)


def test_post_sends_the_body_bytes_as_given(server, local):
    """``post`` sends a pre-serialised (signed) body unchanged."""
    body = b'{"b":1,"a":2}'
    result = outbound.post(url=local("/ok"), body=body, idempotency_key="k-raw")
    assert result.ok is True
    assert server.requests[-1][2] == body


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(fake_dns, settings, address):
    """Private, link-local, shared, multicast and reserved addresses are refused."""
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = []
    fake_dns["partner.example"] = [address]
    result = _post("https://partner.example/submit")
    assert result.error_kind == OutboundErrorKind.DESTINATION_REFUSED
    assert str(ipaddress.ip_address(address)) in result.error


def test_a_public_address_is_chosen_over_a_private_one(fake_dns, settings):
    """Of several answers, the first public one is used (no request is made here)."""
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = []
    fake_dns["partner.example"] = ["10.0.0.1", "93.184.216.34", "2606:2800:220:1::1"]
    ip = outbound.resolve_destination("partner.example", 443)
    assert ip == ipaddress.ip_address("93.184.216.34")


def test_an_allowed_resolved_address_may_be_private(fake_dns, settings):
    """Listing the resolved ``ip:port`` (IPv6 in brackets) also allows it."""
    fake_dns["sim.internal"] = ["fd00::5"]
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = ["[fd00::5]:8100"]
    assert outbound.resolve_destination("sim.internal", 8100) == (
        ipaddress.ip_address("fd00::5")
    )


def test_a_name_that_does_not_resolve_is_a_dns_failure(fake_dns):
    """DNS failure is reported, and may pass on retry."""
    fake_dns["nowhere.example"] = None
    result = _post("https://nowhere.example/")
    assert result.error_kind == OutboundErrorKind.DNS
    assert result.retryable is True
    assert "nowhere.example" in result.error


def test_a_refused_connection_is_a_connect_failure(settings, fake_dns):
    """Nothing listening on the port gives a CONNECT result."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{port}"]
    result = _post(f"http://127.0.0.1:{port}/")
    assert result.error_kind == OutboundErrorKind.CONNECT
    assert result.retryable is True


def test_tls_to_a_plain_http_server_fails_cleanly(server, settings, fake_dns):
    """HTTPS is sent to the pinned address with the name for TLS; a bad handshake
    comes back as a result, not an exception."""
    port = server.server_address[1]
    fake_dns["partner.example"] = ["127.0.0.1"]
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = [f"partner.example:{port}"]
    result = _post(f"https://partner.example:{port}/ok", timeout=2)
    assert result.ok is False
    assert result.error_kind in {OutboundErrorKind.CONNECT, OutboundErrorKind.PROTOCOL}


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "gopher://example.com/",
        "http:///nohost",
        "http://exa mple.com/",
        "http://-bad-.example/",
        "http://a..b/",
        f"http://{'x' * 64}.example/",
        "http://[::1",
        "http://[zz]/",
        "http://example.com:99999/",
    ],
)
def test_bad_urls_are_refused(fake_dns, url):
    """Only http and https URLs with a host are called."""
    result = _post(url)
    assert result.error_kind == OutboundErrorKind.BAD_URL
    assert result.retryable is False
    assert result.status_code is None


def test_results_know_what_is_worth_retrying():
    """Retryable: transport trouble, 5xx, 408, 429; never success or other 4xx."""
    assert HttpResult(status_code=200, duration_ms=1).retryable is False
    assert HttpResult(status_code=408, duration_ms=1).retryable is True
    assert HttpResult(status_code=404, duration_ms=1).retryable is False
    assert HttpResult(status_code=500, duration_ms=1).retryable is True
    assert HttpResult(status_code=None, duration_ms=1).retryable is False
    protocol = HttpResult(
        status_code=None, duration_ms=1, error_kind=OutboundErrorKind.PROTOCOL
    )
    assert protocol.retryable is True


def test_delivery_result_from_http_result():
    """A handler can hand the HTTP result straight to the outbox."""
    result = HttpResult(
        status_code=429, duration_ms=5, body=b"slow\x00 down", error="HTTP 429"
    )
    assert DeliveryResult.from_http(result) == DeliveryResult(
        ok=False, status_code=429, excerpt="slow down", error="HTTP 429", retryable=True
    )


def test_user_agent_version_matches_the_project():
    """``crm.__version__`` is the version in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert crm.__version__ == project["version"]
