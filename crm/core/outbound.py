"""The one guarded outbound HTTP client (STYLE B7, B11; SPEC K3/G5).

This is the only module that may import an HTTP library (``scripts/lint.py``
enforces it). Every call here:

- refuses any scheme but http and https;
- resolves the host itself and refuses private, loopback, link-local,
  multicast, reserved and otherwise non-global addresses, unless the exact
  ``host:port`` is listed in ``settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS``;
- connects to the address it checked (the URL is rewritten to that IP and the
  original ``Host`` header and TLS server name are kept), so a second DNS
  answer cannot send the request somewhere else;
- sets a connect and a read timeout, and an overall deadline for the body;
- keeps connections alive: one client per host name, port and checked
  address in each process, so a worker sending one message after another to
  the same partner reuses its connection (every request is checked first, as
  above; a connection is never shared between two host names);
- never follows redirects: a 3xx comes back as a failed result;
- sends ``Idempotency-Key`` and ``User-Agent: Casework/<version>``;
- reads at most ``max_body`` bytes of the response.

Errors never leak as httpx exceptions: every outcome is an ``HttpResult``.
"""

import enum
import functools
import ipaddress
import json
import logging
import os
import re
import socket
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from crm import __version__

logger = logging.getLogger(__name__)

USER_AGENT = f"Casework/{__version__}"
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_TIMEOUT = 10.0
MAX_BODY_BYTES = 64 * 1024
EXCERPT_CHARS = 1000
DEFAULT_PORTS = {"http": 80, "https": 443}
RETRYABLE_STATUSES = frozenset({408, 429})
# Kept-alive clients per process, and how long an idle connection is kept.
MAX_CLIENTS = 32
KEEPALIVE_SECONDS = 5.0
MAX_IDLE_CONNECTIONS = 4

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# The clock for durations and the body deadline (replaced in tests).
_clock = time.monotonic

_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
HOSTNAME = re.compile(rf"(?=.{{1,253}}\Z){_LABEL}(?:\.{_LABEL})*\.?\Z", re.IGNORECASE)


class OutboundErrorKind(enum.StrEnum):
    """Why a request produced no HTTP response."""

    BAD_URL = "bad_url"
    DESTINATION_REFUSED = "destination_refused"
    DNS = "dns"
    CONNECT = "connect"
    TIMEOUT = "timeout"
    PROTOCOL = "protocol"


# Transient failures: the same request may well succeed later.
_RETRYABLE_KINDS = frozenset(
    {
        OutboundErrorKind.DNS,
        OutboundErrorKind.CONNECT,
        OutboundErrorKind.TIMEOUT,
        OutboundErrorKind.PROTOCOL,
    }
)


@dataclass(frozen=True)
class HttpResult:
    """What came back from one outbound request, or why nothing did.

    ``status_code`` is None when no response arrived; ``error_kind`` then says
    why. A 3xx, 4xx or 5xx response has a status code, ``ok`` false and an
    ``error`` that describes it. Header names are lower case.
    """

    status_code: int | None
    duration_ms: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    error_kind: OutboundErrorKind | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        """Return True for a 2xx response."""
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def retryable(self) -> bool:
        """Return True if trying the same request again later may succeed.

        Network trouble, timeouts, 5xx, 408 and 429 may pass; a refused URL or
        destination, a redirect and other 4xx answers will not.
        """
        if self.error_kind is not None:
            return self.error_kind in _RETRYABLE_KINDS
        if self.status_code is None or self.ok:
            return False
        return self.status_code >= 500 or self.status_code in RETRYABLE_STATUSES

    @property
    def text(self) -> str:
        """Return the body read so far as text, without NUL characters."""
        return self.body.decode("utf-8", errors="replace").replace("\x00", "")

    def excerpt(self, limit: int = EXCERPT_CHARS) -> str:
        """Return the first ``limit`` characters of the body as text."""
        return self.text[:limit]


class DestinationRefused(Exception):
    """The URL's host resolves only to addresses Casework may not call."""


def _elapsed_ms(started: float) -> int:
    return int((_clock() - started) * 1000)


