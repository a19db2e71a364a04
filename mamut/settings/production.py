"""Production: every secret comes from the environment, with no default.

Passes ``manage.py check --deploy`` without warnings when ``DJANGO_SECRET_KEY`` and
``DJANGO_ALLOWED_HOSTS`` are given.
"""

from mamut.settings.base import *  # noqa: F403
from mamut.settings.base import env, logging_config

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DEMO_ADMIN_PASSWORD = env.str("DEMO_ADMIN_PASSWORD", default="")

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Cookies only over HTTPS; HttpOnly, SameSite=Lax and the CSP come from base.py.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# One JSON object a line, for the log collector; DJANGO_LOG_FORMAT=plain to read it.
LOGGING = logging_config(env.str("DJANGO_LOG_FORMAT", default="json"))
