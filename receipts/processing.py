"""The image pipeline: pure functions from an uploaded original to what the app shows.

No ORM, no storage, no Celery: a task reads the original through Django's storage,
calls :func:`process_document` (or the steps below one by one) and stores the result.

A page goes through these steps, each a function that can be called and tested alone:

1. :func:`detect_kind` decides from the bytes (never the name) whether the original is
   a JPEG, PNG, HEIC/HEIF or PDF, and refuses anything else or a polyglot.
2. :func:`sha256_and_size` hashes the original, streamed (exact duplicates).
3. :func:`decode_image` opens an image with the format allowlist, the pixel limit
   (``settings.PROCESSING_MAX_IMAGE_PIXELS``, read at call time) and the
   decompression-bomb warning as an error, uses JPEG draft mode so that only what the
   preview needs is decoded, loads it fully (a truncated file fails here) and checks the
   pixel count again; :func:`render_pdf_page` renders a PDF's first page at a bounded
   scale instead.
4. :func:`orient` applies the EXIF orientation (all eight values).
5. :func:`to_display_mode` turns any mode (CMYK, 16-bit, alpha, palette, ICC profile)
   into plain sRGB ``RGB`` or ``L``.
6. :func:`encode_jpeg` writes the preview and the thumbnail, without any metadata
   (EXIF, GPS, XMP, comments, ICC).
7. :func:`perceptual_hash` hashes the first page's look (possible duplicates), and
   :func:`is_perceptual_match` compares two such hashes.
8. :func:`build_bundle` writes one PDF of all pages of a document.

The original itself is never modified: every function only reads it. PDFium is not
thread-safe: run the pipeline in one thread per process (Celery's prefork or solo pool).
Every refusal is a :class:`ProcessingError` with a machine ``code`` and a translated
reason; no other exception leaves the pipeline for a bad file.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import hashlib
import io
import logging
import math
import operator
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageFile, ImageOps
from rest_framework import status

from mamut.errors import ApplicationError

logger = logging.getLogger(__name__)

#: An original: its bytes, or a seekable binary file (e.g. a Django ``File``).
Source = bytes | BinaryIO

PREVIEW_LONG_EDGE = 2000
#: JPEG draft mode reduces by 1/2, 1/4 or 1/8 while decoding. A reduction that keeps
#: at least this share of the preview's long edge is taken instead of a full decode
#: and a resize: an A4 page scanned at 300 dpi (2481 x 3508) decodes at 1241 x 1754
#: (9 MB of pixels) instead of at full size (35 MB, then a 31 MB resize), so its
#: preview's long edge is 1754 px rather than 2000.
DRAFT_MIN_SHARE = 0.85
PREVIEW_QUALITY = 85
THUMBNAIL_LONG_EDGE = 320
THUMBNAIL_QUALITY = 80
#: Used when the setting is missing: a 48 MP (8000 x 6000) photo passes with room.
DEFAULT_MAX_IMAGE_PIXELS = 64_000_000
#: Hamming distance (of the 256 bits) up to which two first pages count as the same
#: document. Measured on sroie-dev: the same receipt saved again at JPEG quality 40
#: or scaled to a third stays within 8; different receipts are 18 or more apart,
#: except two of one shop on one template (14); 99 % of pairs are over 60 apart.
#: A crop or a tilt moves every line of text and is not caught: a photo taken twice
#: is a matter for the sha256 (same file) or for people.
DEFAULT_MAX_DISTANCE = 12
#: Bundle pages are the size of the image fitted into an A4 page (in points).
A4_POINTS = (595.0, 842.0)

_HASH_CHUNK = 1024 * 1024
_SNIFF_BYTES = 1024
_HEIF_BRANDS = {
    b"heic",
    b"heix",
    b"heim",
    b"heis",
    b"hevc",
    b"hevx",
    b"hevm",
    b"hevs",
    b"mif1",
    b"msf1",
}
# Signatures of other formats that must not hide in an accepted file: a PDF reader
# accepts a header anywhere in the first KiB, browsers sniff HTML there, and a ZIP is
# found from its end. A file that is two things at once is refused.
_FOREIGN_HEAD_MARKERS = (
    b"%pdf-",
    b"<html",
    b"<!doctype",
    b"<script",
    b"<svg",
    b"<?php",
)
_FOREIGN_TAIL_MARKERS = (b"PK\x05\x06",)
# Image.MAX_IMAGE_PIXELS is module state in Pillow: it is set only while one thread
# opens an image and restored afterwards.
_pixel_limit_lock = threading.Lock()


class Kind(enum.StrEnum):
    """What an original is, decided from its bytes."""

    JPEG = "jpeg"
    PNG = "png"
    HEIF = "heif"
    PDF = "pdf"


_PILLOW_FORMATS = {Kind.JPEG: ["JPEG"], Kind.PNG: ["PNG"], Kind.HEIF: ["HEIF"]}


class ProcessingError(ApplicationError):
    """The original cannot be processed: ``code`` says why, ``message`` tells people.

    Codes: ``invalid_file`` (empty, truncated, damaged, undecodable),
    ``unsupported_media_type`` (not JPEG, PNG, HEIC/HEIF or PDF, or more than one of
    them at once) and ``too_large`` (more pixels than the limit: a decompression bomb).
    ``message`` is lazy: ``str()`` it in the language it is shown in.
    """

    INVALID_FILE = "invalid_file"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    TOO_LARGE = "too_large"

    _STATUS = {
        INVALID_FILE: status.HTTP_400_BAD_REQUEST,
        UNSUPPORTED_MEDIA_TYPE: status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        TOO_LARGE: status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    }

    def __init__(self, message: str | Promise, *, code: str) -> None:
        super().__init__(message, code=code, status_code=self._STATUS[code])


def _invalid(message: str | Promise) -> ProcessingError:
    return ProcessingError(message, code=ProcessingError.INVALID_FILE)


def _too_large() -> ProcessingError:
    return ProcessingError(
        _("The image has too many pixels to be processed safely."),
        code=ProcessingError.TOO_LARGE,
    )


# --- Results ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rendition:
    """A derived JPEG: its bytes and its size in pixels. Never carries metadata."""

    content: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


@dataclass(frozen=True)
class PageResult:
    """What one original (one uploaded page) yields.

    ``width`` and ``height`` are the original's size in pixels after the EXIF
    orientation; for a PDF, its first page's size in points (1/72 inch).
    ``page_count`` is 1 for an image and the number of pages for a PDF.
    ``preview`` (long edge at most 2000 px) and ``thumbnail`` (at most 320 px) show the
    first page. ``sha256`` is the hex digest of the original's bytes, ``phash`` the
    16-hex-digit perceptual hash of the first page.
    """

    kind: Kind
    sha256: str
    size: int
    width: int
    height: int
    page_count: int
    preview: Rendition
    thumbnail: Rendition
    phash: str


@dataclass
class DocumentResult:
    """A processed document: its pages in upload order and the bundled PDF.

    ``bundle`` is an open temporary file positioned at 0 holding one PDF of every page
    (images as their preview, PDFs page by page); it lives on disk once it outgrows a
    few MB. Use the result as a context manager, or call :meth:`close`, to delete it.
    """

    pages: list[PageResult]
    bundle: BinaryIO
    bundle_page_count: int

    @property
    def first_page(self) -> PageResult:
        return self.pages[0]

    @property
    def phash(self) -> str:
        """The perceptual hash of the document's first page."""
        return self.first_page.phash

    def close(self) -> None:
        self.bundle.close()

    def __enter__(self) -> DocumentResult:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# --- Reading the original ---------------------------------------------------------


