"""Finishing a sign-in, with or without the second step (SPEC A3, A9).

After the right password, a member with two-factor sign-in is not logged in:
the session only remembers, for a few minutes, whose code to ask for. The
login happens once the code is right, so a session is never authenticated
on the password alone.
"""

import time

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.http import HttpRequest

from crm.core.middleware import SESSION_FIRM_KEY
from crm.firms import selectors, services
from crm.firms.choices import Role
from crm.firms.models import Firm, User

BACKEND = "django.contrib.auth.backends.ModelBackend"
PENDING_USER = "signin_user"
PENDING_SINCE = "signin_since"
PENDING_NEXT = "signin_next"
PENDING_FIRM = "signin_firm"
PENDING_KEYS = (PENDING_USER, PENDING_SINCE, PENDING_NEXT, PENDING_FIRM)


def begin_second_step(
    request: HttpRequest, user: User, *, next_url: str, firm_id: int | None = None
) -> None:
    """Remember that ``user`` gave the right password and owes a code."""
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_SINCE] = int(time.time())
    request.session[PENDING_NEXT] = next_url
    request.session[PENDING_FIRM] = firm_id


def pending_user(request: HttpRequest) -> User | None:
    """Return the user whose code is awaited, or None (none, or timed out)."""
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE) or 0
    if user_id is None:
        return None
    if time.time() - since > settings.TWO_FACTOR_PENDING_SECONDS:
        forget_second_step(request)
        return None
    user = selectors.user_get(user_id=user_id)
    if user is None or not user.is_active:
        forget_second_step(request)
        return None
    return user


def pending_next(request: HttpRequest) -> str:
    """Return where the member wanted to go when they signed in."""
    return str(request.session.get(PENDING_NEXT) or "")


def forget_second_step(request: HttpRequest) -> None:
    """Drop the awaited code (after success, time-out or a fresh sign-in)."""
    for key in PENDING_KEYS:
        request.session.pop(key, None)


def landing_firm(user: User, wanted: int | None = None) -> Firm | None:
    """Return the firm to land in: ``wanted`` if a member, else the most senior."""
    memberships = selectors.membership_list_for_user(user=user)
    for membership in memberships:
        if membership.firm_id == wanted:
            return membership.firm
    memberships.sort(key=lambda m: Role.values.index(m.role))
    return memberships[0].firm if memberships else None


def complete(request: HttpRequest, user: User, firm: Firm | None) -> None:
    """Log ``user`` in, in ``firm``, and audit it."""
    forget_second_step(request)
    auth_login(request, user, backend=BACKEND)
    if firm is not None:
        request.session[SESSION_FIRM_KEY] = firm.pk
    services.auth_login_succeeded(user=user, firm=firm)
