"""The page's CSRF token, masked as Django masks it, in a handful of steps.

Django's ``csrf`` context processor gives every page a lazy token that,
printed, masks the request's secret afresh (``get_token``): a random mask of
32 letters and digits, added letter by letter to the secret. It spends about
500 Python calls a page doing so (a ``secrets.choice`` and two
``str.index`` per letter), a tenth of the fixed cost of a page.

``token(request)`` gives the same kind of token: a fresh uniform mask from
``secrets`` and the same sum, done by table, so Django's middleware unmasks
and checks it as its own. A request without a secret yet (the first page of
a visit) goes to Django's ``get_token``, which makes one. The context
processor ``csrf`` replaces Django's built-in one (it runs after it, so its
``csrf_token`` is the one a template sees); like Django's, the token is lazy:
a page that prints none sends no cookie renewal.
"""

import secrets

from django.http import HttpRequest
from django.middleware import csrf as django_csrf
from django.utils.functional import SimpleLazyObject

CHARS = django_csrf.CSRF_ALLOWED_CHARS
LENGTH = django_csrf.CSRF_SECRET_LENGTH
_COUNT = len(CHARS)  # 62
# A random byte below 248 (4 x 62) maps to a letter uniformly; the rest are dropped.
_USABLE = 256 - 256 % _COUNT
_TABLE = bytes(ord(CHARS[b % _COUNT]) if b < _USABLE else 0 for b in range(256))
_DROP = bytes(range(_USABLE, 256))
# The masked letter of each (secret letter, mask letter): Django's sum mod 62.
_SUM = {
    (s, m): CHARS[(CHARS.index(s) + CHARS.index(m)) % _COUNT]
    for s in CHARS
    for m in CHARS
}


def new_mask() -> str:
    """Return ``LENGTH`` letters and digits, each uniform and independent."""
    while True:
        letters = secrets.token_bytes(LENGTH * 2).translate(_TABLE, _DROP)
        if len(letters) >= LENGTH:
            return letters[:LENGTH].decode("ascii")


def masked(secret: str) -> str:
    """Return ``secret`` masked with a new mask, as Django's ``get_token`` does."""
    mask = new_mask()
    return mask + "".join(map(_SUM.__getitem__, zip(secret, mask, strict=True)))


def token(request: HttpRequest) -> str:
    """Return a masked CSRF token for ``request``, as Django's ``get_token`` does."""
    meta = request.META
    secret = meta.get("CSRF_COOKIE")
    if secret is None or len(secret) != LENGTH:
        return django_csrf.get_token(request)
    try:
        value = masked(secret)
    except KeyError:  # not a letter or digit: Django's own path decides
        return django_csrf.get_token(request)
    # Renew the cookie's expiry with the response, as get_token does.
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return value


def csrf(request: HttpRequest) -> dict[str, object]:
    """Return ``csrf_token``, lazy, as Django's ``csrf`` context processor does."""
    return {"csrf_token": SimpleLazyObject(lambda: token(request))}
