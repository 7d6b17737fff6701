"""Small request helpers shared by views."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest) -> str:
    """Return the ``next`` parameter if it is a local path on this site, else ""."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""


MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """Return ``value`` as a database id, or None if it is not a valid one.

    Refuses signs, non-ASCII digits (``"²".isdigit()`` is true) and numbers too
    large for a 64-bit key, which SQLite would reject with an OverflowError.
    """
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def client_ip(request: HttpRequest) -> str | None:
    """Return the address of the client behind ``request``.

    Behind ``PROXY_COUNT`` trusted reverse proxies, each proxy appends the
    address it received the request from to ``X-Forwarded-For``, so the
    client is the entry that many places from the right; entries to the left
    of it are whatever the client sent and are not trusted. Without proxies
    (the default) or without a usable header, ``REMOTE_ADDR`` is the client.
    """
    remote: str | None = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "PROXY_COUNT", 0))
    if count <= 0:
        return remote
    chain = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(chain) < count:
        return remote
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