@contextlib.contextmanager
def _stream(source: Source) -> Iterator[BinaryIO]:
    """The source as a binary file at position 0; a file is left at position 0 too."""
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(source)
        return
    source.seek(0)
    try:
        yield source
    finally:
        source.seek(0)


def _head_and_tail(source: Source) -> tuple[bytes, bytes, int]:
    with _stream(source) as stream:
        head = stream.read(_SNIFF_BYTES)
        size = stream.seek(0, io.SEEK_END)
        stream.seek(max(0, size - _SNIFF_BYTES))
        tail = stream.read(_SNIFF_BYTES)
    return head, tail, size


def detect_kind(source: Source) -> Kind:
    """Step 1: what the original is, from its first bytes (magic numbers) only.

    Raises ``invalid_file`` for an empty file and ``unsupported_media_type`` for any
    other format or for a polyglot (an accepted format with a PDF, HTML, script or ZIP
    inside). A file name or declared content type is never consulted.
    """
    head, tail, size = _head_and_tail(source)
    if size == 0:
        raise _invalid(_("The file is empty."))
    kind = _kind_from_magic(head)
    if kind is None:
        raise ProcessingError(
            _("This file type is not supported. Send a JPEG, PNG, HEIC or PDF file."),
            code=ProcessingError.UNSUPPORTED_MEDIA_TYPE,
        )
    if _is_polyglot(kind, head, tail):
        raise ProcessingError(
            _("The file is more than one type of file at once and is refused."),
            code=ProcessingError.UNSUPPORTED_MEDIA_TYPE,
        )
    return kind


