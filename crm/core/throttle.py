"""A fixed-window rate limit on the cache, for actions that cost something.

Used for password-reset e-mails per address and per client IP. With more than
one web process the cache must be shared (``CACHE_URL``, e.g. the database
cache or Redis); the default in-process cache limits each process on its own.
"""

import hashlib

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one use of ``key`` in ``scope``; return False past ``limit`` a window."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    name = f"throttle:{scope}:{digest}"
    if cache.add(name, 1, timeout=window_seconds):
        return True
    try:
        used = cache.incr(name)
    except ValueError:  # expired between add and incr: a new window
        cache.add(name, 1, timeout=window_seconds)
        return True
    return used <= limit
