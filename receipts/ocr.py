"""Text recognition of one image with Tesseract (through pytesseract), one thread.

The engine is optional at run time: :func:`ocr_available` says whether the
``tesseract`` binary and the configured languages are there; callers skip the step
with a logged notice when they are not.
"""

import functools
import logging
import os
import shutil
from typing import BinaryIO

import pytesseract
from django.conf import settings
from PIL import Image

logger = logging.getLogger(__name__)

# One thread per recognition: the worker's concurrency is the parallelism.
os.environ["OMP_THREAD_LIMIT"] = "1"


class OcrUnavailable(Exception):
    """Tesseract or one of its languages is not installed."""


@functools.cache
def _languages_installed() -> frozenset[str]:
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return frozenset()


def ocr_available() -> bool:
    """Whether tesseract is installed with every language in RECEIPTS_OCR_LANGUAGES."""
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return False
    wanted = set(settings.RECEIPTS_OCR_LANGUAGES.split("+"))
    return wanted <= _languages_installed()


def image_text(file: BinaryIO, *, timeout: float | None = None) -> str:
    """The text Tesseract reads in the image ``file`` (page segmentation: one block).

    Raises :class:`OcrUnavailable` without the engine, ``RuntimeError`` when it ran
    longer than ``timeout`` seconds, ``pytesseract.TesseractError`` when it failed.
    """
    if not ocr_available():
        raise OcrUnavailable
    with Image.open(file) as image:
        image.load()
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        return pytesseract.image_to_string(
            image,
            lang=settings.RECEIPTS_OCR_LANGUAGES,
            config=f"--psm {settings.RECEIPTS_OCR_PSM}",
            timeout=timeout or 0,
        )
