"""Who is signed in: Django's ``AuthenticationMiddleware``, the user read by hand.

``MIDDLEWARE`` names ``AuthenticationMiddleware`` here in place of Django's.
Every signed-in request reads its user; Django's ``ModelBackend.get_user``
builds that read with the ORM each time (about 0.5 ms of CPU for a statement
that takes a tenth of it). ``session_user`` gives ``request.user`` what
``django.contrib.auth.get_user`` gives, through the same checks: the backend
recorded at sign-in must still be configured, the session's password hash
must match (a fallback secret's hash rotates the session, any other answer
flushes it), and a missing or inactive user is anonymous. Only the read is
``selectors.user_for_session``. A session signed in through another backend
goes through Django's own code. The tests compare the two on every branch.
"""

from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from crm.firms import selectors
from crm.firms.models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _verified(request: HttpRequest, user: User) -> bool:
    """Check the session's password hash as ``auth.get_user`` does."""
    session = request.session
    session_hash = session.get(auth.HASH_SESSION_KEY)
    expected = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, expected):
        return True
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[auth.HASH_SESSION_KEY] = expected
        return True
    session.flush()
    return False


def session_user(request: HttpRequest) -> Any:
    """Return the signed-in user of ``request``'s session, or ``AnonymousUser``."""
    session = request.session
    if (
        session.get(auth.BACKEND_SESSION_KEY) != MODEL_BACKEND
        or MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user(request)
    try:
        user_id = User._meta.pk.to_python(session[auth.SESSION_KEY])
    except KeyError:
        return AnonymousUser()
    user = selectors.user_for_session(user_id=user_id)
    if user is None or not _verified(request, user):
        return AnonymousUser()
    return user


def _cached_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)  # type: ignore[attr-defined]  # Django's cache attribute
    return request._cached_user  # type: ignore[attr-defined]  # set above


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's middleware, ``request.user`` from ``session_user``."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))  # type: ignore[assignment]  # as Django's
