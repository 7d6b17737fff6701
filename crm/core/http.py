"""Small request helpers shared by views."""

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
