"""Per-request facts that services need but should not take from views.

The middleware sets the client IP here so that every audit event carries it,
whether the service was called by a view, the API or (with no IP) a job.

It also keeps what the request has already checked (:func:`remember`,
:func:`known`): a form that read a member's right to own work and the service
that checks it again in its transaction, in the same request, need one read.
Only a served request remembers anything; a job or a direct call of a
service reads every time.
"""

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
_known: ContextVar[set[Hashable] | None] = ContextVar("request_known", default=None)


def client_ip() -> str | None:
    """Return the IP address of the request being served, if any."""
    return _client_ip.get()


@contextmanager
def request_ip(ip: str | None) -> Iterator[None]:
    """Serve one request: ``ip`` is its client IP, and nothing is known yet."""
    token = _client_ip.set(ip)
    known = _known.set(set())
    try:
        yield
    finally:
        _known.reset(known)
        _client_ip.reset(token)


def remember(key: Hashable) -> None:
    """Note that this request has checked ``key`` (outside a request: nothing)."""
    found = _known.get()
    if found is not None:
        found.add(key)


def forget(key: Hashable) -> None:
    """Forget that this request checked ``key`` (what it was read from changed)."""
    found = _known.get()
    if found is not None:
        found.discard(key)


def known(key: Hashable) -> bool:
    """Return whether this request has already checked ``key``."""
    found = _known.get()
    return found is not None and key in found
