"""Settings per environment, read in a fresh interpreter with a controlled env."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "conn_max_age": db["CONN_MAX_AGE"],
    "conn_health_checks": db["CONN_HEALTH_CHECKS"],
    "media_root": str(settings.MEDIA_ROOT),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "serializer": settings.CELERY_TASK_SERIALIZER,
    "accept": settings.CELERY_ACCEPT_CONTENT,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
    "user_model": settings.AUTH_USER_MODEL,
    "language": settings.LANGUAGE_CODE,
}))
"""


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "DEMO_"))
    }
    env.update(extra)
    return env


def run_python(
    code: str, settings_module: str, *, check: bool = True, **extra: str
) -> subprocess.CompletedProcess:
    """``python -c code`` in the project, with only the given environment."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean_env(DJANGO_SETTINGS_MODULE=settings_module, **extra),
        capture_output=True,
        text=True,
        check=check,
    )


def probe(settings_module: str, **extra: str) -> dict:
    return json.loads(run_python(PROBE, settings_module, **extra).stdout)


def test_no_environment_runs_embedded_on_sqlite_with_in_process_tasks():
    found = probe("mamut.settings.local")
    assert found["debug"] is True
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(BASE_DIR / "var" / "db.sqlite3")
    assert found["media_root"] == str(BASE_DIR / "var" / "media")
    assert found["eager"] is True
    assert found["user_model"] == "users.User"
    assert found["language"] == "nl"


def test_database_and_redis_urls_select_postgres_and_a_real_broker():
    found = probe(
        "mamut.settings.local",
        DATABASE_URL="postgres://mamut:secret@db.internal:5433/mamut",
        REDIS_URL="redis://cache.internal:6379/2",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "mamut"
    assert found["eager"] is False
    assert found["broker"] == "redis://cache.internal:6379/2"


def test_database_connections_are_kept_and_checked_before_reuse():
    """A connection per request cost PostgreSQL a new backend and a SCRAM exchange
    for every upload (README, Performance); a kept one is checked before reuse, so a
    database restart still only costs a reconnect."""
    found = probe(
        "mamut.settings.production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="scanner.example.com",
        DATABASE_URL="postgres://mamut:secret@db.internal:5433/mamut",
    )
    assert found["conn_max_age"] == 60
    assert found["conn_health_checks"] is True
    assert probe("mamut.settings.local", DATABASE_CONN_MAX_AGE="0")["conn_max_age"] == 0


def test_celery_speaks_json_only_with_time_limits():
    found = probe("mamut.settings.local")
    assert found["serializer"] == "json"
    assert found["accept"] == ["json"]
    assert found["time_limit"] > 0


def test_production_refuses_to_start_without_a_secret_key():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="mamut.settings.production",
        DJANGO_ALLOWED_HOSTS="scanner.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("secret", ["x" * 60])
def test_production_passes_check_deploy_without_warnings(secret):
    env = clean_env(
        DJANGO_SETTINGS_MODULE="mamut.settings.production",
        DJANGO_SECRET_KEY=secret + "-Zq8!vK2#mR7@pL4$",
        DJANGO_ALLOWED_HOSTS="scanner.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def default_storage_setting(**extra: str) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    return json.loads(run_python(code, "mamut.settings.local", **extra).stdout)


def test_a_bucket_name_moves_media_to_s3_compatible_storage():
    storage = default_storage_setting(
        DJANGO_S3_BUCKET="mamut-media", DJANGO_S3_ENDPOINT_URL="https://s3.example.com"
    )

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "mamut-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.com"


def test_without_a_bucket_media_stay_on_the_local_disk():
    storage = default_storage_setting()

    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"


SECURITY_PROBE = """
import json, django
from django.conf import settings
django.setup()
policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "session_samesite": settings.SESSION_COOKIE_SAMESITE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "csrf_samesite": settings.CSRF_COOKIE_SAMESITE,
    "language_secure": settings.LANGUAGE_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "middleware": settings.MIDDLEWARE,
    "backends": settings.AUTHENTICATION_BACKENDS,
    "policy": policy,
}))
"""


def test_production_cookies_csp_and_sign_in_throttling():
    result = run_python(
        SECURITY_PROBE,
        "mamut.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="scanner.example.com",
    )
    found = json.loads(result.stdout)

    assert found["session_secure"] and found["session_httponly"]
    assert found["session_samesite"] == "Lax"
    assert found["csrf_secure"] and found["csrf_samesite"] == "Lax"
    assert found["language_secure"]
    assert found["hsts"] > 0 and found["ssl_redirect"]
    assert "csp.middleware.CSPMiddleware" in found["middleware"]
    assert "django.middleware.csrf.CsrfViewMiddleware" in found["middleware"]
    assert found["middleware"][-1] == "axes.middleware.AxesMiddleware"
    assert found["backends"][0] == "axes.backends.AxesStandaloneBackend"
    policy = found["policy"]
    for directive in ("script-src", "style-src", "default-src"):
        assert policy[directive] == ["'self'"], directive
    assert not any(
        "unsafe" in source for sources in policy.values() for source in sources
    )
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
