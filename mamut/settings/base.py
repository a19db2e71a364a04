"""Settings shared by every environment, read from the environment through ``env``."""

from datetime import timedelta
from pathlib import Path

import environ
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
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mamut.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
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

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

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
# and the time limits of its task (seconds). Off with RECEIPTS_OCR_ENABLED=0.
RECEIPTS_OCR_ENABLED = env.bool("RECEIPTS_OCR_ENABLED", default=True)
RECEIPTS_OCR_LANGUAGES = env.str("RECEIPTS_OCR_LANGUAGES", default="nld+eng")
RECEIPTS_OCR_PSM = env.int("RECEIPTS_OCR_PSM", default=6)
RECEIPTS_OCR_SOFT_TIME_LIMIT = env.int("RECEIPTS_OCR_SOFT_TIME_LIMIT", default=60)
RECEIPTS_OCR_TIME_LIMIT = env.int("RECEIPTS_OCR_TIME_LIMIT", default=90)

# Phone sign-in: failed attempts allowed per e-mail address and per IP in the window.
MOBILE_SIGNIN_MAX_PER_EMAIL = env.int("MOBILE_SIGNIN_MAX_PER_EMAIL", default=5)
MOBILE_SIGNIN_MAX_PER_IP = env.int("MOBILE_SIGNIN_MAX_PER_IP", default=30)
MOBILE_SIGNIN_WINDOW_SECONDS = env.int("MOBILE_SIGNIN_WINDOW_SECONDS", default=900)
