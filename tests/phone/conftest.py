"""A phone in the browser: a small touch screen, as Chromium emulates one."""

from collections.abc import Iterator
from pathlib import Path

import pytest

PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
)


def _phone_page(browser, artefacts: Path, live_server, locale: str, name: str):
    context = browser.new_context(
        locale=locale,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_USER_AGENT,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.artefacts = artefacts / name
    page.app_url = live_server.url + "/m/"
    return context, page


@pytest.fixture
def phone(browser, artefacts: Path, live_server) -> Iterator["object"]:
    """A Dutch phone (nl-NL) showing the web app's origin; ``page.context`` is its
    browser context (``set_offline``)."""
    context, page = _phone_page(browser, artefacts, live_server, "nl-NL", "phone")
    yield page
    page.screenshot(path=str(artefacts / "last.png"), full_page=True)
    context.close()


@pytest.fixture
def phone_en(browser, artefacts: Path, live_server) -> Iterator["object"]:
    context, page = _phone_page(browser, artefacts, live_server, "en-GB", "phone-en")
    yield page
    page.screenshot(path=str(artefacts / "last.png"), full_page=True)
    context.close()


@pytest.fixture(autouse=True)
def fresh_sign_in_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def no_text_recognition(settings):
    """The phone tests are about sending: with tasks in-process the upload request also
    runs Tesseract, which under load holds the answer open for seconds. Reading is
    tested in tests/receipts and tests/services."""
    settings.RECEIPTS_OCR_ENABLED = False