def _kind_from_magic(head: bytes) -> Kind | None:
    if head.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if head.startswith(b"%PDF-"):
        return Kind.PDF
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return Kind.HEIF
    return None


def _is_polyglot(kind: Kind, head: bytes, tail: bytes) -> bool:
    lowered = head.lower()
    head_markers = [
        m for m in _FOREIGN_HEAD_MARKERS if kind != Kind.PDF or m != b"%pdf-"
    ]
    if any(marker in lowered for marker in head_markers):
        return True
    return any(marker in tail for marker in _FOREIGN_TAIL_MARKERS)


def sha256_and_size(source: Source) -> tuple[str, int]:
    """Step 2: the hex sha256 of the original and its size in bytes, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with _stream(source) as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- Decoding ---------------------------------------------------------------------


def max_image_pixels() -> int:
    """The pixel limit of an image, from ``settings.PROCESSING_MAX_IMAGE_PIXELS``."""
    return int(
        getattr(settings, "PROCESSING_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    )


@functools.cache
def _register_heif_opener() -> None:
    """Teach Pillow HEIC/HEIF once; without depth, auxiliary or thumbnail images."""
    import pillow_heif

    pillow_heif.register_heif_opener(
        thumbnails=False, depth_images=False, aux_images=False
    )


def fit_size(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    """``size`` scaled down (never up) so its longer side is at most ``long_edge``."""
    width, height = size
    scale = min(1.0, long_edge / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _check_pixels(size: tuple[int, int], limit: int) -> None:
    if size[0] * size[1] > limit:
        raise _too_large()


@contextlib.contextmanager
def _pillow_pixel_limit(limit: int) -> Iterator[None]:
    """Pillow's own bomb check at ``limit``, its warning raised as an error."""
    with _pixel_limit_lock, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        previous = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = limit
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = previous


def decode_image(
    source: Source, kind: Kind, *, long_edge: int = PREVIEW_LONG_EDGE
) -> tuple[Image.Image, tuple[int, int]]:
    """Step 3: the image decoded, keeping ``long_edge`` px of its longer side.

    Returns the loaded image (JPEG: reduced in the DCT domain by draft mode, so a 48 MP
    photo decodes at about 2000 px and is never decoded fully; a reduction that keeps
    :data:`DRAFT_MIN_SHARE` of ``long_edge`` is taken too) and the original's size
    in pixels. Only the Pillow format of ``kind`` is tried. The pixel count is checked
    at open and again after loading; a truncated or damaged file raises
    ``invalid_file``, too many pixels ``too_large``; nothing half-decoded comes back.
    """
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ImproperlyConfigured(
            "PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False: truncated uploads "
            "would be processed half."
        )
    if kind == Kind.HEIF:
        _register_heif_opener()
    limit = max_image_pixels()
    with _stream(source) as stream:
        try:
            with _pillow_pixel_limit(limit):
                image = Image.open(stream, formats=_PILLOW_FORMATS[kind])
            original_size = image.size
            _check_pixels(original_size, limit)
            if kind == Kind.JPEG:
                image.draft(
                    "RGB", fit_size(original_size, round(long_edge * DRAFT_MIN_SHARE))
                )
            image.load()
            # pillow-heif reports the size from the container and decodes after the
            # check at open: the decoded size is what counts.
            _check_pixels(image.size, limit)
        except ProcessingError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_large() from error
        except Exception as error:
            # Decoders raise OSError, SyntaxError, ValueError, EOFError, struct.error
            # and more for hostile input; all of them mean the same to the user.
            logger.info("Cannot decode a %s original: %r", kind, error)
            raise _invalid(
                _("The file is damaged or incomplete and cannot be read.")
            ) from error
    return image, original_size


