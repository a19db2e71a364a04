"""Text recognition of one image with Tesseract (through pytesseract), one thread.

The engine is optional at run time: :func:`ocr_available` says whether the
``tesseract`` binary and the configured languages are there; callers skip the step
with a logged notice when they are not.
"""

import functools
import logging
import os
import shutil
import time
from dataclasses import dataclass
from typing import BinaryIO

import pytesseract
from django.conf import settings
from PIL import Image

from receipts import extraction

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


@dataclass(frozen=True)
class Reading:
    """What one recognition pass read: the text, one line per line Tesseract found,
    and Tesseract's confidence (0 to 1, :func:`line_confidence`) in each line."""

    text: str
    line_confidences: list[float]

    def fields(self) -> dict[str, extraction.Field]:
        return extraction.extract(self.text, self.line_confidences)


def reading_of(data: dict) -> Reading:
    """The :class:`Reading` of pytesseract's ``image_to_data`` dictionary: its words
    joined into lines (block, paragraph, line), empty words left out."""
    lines: dict[tuple, list[tuple[str, float]]] = {}
    for block, paragraph, line, word, confidence in zip(
        data["block_num"],
        data["par_num"],
        data["line_num"],
        data["text"],
        data["conf"],
        strict=True,
    ):
        # NUL never reaches the fields (PostgreSQL refuses it in text and JSON).
        word = " ".join(str(word).replace("\x00", "").split())
        if word:
            lines.setdefault((block, paragraph, line), []).append(
                (word, min(max(float(confidence), 0.0), 100.0) / 100)
            )
    return Reading(
        text="\n".join(" ".join(word for word, _ in words) for words in lines.values()),
        line_confidences=[line_confidence(words) for words in lines.values()],
    )


def line_confidence(words: list[tuple[str, float]]) -> float:
    """How sure Tesseract is of a line: of its figures (the lowest confidence of its
    words with a digit: a date or an amount is as good as its worst digit), else of
    its words on average (a name)."""
    figures = [confidence for word, confidence in words if any(map(str.isdigit, word))]
    if figures:
        return min(figures)
    return sum(confidence for _, confidence in words) / len(words)


@dataclass(frozen=True)
class Result:
    """The text of the first pass, the fields of every pass merged, and how many
    passes ran (1 to 3)."""

    text: str
    fields: dict[str, extraction.Field]
    passes: int


#: A further pass needs at least this many seconds left of the timeout.
FURTHER_PASS_MIN_SECONDS = 2.0


def image_read(file: BinaryIO, *, timeout: float | None = None) -> Result:
    """Text and fields of the image ``file``, read by :func:`ocr_image`'s image.

    The first pass uses page segmentation ``RECEIPTS_OCR_PSM`` (4: one column of
    lines). Where its fields are doubtful (:func:`extraction.reading_doubtful`: no
    date or one read with doubt, a total no check confirms, a doubtful supplier) a
    second pass reads the same image with ``RECEIPTS_OCR_SECOND_PSM`` (6: one block
    of text); where the two disagree on the date (or neither found one), a third with
    ``RECEIPTS_OCR_THIRD_PSM`` (11: sparse text) breaks the tie (0 turns a pass off).
    The fields of all passes are merged (:func:`extraction.fields_merged`): the value
    most passes read, else the surest, Tesseract's own word confidences weighing
    each.

    Tesseract runs as its own process for each pass (pytesseract): a crash or a
    runaway recognition costs that process, never the worker. Raises
    :class:`OcrUnavailable` without the engine, ``RuntimeError`` when the passes ran
    longer than ``timeout`` seconds together, ``pytesseract.TesseractError`` when one
    failed.
    """
    if not ocr_available():
        raise OcrUnavailable
    deadline = time.monotonic() + timeout if timeout else None
    with Image.open(file) as image:
        image.load()
        prepared = ocr_image(image)
    # pytesseract hands the image over in a file, as PNG unless told otherwise: a
    # PGM costs no encoding (0.15 s CPU less per pass at 1200 px) and, like a PNG
    # without a resolution, lets Tesseract estimate it (a BMP says 96 dpi, which
    # reads worse).
    prepared.format = "PPM"
    first = _reading(prepared, settings.RECEIPTS_OCR_PSM, deadline)
    readings = [first.fields()]
    if _pass_wanted(settings.RECEIPTS_OCR_SECOND_PSM, deadline) and (
        extraction.reading_doubtful(readings[0])
    ):
        readings.append(
            _reading(prepared, settings.RECEIPTS_OCR_SECOND_PSM, deadline).fields()
        )
        if _pass_wanted(settings.RECEIPTS_OCR_THIRD_PSM, deadline) and (
            extraction.readings_disagree(readings, "date")
        ):
            readings.append(
                _reading(prepared, settings.RECEIPTS_OCR_THIRD_PSM, deadline).fields()
            )
    return Result(
        text=first.text,
        fields=extraction.fields_merged(*readings),
        passes=len(readings),
    )


def _pass_wanted(psm: int, deadline: float | None) -> bool:
    """Whether a further pass is configured and has time left for it."""
    return bool(psm) and (
        deadline is None or deadline - time.monotonic() > FURTHER_PASS_MIN_SECONDS
    )


def _reading(image: Image.Image, psm: int, deadline: float | None) -> Reading:
    timeout = max(deadline - time.monotonic(), 0.1) if deadline else 0
    return reading_of(
        pytesseract.image_to_data(
            image,
            lang=settings.RECEIPTS_OCR_LANGUAGES,
            config=f"--psm {psm}",
            timeout=timeout,
            output_type=pytesseract.Output.DICT,
        )
    )
