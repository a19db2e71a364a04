"""The embedded default for ``make run`` and the tests: needs no environment at all."""

from mamut.settings.base import *  # noqa: F403
from mamut.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# For local use only: production has no default (see production.py).
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="local-insecure-key-never-use-in-production"
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
DEMO_ADMIN_PASSWORD = env.str("DEMO_ADMIN_PASSWORD", default="admin")

# No manifest locally: pages render without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
