"""Casework settings: complete, and driven by environment variables.

Production needs at least ``SECRET_KEY``, ``DEBUG=false``, ``ALLOWED_HOSTS`` and a
``DATABASE_URL``; the README lists every variable read here.
"""

from datetime import timedelta

from csp.constants import NONCE, NONE, SELF
from django.core.management.utils import get_random_secret_key

from config.env import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=False)

# Required in production: config/wsgi.py refuses to serve without it, and
# `check --deploy` fails. Management commands that need no key (migrate,
# makemigrations) still run. A random key is made only in DEBUG; it is not
# passed as env's default because django-environ reads a value starting with
# "$" as a reference to another variable, and random keys can.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    # Before django_tasks_db, so its ``db_worker`` command is the project's
    # (with task leases, crm.core.taskqueue).
    "crm.core",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "crm.firms",
    "crm.contacts",
    "crm.leads",
    "crm.tasks",
    "crm.interactions",
    "crm.cases",
    "crm.advice",
    "crm.support",
    "crm.complaints",
    "crm.protection",
    "crm.concerthub",
    "crm.income",
    "crm.reports",
    "crm.portal",
    "crm.compliance",
    "crm.api",
    "crm.webhooks",
]

MIDDLEWARE = [
    # django-csp's, with the settings' policy built once per worker.
    "crm.core.csp_policy.PolicyMiddleware",
    "crm.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "crm.firms.signed_in.AuthenticationMiddleware",
    "crm.core.middleware.StaffLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "crm.core.middleware.FirmContextMiddleware",
    "crm.firms.middleware.TwoFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "crm.core.middleware.NoStoreMiddleware",
    "crm.core.kept_plans.KeptPlansMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # The CSRF token masked in fewer steps (after Django's own).
                "crm.core.csrf.csrf",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crm.core.context_processors.shell",
                "crm.core.context_processors.csp",
            ],
            # Django's ``date`` filter and ``url`` tag, quicker for what pages
            # draw most (crm.core.templatetags.dates and .urls; same output).
            "builtins": [
                "template_partials.templatetags.partials",
                "crm.core.templatetags.dates",
                "crm.core.templatetags.urls",
            ],
        },
    },
]

# Every form field is drawn by one accessible template (label, input, help, errors).
FORM_RENDERER = "crm.core.renderers.FormRenderer"

# Database: a SQLite file by default (WAL mode), PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'casework.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The default database file lives in var/, which a fresh clone lacks.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        }
    )
# Each worker keeps its connection between requests, on SQLite too: a new
# SQLite connection re-runs the PRAGMAs above, registers Django's SQL
# functions and, on its first statement, parses the whole schema (about 100
# tables and their indexes), with a cold page cache. That was about 4 ms of
# CPU on every served Clients list (9.6-10.1 ms kept, 13.2-14.6 ms
# reconnected); the test client never paid it, as it keeps its connection.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A PostgreSQL streaming read replica (README, "Scaling out"; scripts/replica.sh
# runs one on this machine): pages marked replica-safe (lists, search, reports)
# read from it, except for REPLICA_STICKY_SECONDS after the member's own write
# (crm.core.replica). Writes and migrations always go to the primary. In the
# test suite the alias mirrors the default database.
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=5)
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["crm.core.replica.ReplicaRouter"]
    # Last, so the session, member and firm are read from the primary first.
    MIDDLEWARE = [*MIDDLEWARE, "crm.core.replica.ReplicaReadsMiddleware"]

# PostgreSQL: on the detail pages (views marked kept_plans, crm.core.kept_plans)
# psycopg binds parameters on the server and prepares a statement its
# connection has run DATABASE_PREPARE_THRESHOLD times, so that a kept
# connection plans a page's reads once, not on every request (the case page's
# reads spent about 3.6 ms planning for 0.7 ms of execution; bench/NOTES.md
# item 41). Elsewhere Django's defaults: client-side binding, nothing
# prepared. 0 turns it off.
PREPARE_THRESHOLD = env.int("DATABASE_PREPARE_THRESHOLD", default=5)

