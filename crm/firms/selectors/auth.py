"""Reads behind sign-in throttling: the account's recent failures (SPEC A3)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def normalise_email(value: object) -> str:
    """Return an e-mail address as accounts are matched: stripped, lower-cased."""
    return str(value or "").strip().lower()


def login_wait_seconds(*, email: str) -> int:
    """Return how long a sign-in to ``email`` must wait, whatever its address.

    Failures lock a client address out of one account (django-axes, per
    address and account). Across addresses, an account that has failed
    ``LOGIN_SLOWDOWN_AFTER`` times within the cool-off is slowed rather than
    locked: each further try waits twice as long after the last failure as
    the one before, up to ``LOGIN_SLOWDOWN_MAX_SECONDS``. So a guesser behind
    many addresses gets a few tries a minute, and the member still gets in.
    """
    username = normalise_email(email)
    if not username:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    found = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=since
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures = found["failures"] or 0
    over = failures - settings.LOGIN_SLOWDOWN_AFTER
    if over < 0 or found["last"] is None:
        return 0
    delay = min(2 ** min(over, 16), settings.LOGIN_SLOWDOWN_MAX_SECONDS)
    remaining = found["last"] + timedelta(seconds=delay) - timezone.now()
    return max(0, int(remaining.total_seconds() + 0.999))


def axes_username(request: object, credentials: dict[str, object] | None) -> str:
    """Return the account a sign-in attempt is for, as django-axes counts it.

    The typed address is normalised, so case and spaces make no new counter.
    """
    data = credentials or getattr(request, "POST", {}) or {}
    return normalise_email(data.get(settings.AXES_USERNAME_FORM_FIELD))
