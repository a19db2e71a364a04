"""Screenshots of the browser tests, kept as test artefacts.

Every browser test writes its screenshots under one directory, ``var/test-artefacts``
(ignored by git), or the directory in the environment variable ``TEST_ARTIFACTS_DIR``.
"""

import os
import shutil
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def artefacts_root() -> Path:
    """Where the screenshots go: ``TEST_ARTIFACTS_DIR`` or ``var/test-artefacts``."""
    configured = os.environ.get("TEST_ARTIFACTS_DIR", "")
    return Path(configured) if configured else BASE_DIR / "var" / "test-artefacts"


def artefacts_dir(name: str) -> Path:
    """An empty directory ``name`` under the root, for one test's screenshots."""
    path = artefacts_root() / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def shot(page, step: str) -> Path:
    """A full-page screenshot named after the page's prefix (``page.artefacts``)."""
    path = Path(f"{page.artefacts}-{step}.png")
    page.screenshot(path=str(path), full_page=True)
    return path


class Album:
    """Numbered screenshots of one story in one directory: ``01-step.png``, …"""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0

    def shot(self, page, step: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