def render_pdf_page(
    source: Source, *, long_edge: int = PREVIEW_LONG_EDGE
) -> tuple[Image.Image, tuple[int, int], int]:
    """Step 3 for a PDF: its first page rendered with the long edge at ``long_edge`` px.

    Returns the RGB image, the first page's size in points and the page count. The
    scale follows from the page size, so the bitmap never exceeds ``long_edge`` on a
    side whatever the page declares. A damaged, empty or password-protected PDF raises
    ``invalid_file``.
    """
    with _stream(source) as stream:
        return _render_first_page(stream, long_edge)


def _render_first_page(
    stream: BinaryIO, long_edge: int
) -> tuple[Image.Image, tuple[int, int], int]:
    try:
        document = pdfium.PdfDocument(stream)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise _invalid(_("The PDF is protected with a password.")) from error
        raise _invalid(
            _("The file is damaged or incomplete and cannot be read.")
        ) from error
    try:
        page_count = len(document)
        if page_count == 0:
            raise _invalid(_("The PDF has no pages."))
        page = document[0]
        try:
            width, height = page.get_size()
            if width <= 0 or height <= 0:
                raise _invalid(
                    _("The file is damaged or incomplete and cannot be read.")
                )
            scale = long_edge / max(width, height)
            bitmap = page.render(scale=scale, may_draw_forms=False)
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()
        finally:
            page.close()
    except ProcessingError:
        raise
    except Exception as error:
        logger.info("Cannot render a PDF original: %r", error)
        raise _invalid(
            _("The file is damaged or incomplete and cannot be read.")
        ) from error
    finally:
        document.close()
    return image, (round(width), round(height)), page_count


# --- Normalising ------------------------------------------------------------------


def exif_orientation(image: Image.Image) -> int:
    """The EXIF orientation (1-8) of a decoded image; 1 when absent or nonsense."""
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block must not stop the page
        return 1
    return value if value in range(1, 9) else 1


