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


#: Narrower images are enlarged to this width before recognition: a receipt scanned
#: at 150 dpi (~460 px for 80 mm of paper) reads far better at ~1200 px (~380 dpi),
#: Tesseract's own advice being 300 dpi or more. Measured on sroie-dev (README).
OCR_WIDTH = 1200
#: ... but never by more than this factor (a tiny crop stays tiny).
OCR_MAX_UPSCALE = 3.0


def ocr_image(image: Image.Image) -> Image.Image:
    """What Tesseract reads: the image in greyscale, enlarged (Lanczos) to
    :data:`OCR_WIDTH` when it is narrower; wider images are left as they are."""
    image = image.convert("L")
    if image.width < OCR_WIDTH:
        factor = min(OCR_WIDTH / image.width, OCR_MAX_UPSCALE)
        size = (round(image.width * factor), round(image.height * factor))
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def image_text(file: BinaryIO, *, timeout: float | None = None) -> str:
    """The text Tesseract reads in the image ``file`` (prepared by :func:`ocr_image`,
    page segmentation ``RECEIPTS_OCR_PSM``: 4, one column of lines of any length).

    Tesseract runs as its own process (pytesseract): a crash or a runaway recognition
    costs that process, never the worker. Raises :class:`OcrUnavailable` without the
    engine, ``RuntimeError`` when it ran longer than ``timeout`` seconds,
    ``pytesseract.TesseractError`` when it failed.
    """
    if not ocr_available():
        raise OcrUnavailable
    with Image.open(file) as image:
        image.load()
        return pytesseract.image_to_string(
            ocr_image(image),
            lang=settings.RECEIPTS_OCR_LANGUAGES,
            config=f"--psm {settings.RECEIPTS_OCR_PSM}",
            timeout=timeout or 0,
        )
