"""Test settings: only overrides of base."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "crm.core.mail.DatabaseEmailBackend"
DEV_MAILBOX = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SITE_URL = "http://testserver"
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {"axes": {"level": "WARNING"}},
}
# A throwaway case kind proves that adding a kind needs no change to crm.cases
# (docs/architecture.md, "How to add a case kind").
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example_kind"]  # noqa: F405
ROOT_URLCONF = "tests.urls"

# The API's rate limit counts in the shared test cache across many tests; the
# limit's own tests lower it.
API_RATE_LIMIT = 100_000