def orient(image: Image.Image) -> Image.Image:
    """Step 4: the image turned as the camera meant it (EXIF orientation 1-8).

    Turns ``image`` in place (no copy when there is nothing to turn) and returns it.
    """
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:
        logger.info("Ignoring an unreadable EXIF orientation", exc_info=True)
    return image


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def to_display_mode(image: Image.Image) -> Image.Image:
    """Step 5: the image as sRGB ``RGB`` or 8-bit ``L``, ready for JPEG.

    Transparency is laid on white (a receipt's paper), 16-bit greyscale is scaled to
    8 bits (not clipped), CMYK and palette images become RGB, and an embedded ICC
    profile (Display P3 on phones, CMYK scans) is converted to sRGB.
    """
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "1":
        image = image.convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba).convert("RGB")
    icc_profile = image.info.get("icc_profile")
    if icc_profile and image.mode in ("RGB", "CMYK"):
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            image = ImageCms.profileToProfile(
                image, source_profile, _srgb_profile(), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            logger.info("Ignoring an unusable ICC profile", exc_info=True)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    return image


def resized(image: Image.Image, long_edge: int) -> Image.Image:
    """A copy (or the image itself) with its longer side at most ``long_edge``."""
    target = fit_size(image.size, long_edge)
    if target == image.size:
        return image
    # What Image.thumbnail does: reduce by an integer factor, then bicubic.
    return image.resize(target, Image.Resampling.BICUBIC, reducing_gap=2.0)


def encode_jpeg(image: Image.Image, *, quality: int) -> Rendition:
    """Step 6: the image as a baseline JPEG with no metadata at all.

    Pillow carries ``info`` (EXIF with GPS, XMP, comments, ICC) from image to image and
    writes some of it back (the JPEG comment); it is emptied while saving.
    """
    kept, image.info = image.info, {}
    buffer = io.BytesIO()
    try:
        image.save(buffer, "JPEG", quality=quality)
    finally:
        image.info = kept
    return Rendition(content=buffer.getvalue(), width=image.width, height=image.height)


# --- Perceptual hash --------------------------------------------------------------

#: pHash with a 16 x 16 hash from a 32 x 32 image. The usual 8 x 8 cannot tell
#: receipts apart (white paper with lines of text: on sroie-dev different receipts
#: collide at distance 0); 16 x 16 can, and from 32 x 32 it costs about 1 ms.
HASH_SIZE = 16
_DCT_SIZE = 2 * HASH_SIZE


@functools.cache
def _dct_basis() -> tuple[tuple[float, ...], ...]:
    """The first ``HASH_SIZE`` DCT-II basis vectors of length ``_DCT_SIZE``."""
    return tuple(
        tuple(
            math.cos(math.pi * k * (2 * n + 1) / (2 * _DCT_SIZE))
            for n in range(_DCT_SIZE)
        )
        for k in range(HASH_SIZE)
    )


def perceptual_hash(image: Image.Image) -> str:
    """Step 7: the 256-bit pHash of the image, as 64 hex digits.

    The algorithm of ``imagehash.phash(image, hash_size=16, highfreq_factor=2)``:
    greyscale at 32 x 32, a 2-D DCT-II, the 16 x 16 lowest frequencies compared with
    their median, bits in row order; on the 100 sroie-dev receipts it gives the same
    hex as imagehash 4.3.2, bit for bit. Only those 256 coefficients are computed, on
    Pillow and plain Python (about 1 ms), so imagehash's numpy, scipy and PyWavelets
    (some 170 MB installed) are not needed.
    """
    small = image.convert("L").resize((_DCT_SIZE, _DCT_SIZE), Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    basis = _dct_basis()
    # Horizontal frequencies of every row, then vertical frequencies of those columns.
    rows = [
        [
            sum(map(operator.mul, vector, pixels[start : start + _DCT_SIZE]))
            for vector in basis
        ]
        for start in range(0, _DCT_SIZE * _DCT_SIZE, _DCT_SIZE)
    ]
    columns = list(zip(*rows, strict=True))
    coefficients = [
        sum(map(operator.mul, vector, columns[k]))
        for vector in basis
        for k in range(HASH_SIZE)
    ]
    ordered = sorted(coefficients)
    middle = len(ordered) // 2
    median = (ordered[middle - 1] + ordered[middle]) / 2
    bits = 0
    for value in coefficients:
        bits = (bits << 1) | (value > median)
    return f"{bits:0{HASH_SIZE * HASH_SIZE // 4}x}"


def hamming_distance(a: str, b: str) -> int:
    """How many of the bits of two hex hashes differ."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def is_perceptual_match(
    a: str, b: str, max_distance: int = DEFAULT_MAX_DISTANCE
) -> bool:
    """Whether two perceptual hashes are close enough to be the same document."""
    return hamming_distance(a, b) <= max_distance


# --- A page, a document -----------------------------------------------------------


def process_page(source: Source) -> PageResult:
    """Steps 1-7 for one original; see the module docstring.

    ``source`` is only read. Raises :class:`ProcessingError` for a file that cannot be
    processed; nothing is returned half.
    """
    kind = detect_kind(source)
    sha256, size = sha256_and_size(source)
    if kind == Kind.PDF:
        image, (width, height), page_count = render_pdf_page(source)
    else:
        decoded, original_size = decode_image(source, kind)
        orientation = exif_orientation(decoded)
        image = orient(decoded)
        width, height = (
            original_size[::-1] if orientation in (5, 6, 7, 8) else original_size
        )
        page_count = 1
    image = to_display_mode(image)
    preview_image = resized(image, PREVIEW_LONG_EDGE)
    thumbnail_image = resized(preview_image, THUMBNAIL_LONG_EDGE)
    return PageResult(
        kind=kind,
        sha256=sha256,
        size=size,
        width=width,
        height=height,
        page_count=page_count,
        preview=encode_jpeg(preview_image, quality=PREVIEW_QUALITY),
        thumbnail=encode_jpeg(thumbnail_image, quality=THUMBNAIL_QUALITY),
        phash=perceptual_hash(thumbnail_image),
    )


def _fit_points(width: int, height: int) -> tuple[float, float]:
    box_w, box_h = A4_POINTS if height >= width else A4_POINTS[::-1]
    scale = min(box_w / width, box_h / height)
    return width * scale, height * scale


def build_bundle(
    originals: Sequence[Source], pages: Sequence[PageResult], dest: BinaryIO
) -> int:
    """Step 8: one PDF of every page written to ``dest``; returns its page count.

    An image becomes one page showing its preview (already oriented and without
    metadata; the JPEG is embedded as it is, not encoded again), fitted into A4. A PDF
    contributes all its pages, what they show drawn from the original (without
    actions, JavaScript or annotations). Only one original is open at a time.
    """
    bundle = pdfium.PdfDocument.new()
    try:
        for original, page in zip(originals, pages, strict=True):
            if page.kind == Kind.PDF:
                with _stream(original) as stream:
                    _import_pdf(bundle, stream)
                continue
            width, height = _fit_points(page.preview.width, page.preview.height)
            pdf_page = bundle.new_page(width, height)
            picture = pdfium.PdfImage.new(bundle)
            picture.load_jpeg(io.BytesIO(page.preview.content), inline=True)
            picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
            pdf_page.insert_obj(picture)
            pdf_page.gen_content()
            pdf_page.close()
        page_count = len(bundle)
        bundle.save(dest)
    finally:
        bundle.close()
    dest.seek(0)
    return page_count


def _import_pdf(bundle: pdfium.PdfDocument, stream: BinaryIO) -> None:
    """Every page of the PDF in ``stream`` added to ``bundle``; a page that cannot be
    loaded or copied (the first one rendered, a later one need not) is
    ``invalid_file``, like a PDF that cannot be opened."""
    try:
        source = pdfium.PdfDocument(stream)
    except pdfium.PdfiumError as error:
        raise _invalid(
            _("The file is damaged or incomplete and cannot be read.")
        ) from error
    try:
        _import_pdf_content(bundle, source)
    except (pdfium.PdfiumError, ValueError) as error:
        logger.info("Cannot copy a PDF original's pages: %r", error)
        raise _invalid(
            _("The file is damaged or incomplete and cannot be read.")
        ) from error
    finally:
        source.close()


def _import_pdf_content(bundle: pdfium.PdfDocument, source: pdfium.PdfDocument) -> None:
    """Every page of ``source`` added to ``bundle`` with only what it shows.

    A page is drawn as a form XObject on a new page of the same boxes and turn, not
    copied whole: its actions (``/AA``, JavaScript), annotations, links and form
    fields stay behind, so the bundle that people download runs nothing.
    """
    for index in range(len(source)):
        page = source[index]
        try:
            mediabox, cropbox = page.get_mediabox(), page.get_cropbox()
            rotation = page.get_rotation()
        finally:
            page.close()
        xobject = pdfium.raw.FPDF_NewXObjectFromPage(bundle.raw, source.raw, index)
        if not xobject:
            raise ValueError(f"PDF page {index + 1} cannot be copied")
        try:
            form = pdfium.raw.FPDF_NewFormObjectFromXObject(xobject)
            new_page = bundle.new_page(
                mediabox[2] - mediabox[0], mediabox[3] - mediabox[1]
            )
            try:
                new_page.set_mediabox(*mediabox)
                new_page.set_cropbox(*cropbox)
                new_page.set_rotation(rotation)
                pdfium.raw.FPDFPage_InsertObject(new_page.raw, form)
                new_page.gen_content()
            finally:
                new_page.close()
        finally:
            pdfium.raw.FPDF_CloseXObject(xobject)


def process_document(originals: Sequence[Source]) -> DocumentResult:
    """Every page of a document in order, and their bundled PDF.

    Raises :class:`ProcessingError` if any page fails (a document is ready only when
    all of it is), and ``ValueError`` for no pages at all.
    """
    if not originals:
        raise ValueError("A document has at least one page.")
    pages = [process_page(original) for original in originals]
    bundle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        page_count = build_bundle(originals, pages, bundle)
    except Exception:
        bundle.close()
        raise
    return DocumentResult(pages=pages, bundle=bundle, bundle_page_count=page_count)
