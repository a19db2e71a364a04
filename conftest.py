"""Shared fixtures: temporary MEDIA_ROOT, users, a real browser, a real worker.

Tests marked ``browser`` need Debian's Chromium and Playwright; tests marked
``services`` need PostgreSQL (``DATABASE_URL``) and Redis (``REDIS_URL``). Where one is
missing those tests skip with the reason, and with ``REQUIRE_ALL=1`` every skip fails.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.resources import browser_missing_reason, services_missing_reason
from tests.screens import artefacts_dir

BASE_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def require_all() -> bool:
    return os.environ.get("REQUIRE_ALL", "") not in ("", "0", "false")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    reasons = {
        "browser": browser_missing_reason(),
        "services": services_missing_reason(),
    }
    for item in items:
        for marker, reason in reasons.items():
            if reason and marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and require_all() and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        report.longrepr = f"REQUIRE_ALL=1 forbids skipping: {reason}"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def tasks_in_process(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tasks run in-process, except in ``services`` tests that use a real worker."""
    from mamut.celery import app

    if "services" in request.keywords:
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args[:1] == (True,))):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def seeded_data(request: pytest.FixtureRequest) -> None:
    """Rows that data migrations seed, again for transactional tests.

    A transactional test empties every table when it ends, so the tests after it lose
    what migrations seeded (the system access profiles, the chart of accounts).
    Seeding again with the
    migration's own code keeps each test independent of the order.
    """
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    import_module("users.migrations.0003_seed_system_access_profiles").seed(apps, None)
    import_module("vouchers.migrations.0002_seed_chart_of_accounts").seed(apps, None)
    import_module("vouchers.migrations.0003_enter_vouchers_permission").seed(apps, None)


@pytest.fixture
def admin_password() -> str:
    return "Sup3r-Geheim-Wachtwoord"


@pytest.fixture
def superuser(db, admin_password: str):
    from users.models import User

    return User.objects.create_superuser("admin@example.com", admin_password)


@pytest.fixture
def plain_user(db, admin_password: str):
    from users.models import User

    return User.objects.create_user("jan@example.com", admin_password, first_name="Jan")


# --- Browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator["object"]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _new_page(browser, locale: str, artefacts: Path, name: str):
    context = browser.new_context(locale=locale, extra_http_headers={})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.artefacts = artefacts / name  # screenshots of each step land here
    return context, page


@pytest.fixture
def artefacts(request: pytest.FixtureRequest) -> Path:
    """The test's screenshot directory (see ``tests/screens.py``)."""
    return artefacts_dir(request.node.name)


@pytest.fixture
def page(browser, artefacts: Path, live_server) -> Iterator["object"]:
    """A Dutch browser tab (Accept-Language nl), as a Dutch user's browser sends."""
    context, page = _new_page(browser, "nl-NL", artefacts, "nl")
    yield page
    page.screenshot(path=str(artefacts / "last.png"), full_page=True)
    context.close()


@pytest.fixture
def page_en(browser, artefacts: Path, live_server) -> Iterator["object"]:
    context, page = _new_page(browser, "en-GB", artefacts, "en")
    yield page
    page.screenshot(path=str(artefacts / "last.png"), full_page=True)
    context.close()


# --- Services ------------------------------------------------------------------


def service_env(settings, **extra: str) -> dict[str, str]:
    """The environment for a web or worker process of the test: the test database
    (from a transactional test, so it sees committed rows) and the test MEDIA_ROOT."""
    from django.db import connection

    env = os.environ.copy()
    db = connection.settings_dict
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env["DJANGO_MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    env["DJANGO_SETTINGS_MODULE"] = "mamut.settings.local"
    env["DJANGO_DEBUG"] = "false"
    env.update(extra)
    (BASE_DIR / "var").mkdir(exist_ok=True)
    return env


class WorkerProcess:
    """A real ``celery worker`` process (solo pool) that a test can kill and restart."""

    def __init__(self, env: dict[str, str], *extra_args: str) -> None:
        self.env = env
        self.extra_args = extra_args
        self.process: subprocess.Popen | None = None
        self.log = open(BASE_DIR / "var" / "celery-worker-test.log", "ab")  # noqa: SIM115

    def start(self, *, wait: bool = True) -> "WorkerProcess":
        """Start the worker; with ``wait`` (the default) return once it answers."""
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mamut",
                "worker",
                "--queues=default,processing,ocr",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                *self.extra_args,
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        if wait:
            _wait_for_worker(self.process, env=self.env)
        return self

    def restart(self, *, wait: bool = True) -> "WorkerProcess":
        self.stop()
        return self.start(wait=wait)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def poll(self) -> int | None:
        assert self.process is not None
        return self.process.poll()

    def wait(self, timeout: float | None = None) -> int:
        assert self.process is not None
        return self.process.wait(timeout)


@pytest.fixture
def celery_worker_process(transactional_db, settings) -> Iterator[WorkerProcess]:
    """A real worker on Redis, using the test database and the test MEDIA_ROOT."""
    worker = WorkerProcess(service_env(settings))
    try:
        yield worker.start()
    finally:
        worker.stop()
        worker.log.close()


def _wait_for_worker(
    process: subprocess.Popen, *, env: dict[str, str], timeout: float = 180
) -> None:
    """Until the worker answers a ping over its own broker (``celery inspect``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "The Celery worker exited; see var/celery-worker-test.log"
            )
        answer = subprocess.run(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mamut",
                "inspect",
                "ping",
                "-t",
                "1",
            ],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
        )
        if answer.returncode == 0:
            return
    raise RuntimeError("The Celery worker did not answer in time")


def activate_scanner(actor):
    """Activate the scanner service as ``actor``, accepting the current terms."""
    from integrations.services import scanner_activate
    from integrations.terms import terms_current

    terms = terms_current(language="nl")
    return scanner_activate(
        actor=actor,
        terms_version=terms.version,
        terms_language=terms.language,
        terms_sha256=terms.sha256,
        ip_address="127.0.0.1",
    )


@pytest.fixture
def active_scanner(db, superuser):
    """The Visma Mobile Scanner service, activated by the superuser with the terms."""
    return activate_scanner(superuser)


@pytest.fixture
def scanner_off(active_scanner, superuser):
    """Deactivate the service, as the administrator does."""
    from integrations.services import scanner_deactivate

    return lambda: scanner_deactivate(actor=superuser, ip_address="127.0.0.1")


@pytest.fixture
def scanner_on(active_scanner, superuser):
    """Activate the service again with the current terms."""
    return lambda: activate_scanner(superuser)