def _is_public(ip: IPAddress) -> bool:
    """Return True if ``ip`` is a globally routable unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _is_public(ip.ipv4_mapped)
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_unspecified
    )


def _valid_host(host: str) -> bool:
    """Return True for an IP address or a well-formed (ASCII) DNS name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return HOSTNAME.match(host) is not None
    return True


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def resolve_destination(
    host: str, port: int, *, allow_loopback: bool = False
) -> IPAddress:
    """Return the address to connect to for ``host:port``, or refuse it.

    Resolve ``host`` and return the first address that is public, or any
    address when ``host:port`` (as written in the URL, or as the resolved
    address) is listed in ``settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS``.
    ``allow_loopback`` also admits a loopback address (127.0.0.0/8, ::1): the
    caller's own development setting decides (webhooks to localhost in DEBUG).

    Raise ``socket.gaierror`` when the name does not resolve and
    ``DestinationRefused`` when no address may be called.
    """
    allowed = {
        entry.strip().lower() for entry in settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS
    }
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for info in infos:
        # The first item of the sockaddr tuple is the address for IPv4 and IPv6;
        # an IPv6 address may carry a "%scope" suffix.
        text = str(info[4][0]).split("%", 1)[0]
        ip = ipaddress.ip_address(text)
        if ip not in addresses:
            addresses.append(ip)
    host_allowed = _host_port(host.lower(), port) in allowed
    for ip in addresses:
        if (
            host_allowed
            or _is_public(ip)
            or _host_port(str(ip), port) in allowed
            or (allow_loopback and ip.is_loopback)
        ):
            return ip
    listed = ", ".join(str(ip) for ip in addresses) or "no address"
    msg = (
        f"Refused to call {_host_port(host, port)}: it resolves to {listed}, "
        "which is not a public address. List the exact host:port in "
        "OUTBOUND_ALLOWED_PRIVATE_HOSTS to allow it."
    )
    raise DestinationRefused(msg)


def _failure(started: float, kind: OutboundErrorKind, error: str) -> HttpResult:
    logger.info("Outbound request failed (%s): %s", kind, error)
    return HttpResult(
        status_code=None,
        duration_ms=_elapsed_ms(started),
        error_kind=kind,
        error=error,
    )


def _status_error(response: httpx.Response) -> str:
    """Return a description of a non-2xx ``response``, or "" for a 2xx."""
    code = response.status_code
    if 200 <= code < 300:
        return ""
    if 300 <= code < 400:
        location = response.headers.get("location", "")
        return f"HTTP {code}: redirect to {location or 'nowhere'} not followed."
    return f"HTTP {code} {response.reason_phrase}".strip()


def _read_capped(
    response: httpx.Response, max_body: int, deadline: float
) -> tuple[bytes, bool]:
    """Read at most ``max_body`` bytes of ``response``; say whether more was left."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_raw():
        chunks.append(chunk)
        size += len(chunk)
        if size > max_body:
            return b"".join(chunks)[:max_body], True
        if _clock() > deadline:
            msg = "The response body took too long."
            raise httpx.ReadTimeout(msg)
    return b"".join(chunks), False


def post_json(
    *,
    url: str,
    payload: Any,
    idempotency_key: str,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    max_body: int = MAX_BODY_BYTES,
) -> HttpResult:
    """POST ``payload`` as JSON to ``url`` through the guards, and return the result.

    ``timeout`` bounds each read and write, ``connect_timeout`` the connection;
    the whole exchange, body included, is abandoned after
    ``connect_timeout + 2 * timeout`` seconds. ``headers`` are sent as given,
    except that ``Host``, ``User-Agent``, ``Idempotency-Key``, ``Content-Type``
    and ``Accept-Encoding`` are set here. Never raise for network or HTTP
    trouble: look at ``HttpResult.ok``, ``error_kind`` and ``retryable``.
    """
    return post(
        url=url,
        body=json.dumps(payload, cls=DjangoJSONEncoder).encode(),
        idempotency_key=idempotency_key,
        headers=headers,
        timeout=timeout,
        connect_timeout=connect_timeout,
        max_body=max_body,
    )


def post(
    *,
    url: str,
    body: bytes,
    idempotency_key: str,
    headers: Mapping[str, str] | None = None,
    content_type: str = "application/json",
    timeout: float = DEFAULT_TIMEOUT,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    max_body: int = MAX_BODY_BYTES,
    allow_loopback: bool = False,
) -> HttpResult:
    """POST ``body`` exactly as given (a signed body, say), like ``post_json``.

    ``allow_loopback`` lets the request go to a loopback address (see
    ``resolve_destination``); every other guard still applies.
    """
    extra = {"Idempotency-Key": idempotency_key, "Content-Type": content_type}
    return _request(
        "POST",
        url,
        body=body,
        headers={**(headers or {}), **extra},
        timeout=timeout,
        connect_timeout=connect_timeout,
        max_body=max_body,
        allow_loopback=allow_loopback,
    )


def get(
    *,
    url: str,
    timeout: float = DEFAULT_TIMEOUT,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    max_body: int = MAX_BODY_BYTES,
) -> HttpResult:
    """GET ``url`` through the same guards as ``post_json``, and return the result."""
    return _request(
        "GET",
        url,
        body=b"",
        headers={"Accept": "application/json"},
        timeout=timeout,
        connect_timeout=connect_timeout,
        max_body=max_body,
    )


def _request(
    method: str,
    url: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
    connect_timeout: float,
    max_body: int,
    allow_loopback: bool = False,
) -> HttpResult:
    """Check ``url`` and its destination, then send the request there."""
    started = _clock()
    try:
        parsed = httpx.URL(url)
        scheme = parsed.scheme
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError) as exc:
        return _failure(started, OutboundErrorKind.BAD_URL, f"Invalid URL: {exc}")
    if scheme not in DEFAULT_PORTS:
        return _failure(
            started,
            OutboundErrorKind.BAD_URL,
            f"Refused URL scheme {scheme!r}: only http and https are allowed.",
        )
    if not _valid_host(host):
        return _failure(
            started, OutboundErrorKind.BAD_URL, f"Invalid host in URL: {host!r}."
        )
    port = parsed.port or DEFAULT_PORTS[scheme]
    if not 0 < port < 65536:
        return _failure(started, OutboundErrorKind.BAD_URL, f"Invalid port {port}.")
    try:
        ip = resolve_destination(host, port, allow_loopback=allow_loopback)
    except DestinationRefused as exc:
        return _failure(started, OutboundErrorKind.DESTINATION_REFUSED, str(exc))
    except (OSError, UnicodeError, ValueError) as exc:
        return _failure(
            started, OutboundErrorKind.DNS, f"Could not resolve {host}: {exc}"
        )
    return _send(
        method=method,
        url=parsed,
        ip=ip,
        body=body,
        headers=headers,
        timeout=timeout,
        connect_timeout=connect_timeout,
        max_body=max_body,
        started=started,
    )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Return the one verifying TLS context (loading the CA bundle takes ~20 ms).

    An ``SSLContext`` may be shared by many connections and threads.
    """
    return httpx.create_ssl_context(trust_env=False)


