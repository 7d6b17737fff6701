"""WSGI entry point for gunicorn and runserver."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = get_wsgi_application()

try:
    _key = settings.SECRET_KEY  # Django refuses an empty key on access
except ImproperlyConfigured as exc:
    msg = "Set the SECRET_KEY environment variable (required when DEBUG is off)."
    raise ImproperlyConfigured(msg) from exc
