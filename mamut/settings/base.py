"""Settings shared by every environment, read from the environment through ``env``."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -----------------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "mamut.urls"
WSGI_APPLICATION = "mamut.wsgi.application"
ASGI_APPLICATION = "mamut.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ---------------------------------------------------------------------

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "django_guid",
    "axes",
    "csp",
]
LOCAL_APPS = [
    "users",
    "integrations",
    "receipts",
    "vouchers",
    "phone",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mamut.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in lockout into the sign-in page or a 429 for the API.
    "axes.middleware.AxesMiddleware",
]

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections are kept between requests and tasks: a new one per request cost
# PostgreSQL a backend process and a SCRAM exchange each time, more CPU than the
# upload's own statements (README, Performance).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A kept connection is checked before it is reused: after a database restart the web
# and worker processes reconnect instead of failing on a dead connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Authentication -------------------------------------------------------------------

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Paths that authenticate on their own (API tokens) or must answer anonymous callers.
LOGIN_EXEMPT_PATH_PREFIXES = ("/api/", "/m/", "/healthz", "/static/", "/i18n/")

# Axes first: it refuses a locked-out e-mail address or IP before the password is
# checked. Every caller of authenticate() passes the request (axes needs it).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in throttling (django-axes) ----------------------------------------------

# Failed sign-ins (web page, Django admin and phone API alike) for one e-mail address,
# and from one IP address, before that address is locked out for the lockout time. A
# successful sign-in resets the e-mail address's count.
LOGIN_MAX_FAILURES_PER_EMAIL = env.int("LOGIN_MAX_FAILURES_PER_EMAIL", default=5)
LOGIN_MAX_FAILURES_PER_IP = env.int("LOGIN_MAX_FAILURES_PER_IP", default=30)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
# Reverse proxies in front of the application that append to X-Forwarded-For; 0 trusts
# only REMOTE_ADDR (the client's address when nothing sits in between).
LOGIN_TRUSTED_PROXY_COUNT = env.int("LOGIN_TRUSTED_PROXY_COUNT", default=0)

AXES_HANDLER = "users.throttling.SignInAttemptHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES_PER_EMAIL
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
# The sign-in form's field, and the key axes files the tried address under (its own
# default, the user model's USERNAME_FIELD, differs from what authenticate() gets).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "users.throttling.attempted_email"
AXES_CLIENT_IP_CALLABLE = "mamut.http.client_ip"
AXES_LOCKOUT_CALLABLE = "users.throttling.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken"]

# --- Cookies, CSRF and the Content-Security-Policy ------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF token from the cookie: every form carries it.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere, no eval: every script and stylesheet is a static
# file of the project. The phone app shows its unsent pages from blob: URLs and
# fetches the API of its own origin; its service worker comes from /m/sw.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

# --- Internationalisation -------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# No URL pattern serves MEDIA_URL: uploads are served only through authenticated views.
MEDIA_URL = "/media/"
# Media in S3-compatible object storage when a bucket is named (web and workers on
# several machines), else on the local disk.
S3_BUCKET = env.str("DJANGO_S3_BUCKET", default="")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": env.str("DJANGO_S3_ENDPOINT_URL", default="") or None,
                "region_name": env.str("DJANGO_S3_REGION", default="") or None,
                "access_key": env.str("DJANGO_S3_ACCESS_KEY_ID", default="") or None,
                "secret_key": env.str("DJANGO_S3_SECRET_ACCESS_KEY", default="")
                or None,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": True,
            },
        }
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Processing -----------------------------------------------------------------------

# Images with more pixels are refused as too large (decompression bombs). 64 MP lets a
# 48 MP (8000 x 6000) phone photo through; JPEGs are decoded reduced (draft mode), other
# formats in full, about 3 bytes a pixel.
PROCESSING_MAX_IMAGE_PIXELS = env.int("PROCESSING_MAX_IMAGE_PIXELS", default=64_000_000)

# --- Cache ----------------------------------------------------------------------------

# Shared by every web process when Redis is there (sign-in throttling counts in it).
REDIS_URL = env.str("REDIS_URL", default="")
# Fail fast when Redis is down: the throttles then carry on without it.
CACHES = {
    "default": {
        "BACKEND": "mamut.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": 1,
            "socket_timeout": 2,
            "retry": Retry(NoBackoff(), 0),
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- Celery ---------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the embedded default runs every task in-process; services queue tasks
# with transaction.on_commit, so they still run after the commit.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
# Results live in the database, not in Celery's result store: publishing a task then
# needs the broker only (no result-store reconnects while Redis is down).
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 2}}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "receipts.read_document": {"queue": "ocr"},
    "receipts.*": {"queue": "processing"},
}
# A message whose worker died is delivered again after this many seconds (Redis).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
# Publishing must not hang an upload while Redis is down: the sweeper catches up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Niceness added to the worker's CPU priority (0-19; 0 leaves it as started): uploads
# are answered first when web and worker share the cores (mamut/celery.py).
WORKER_NICENESS = env.int("WORKER_NICENESS", default=10)
CELERY_BEAT_SCHEDULE = {
    "sweep-waiting-documents": {
        "task": "receipts.sweep_documents",
        "schedule": env.int("RECEIPTS_SWEEP_INTERVAL_SECONDS", default=60),
    },
    "empty-trash": {"task": "receipts.empty_trash", "schedule": 3600},
}

# --- REST framework -------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["mamut.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "receipts.authentication.PhoneTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "mamut.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "uploads": env.str("RECEIPTS_UPLOAD_RATE", default="120/minute"),
    },
}
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105 (a model name)
# Phone tokens: stored only as a hash, one per phone, 90 days, renewed on use.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=90),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Bearer",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mamut Visma Mobile Scanner API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging --------------------------------------------------------------------------

# Every HTTP request gets a request id (django-guid): an incoming X-Request-ID that is
# a UUID (as proxies such as nginx's $request_id send it) is kept, anything else is
# replaced by a new one. It is answered in the X-Request-ID header, written on every
# log line of the request, and carried by the Celery tasks the request sends
# (mamut/logs.py), so the worker's lines for that document show it too.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
}
# "plain" (readable, the local default) or "json" (one JSON object a line, the default
# in production).
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="plain")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")


def logging_config(log_format: str) -> dict:
    if log_format not in ("plain", "json"):
        raise ImproperlyConfigured(
            f"DJANGO_LOG_FORMAT must be 'plain' or 'json', not {log_format!r}."
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "mamut.logs.RequestIdFilter"}},
        "formatters": {
            "plain": {
                "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s "
                "%(message)s"
            },
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level"},
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            },
        },
        "root": {"handlers": ["console"], "level": LOG_LEVEL},
        # Its own notes on every request and task ("Setting GUID ...") are noise.
        "loggers": {"django_guid": {"level": "WARNING"}},
    }


LOGGING = logging_config(LOG_FORMAT)

# --- Integrations ---------------------------------------------------------------------

# The versioned terms texts (v<N>.<language>.md); the highest N is the current version.
INTEGRATIONS_TERMS_DIR = BASE_DIR / "integrations" / "terms"
# How long an opened activation wizard stays valid, in seconds.
INTEGRATIONS_WIZARD_MAX_AGE = 60 * 60

# --- Demo data ------------------------------------------------------------------------

DEMO_ADMIN_EMAIL = "admin@example.com"

# --- Receipts -------------------------------------------------------------------------

RECEIPTS_MAX_FILE_BYTES = env.int("RECEIPTS_MAX_FILE_BYTES", default=20_000_000)
RECEIPTS_MAX_REQUEST_BYTES = env.int("RECEIPTS_MAX_REQUEST_BYTES", default=60_000_000)
RECEIPTS_MAX_PAGES = env.int("RECEIPTS_MAX_PAGES", default=20)
RECEIPTS_USER_QUOTA_BYTES = env.int("RECEIPTS_USER_QUOTA_BYTES", default=2_000_000_000)
# An upload still "in progress" after this long was lost (its process was killed): a
# retry with the same Idempotency-Key takes it over instead of getting 409.
RECEIPTS_IDEMPOTENCY_STALE_SECONDS = env.int(
    "RECEIPTS_IDEMPOTENCY_STALE_SECONDS", default=300
)
# A document whose processing stopped the worker this many times ends failed.
RECEIPTS_PROCESSING_MAX_ATTEMPTS = env.int(
    "RECEIPTS_PROCESSING_MAX_ATTEMPTS", default=3
)
# Processing that met a storage or database fault is retried this many times (after
# 1, 2, 4, ... seconds) before the document ends failed with the reason.
RECEIPTS_PROCESSING_MAX_RETRIES = env.int("RECEIPTS_PROCESSING_MAX_RETRIES", default=5)
# Documents still received or processing after this many seconds are queued again.
RECEIPTS_SWEEP_AFTER_SECONDS = env.int("RECEIPTS_SWEEP_AFTER_SECONDS", default=120)

# Text recognition (Tesseract) of page 1's preview: languages, page segmentation mode,
# and the time limits of its task (seconds). Off with RECEIPTS_OCR_ENABLED=0. `eng`
# alone reads the Dutch and English receipts' words and figures as well as `nld+eng`
# did and in about half the time; mode 4 (one column of lines of any length) beat 6
# (one block) on sroie-dev. A doubtful reading is read again in mode 6, and where the
# two disagree on the date in mode 11 (sparse text); 0 turns a pass off. See README,
# Performance.
RECEIPTS_OCR_ENABLED = env.bool("RECEIPTS_OCR_ENABLED", default=True)
RECEIPTS_OCR_LANGUAGES = env.str("RECEIPTS_OCR_LANGUAGES", default="eng")
RECEIPTS_OCR_PSM = env.int("RECEIPTS_OCR_PSM", default=4)
RECEIPTS_OCR_SECOND_PSM = env.int("RECEIPTS_OCR_SECOND_PSM", default=6)
RECEIPTS_OCR_THIRD_PSM = env.int("RECEIPTS_OCR_THIRD_PSM", default=11)
RECEIPTS_OCR_SOFT_TIME_LIMIT = env.int("RECEIPTS_OCR_SOFT_TIME_LIMIT", default=60)
RECEIPTS_OCR_TIME_LIMIT = env.int("RECEIPTS_OCR_TIME_LIMIT", default=90)
# Linking a document fills a voucher's empty fields only from fields read with at least
# this confidence (0..1).
RECEIPTS_FILL_MIN_CONFIDENCE = env.float("RECEIPTS_FILL_MIN_CONFIDENCE", default=0.5)

# Phone sign-in: failed attempts allowed per e-mail address and per IP in the window.
MOBILE_SIGNIN_MAX_PER_EMAIL = env.int("MOBILE_SIGNIN_MAX_PER_EMAIL", default=5)
MOBILE_SIGNIN_MAX_PER_IP = env.int("MOBILE_SIGNIN_MAX_PER_IP", default=30)
MOBILE_SIGNIN_WINDOW_SECONDS = env.int("MOBILE_SIGNIN_WINDOW_SECONDS", default=900)