# Through PgBouncer in transaction pooling mode (DATABASE_POOLER=transaction),
# consecutive transactions may run on different server connections, so nothing
# may outlive a transaction: no server-side cursors (Django's .iterator() holds
# one open across transactions) and no prepared statements. The code keeps no
# other session state (the audit chain's lock is pg_advisory_xact_lock).
if env.str("DATABASE_POOLER", default="") == "transaction":
    for database in DATABASES.values():
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
        database.setdefault("OPTIONS", {})["prepare_threshold"] = None
    PREPARE_THRESHOLD = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "firms.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "firms:login"
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "firms:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# The client's address: behind PROXY_COUNT trusted reverse proxies it is the
# X-Forwarded-For entry that many places from the right (crm.core.http.client_ip);
# with 0 (no proxy) it is the connection's address. Audit rows record it.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Login throttling (django-axes): 5 failures lock one client address out of one
# account (the e-mail as matched: stripped, lower-cased) for the cool-off.
# Across addresses an account is slowed, not locked: after LOGIN_SLOWDOWN_AFTER
# failures each try waits twice as long, up to LOGIN_SLOWDOWN_MAX_SECONDS.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "crm.firms.selectors.auth.axes_username"
AXES_CLIENT_IP_CALLABLE = "crm.core.http.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "firms/auth/locked_out.html"
AXES_VERBOSE = False
LOGIN_SLOWDOWN_AFTER = env.int("LOGIN_SLOWDOWN_AFTER", default=10)
LOGIN_SLOWDOWN_MAX_SECONDS = env.int("LOGIN_SLOWDOWN_MAX_SECONDS", default=60)
# Two-factor sign-in (django-otp; crm/firms/services/mfa.py): TOTP codes from
# an authenticator app, and single-use recovery codes. A wrong code counts as
# a failed sign-in (the lockout and slowdown above), so django-otp's own
# per-device delay is off. TWO_FACTOR_PENDING_SECONDS is how long the code
# step waits after the right password before the sign-in starts again.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Casework")
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
TWO_FACTOR_PENDING_SECONDS = 5 * 60
# Password-reset e-mails: at most this many per address and per client address
# an hour (crm.core.throttle; share the cache across processes with CACHE_URL).
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
PASSWORD_RESET_PER_IP = env.int("PASSWORD_RESET_PER_IP", default=20)

# Sessions and cookies. Django's database sessions, loaded with one plain
# SELECT instead of an ORM query compiled on every request (crm/core/sessions.py).
SESSION_ENGINE = "crm.core.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading (browsers' built-in HSTS list) is hard to undo, so it is opt-in;
# Django's deploy check warns about it (security.W021) until opted in.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Requests whose declared body is larger are refused with 413 before it is
# read (crm.core.middleware.RequestSizeLimitMiddleware): the largest upload
# (20 MB) plus room for the form around it.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=21 * 1024 * 1024)
# Content-Security-Policy (django-csp) on every response: scripts and styles
# only from our own origin, plus inline <style> blocks that carry the request's
# nonce ({{ csp_nonce }}: the firm's brand colour). No 'unsafe-inline' and no
# 'unsafe-eval': htmx runs with allowEval off (the htmx-config meta tag), and
# style="" attributes are refused. The hash is the 500 page's own <style>,
# which is rendered without a request and so without a nonce
# (crm/core/tests/test_csp.py keeps it in step with templates/500.html).
ERROR_PAGE_STYLE_HASH = "'sha256-Wb1+gkABE3CDYVaRfvjoOj4YywP/gGppnZnbmi0USSo='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE, ERROR_PAGE_STYLE_HASH],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "report-uri": env.list("CSP_REPORT_URI", default=[]) or None,
    }
}
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
# The pages are written in British English only. Without this list Django
# offers every language it ships, and a browser asking for French got Django's
# own strings in French ("Rechercher :") inside English pages.
LANGUAGES = [("en-gb", "British English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: the dev mailbox (database) backend by default when DEBUG, SMTP otherwise.
DEV_MAILBOX = env.bool("DEV_MAILBOX", default=DEBUG)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "crm.core.mail.DatabaseEmailBackend"
        if DEV_MAILBOX
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Casework <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in e-mail (invitations, password reset) start with this.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Background work: the database queue, run by ``manage.py db_worker``.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The outbox (crm/core/outbox): delivered messages are pruned after the
# retention; a worker's claim lasts the lease, which must outlast one delivery
# (the outbound client's timeouts).
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=30)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=120)
# A background task's lease (crm.core.taskqueue): renewed every third of it
# while the task runs; a dead worker's task runs again once it has expired.
TASK_LEASE_SECONDS = env.int("TASK_LEASE_SECONDS", default=60)
# The guarded outbound HTTP client (crm/core/outbound.py) may call these
# "host:port" entries (e.g. "127.0.0.1:8100") even though they resolve to
# private, loopback or other non-public addresses.
# Concert Hub (SPEC G4-G7): in development the simulator that `make run` starts
# (`python -m simulator`, docs/concert-hub/README.md) on 127.0.0.1:8765; it is
# allowed although private only when DEBUG or when listed explicitly.
CONCERT_HUB_SIMULATOR = "127.0.0.1:8765"
CONCERT_HUB_URL = env.str(
    "CONCERT_HUB_URL", default=f"http://{CONCERT_HUB_SIMULATOR}" if DEBUG else ""
)
OUTBOUND_ALLOWED_PRIVATE_HOSTS = env.list(
    "OUTBOUND_ALLOWED_PRIVATE_HOSTS",
    default=[CONCERT_HUB_SIMULATOR] if DEBUG else [],
)

# Webhooks (crm/webhooks, docs/webhooks.md): endpoints on localhost
# (http or https to localhost, 127.0.0.1, [::1]) are allowed only for
# development; any other private address is always refused.
WEBHOOKS_ALLOW_LOCALHOST = env.bool("WEBHOOKS_ALLOW_LOCALHOST", default=DEBUG)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

INVITATION_TTL_DAYS = 7

# The REST API (crm.api): requests per window per token (or member's session);
# past it the answer is 429 with Retry-After. Share the cache across processes
# (CACHE_URL) so the limit holds for the whole site.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=600)
API_RATE_WINDOW_SECONDS = env.int("API_RATE_WINDOW_SECONDS", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
