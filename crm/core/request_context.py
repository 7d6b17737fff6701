"""Per-request facts that services need but should not take from views.

The middleware sets the client IP here so that every audit event carries it,
whether the service was called by a view, the API or (with no IP) a job.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def client_ip() -> str | None:
    """Return the IP address of the request being served, if any."""
    return _client_ip.get()


@contextmanager
def request_ip(ip: str | None) -> Iterator[None]:
    """Make ``ip`` the current client IP for the duration of the block."""
    token = _client_ip.set(ip)
    try:
        yield
    finally:
        _client_ip.reset(token)
