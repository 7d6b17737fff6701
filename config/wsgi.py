"""WSGI entry point for gunicorn and runserver."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from crm.core.wsgi import frozen_after_first_request

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = frozen_after_first_request(get_wsgi_application())

try:
    _key = settings.SECRET_KEY  # Django refuses an empty key on access
except ImproperlyConfigured as exc:
    msg = "Set the SECRET_KEY environment variable (required when DEBUG is off)."
    raise ImproperlyConfigured(msg) from exc

# The same bar as Django's deploy check (security.W009): long, varied, not a
# generated development key. A weak key lets sessions and reset links be forged.
if not settings.DEBUG and (
    len(_key) < 50 or len(set(_key)) < 5 or _key.startswith("django-insecure")
):
    msg = (
        "SECRET_KEY is too weak: use at least 50 random characters, e.g. "
        "from Python's secrets.token_urlsafe(64)."
    )
    raise ImproperlyConfigured(msg)
