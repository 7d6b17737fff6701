"""Which URLs an endpoint may have: the registration half of the SSRF guard.

Decided (docs/webhooks.md, "Where Casework will send"):

- ``https://`` to a public address only. A name is resolved when the endpoint
  is saved and refused when it resolves only to private, loopback,
  link-local or reserved addresses; the guarded client
  (``crm.core.outbound``) checks again at every delivery and connects to the
  address it checked, so a name that later resolves somewhere private is
  refused then too (DNS rebinding).
- ``http://`` or ``https://`` to ``localhost``, ``127.0.0.1`` or ``[::1]``
  only when ``settings.WEBHOOKS_ALLOW_LOCALHOST`` is on (by default, when
  ``DEBUG``): for a receiver on a developer's machine. Other private
  addresses (10/8, 192.168/16, ...) are never allowed.
- No user name or password in the URL (put secrets in the receiver's
  verification of the signature instead).
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

from crm.core.exceptions import ApplicationError
from crm.core.outbound import DestinationRefused, resolve_destination
from crm.webhooks.models import URL_MAX_LENGTH

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, "invalid_url", {"field": "url"})


def is_local(url: str) -> bool:
    """Return True if ``url`` names this machine (localhost, 127.0.0.1, ::1)."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS


def localhost_allowed() -> bool:
    """Return whether endpoints on localhost are allowed (development)."""
    return bool(settings.WEBHOOKS_ALLOW_LOCALHOST)


def clean_url(url: str) -> str:
    """Return ``url`` if an endpoint may have it; raise ``ApplicationError`` if not."""
    url = url.strip()
    if not url:
        raise _refuse("Enter the URL that should receive the events.")
    if len(url) > URL_MAX_LENGTH:
        raise _refuse(f"Keep the URL under {URL_MAX_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError as exc:
        raise _refuse(
            "Enter a valid URL, e.g. https://hooks.example.com/casework."
        ) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise _refuse("Enter a URL that starts with https://.")
    if parts.username or parts.password:
        raise _refuse("Leave the user name and password out of the URL.")
    if host in LOCAL_HOSTS:
        if not localhost_allowed():
            raise _refuse(
                "Casework does not send events to localhost here: that is for "
                "development only. Use your receiver's public https:// URL."
            )
        return url
    if scheme != "https":
        raise _refuse(
            "Use https://. Plain http:// is allowed only to localhost, for development."
        )
    _check_public(host, port or 443)
    return url


def _check_public(host: str, port: int) -> None:
    """Refuse ``host`` if it is, or resolves only to, a non-public address."""
    private = _refuse(
        "That address is on a private network, and Casework only sends "
        "events to public addresses. Use your receiver's public URL."
    )
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        if not literal.is_global or literal.is_multicast:
            raise private
        return
    if host.endswith((".localhost", ".local", ".internal")):
        raise private
    try:
        resolve_destination(host, port)
    except DestinationRefused as exc:
        raise private from exc
    except (OSError, UnicodeError, ValueError):
        # Not resolvable now: each delivery resolves and checks it again.
        return
