"""Signing webhook deliveries, and checking a signature (docs/webhooks.md).

A delivery carries ``Casework-Timestamp`` (Unix seconds) and
``Casework-Signature: v1=<hex>``, the HMAC-SHA256 of ``"<timestamp>.<body>"``
under the endpoint's secret. A receiver recomputes it over the raw body it
got, compares in constant time, and refuses timestamps older than a few
minutes, so a captured request cannot be replayed later.
"""

import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"  # noqa: S105  # a label, not a secret
SIGNATURE_VERSION = "v1"
TIMESTAMP_HEADER = "Casework-Timestamp"
SIGNATURE_HEADER = "Casework-Signature"
EVENT_ID_HEADER = "Casework-Event-Id"
EVENT_TYPE_HEADER = "Casework-Event-Type"
DEFAULT_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """Return a fresh endpoint secret (``whsec_`` and 32 random bytes)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """Return the ``v1=<hex>`` signature of ``body`` sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def headers(
    *, secret: str, body: bytes, event_id: str, event_type: str
) -> dict[str, str]:
    """Return the headers that sign ``body`` now."""
    timestamp = int(time.time())
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret=secret, timestamp=timestamp, body=body),
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
    }


def verify(
    *,
    secret: str,
    timestamp: str,
    signature_header: str,
    body: bytes,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """Return True if ``signature_header`` signs ``body`` at a recent ``timestamp``.

    The same check a receiver makes (docs/webhooks.md shows it standalone).
    """
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    now = time.time() if now is None else now
    if abs(now - sent) > tolerance:
        return False
    expected = signature(secret=secret, timestamp=sent, body=body)
    return any(
        hmac.compare_digest(expected, candidate.strip())
        for candidate in signature_header.split(",")
    )