ClientKey = tuple[str, str, int, str]
_clients: "OrderedDict[ClientKey, httpx.Client]" = OrderedDict()
_clients_lock = threading.Lock()
_clients_pid = os.getpid()


def _client(key: ClientKey) -> httpx.Client:
    """Return this process's client for ``key`` (scheme, host, port, address).

    A client holds the kept-alive connections to one checked address for one
    host name (its TLS server name and ``Host``), never another's. The least
    recently used client goes once there are ``MAX_CLIENTS``; a forked
    process starts with none of its parent's.
    """
    global _clients_pid
    with _clients_lock:
        if _clients_pid != os.getpid():
            _clients.clear()
            _clients_pid = os.getpid()
        client = _clients.get(key)
        if client is not None:
            _clients.move_to_end(key)
            return client
        transport = httpx.HTTPTransport(
            verify=_tls_context(),
            trust_env=False,
            limits=httpx.Limits(
                max_keepalive_connections=MAX_IDLE_CONNECTIONS,
                keepalive_expiry=KEEPALIVE_SECONDS,
            ),
            # A request goes out as headers, then body: without this the body
            # waits for the receiver's delayed ACK (~40 ms per kept-alive send).
            socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
        )
        client = httpx.Client(
            follow_redirects=False, trust_env=False, transport=transport
        )
        _clients[key] = client
        while len(_clients) > MAX_CLIENTS:
            # Not closed here: another thread may be using it; its idle
            # connections close when it is collected.
            _clients.popitem(last=False)
        return client


def close_clients() -> None:
    """Close every kept-alive connection of this process (tests, shutdown)."""
    with _clients_lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        client.close()


def _send(
    *,
    method: str,
    url: httpx.URL,
    ip: IPAddress,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
    connect_timeout: float,
    max_body: int,
    started: float,
) -> HttpResult:
    """Send the checked request to ``ip`` and read the capped response."""
    host = url.raw_host.decode("ascii")
    request_headers = {
        **headers,
        "Host": url.netloc.decode("ascii"),
        "User-Agent": USER_AGENT,
        "Accept-Encoding": "identity",
    }
    extensions = {"sni_hostname": host} if url.scheme == "https" else {}
    deadline = started + connect_timeout + 2 * timeout
    port = url.port or DEFAULT_PORTS[url.scheme]
    client = _client((url.scheme, host.lower(), port, str(ip)))
    try:
        with client.stream(
            method,
            url.copy_with(host=str(ip)),
            content=body or None,
            headers=request_headers,
            extensions=extensions,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
        ) as response:
            content, truncated = _read_capped(response, max_body, deadline)
            return HttpResult(
                status_code=response.status_code,
                duration_ms=_elapsed_ms(started),
                headers={k.lower(): v for k, v in response.headers.items()},
                body=content,
                truncated=truncated,
                error=_status_error(response),
            )
    except httpx.TimeoutException as exc:
        return _failure(
            started,
            OutboundErrorKind.TIMEOUT,
            f"Timed out: {exc or type(exc).__name__}",
        )
    except httpx.ConnectError as exc:
        return _failure(started, OutboundErrorKind.CONNECT, f"Could not connect: {exc}")
    except httpx.HTTPError as exc:
        return _failure(
            started, OutboundErrorKind.PROTOCOL, f"{type(exc).__name__}: {exc}"
        )
