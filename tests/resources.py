"""Which outside resources this machine has, for ``browser`` and ``services`` tests."""

import os
import socket
from importlib.util import find_spec
from urllib.parse import urlparse

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def browser_missing_reason() -> str:
    if find_spec("playwright") is None:
        return "Playwright is not installed"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return ""


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "localhost", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def services_missing_reason() -> str:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL does not point at PostgreSQL"
    if not redis_url.startswith("redis://"):
        return "REDIS_URL does not point at Redis"
    if not _reachable(database_url, 5432):
        return "PostgreSQL at DATABASE_URL is not reachable"
    if not _reachable(redis_url, 6379):
        return "Redis at REDIS_URL is not reachable"
    return ""
