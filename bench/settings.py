"""Settings for benchmark runs: production-like (DEBUG off) on a throw-away database.

The default database is ``var/bench.sqlite3``, never the development one;
``DATABASE_URL`` switches to PostgreSQL (``casework_bench``). HTTPS redirects
and secure cookies are off because requests come from a local client.
"""

import os
import warnings

os.environ.setdefault("DEBUG", "false")
# At least 50 characters: the WSGI entry point (the load test's gunicorn)
# refuses a weaker key with DEBUG off, as in production.
os.environ.setdefault(
    "SECRET_KEY",
    "bench-secret-key-not-for-production-0123456789-abcdefghijklmnopqrstuvwxyz",
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.env import BASE_DIR

os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}")

from config.settings.base import *  # noqa: F403

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
# The manifest storage needs ``collectstatic``; the plain one costs the same
# per page and lets a fresh clone run the bench without it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The API's operations send a few hundred requests a minute on one token.
API_RATE_LIMIT = 1_000_000
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# WhiteNoise warns once per process that STATIC_ROOT is missing; static files
# are not part of any measured page.
warnings.filterwarnings("ignore", message="No directory at")
