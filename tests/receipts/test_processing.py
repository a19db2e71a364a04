"""The processing pipeline on real files through Pillow, pillow-heif and PDFium.

Receipts are real scans (tests/data/receipts, from sroie-dev); everything else is made
here: photos with every EXIF orientation and a GPS position, 12 and 48 MP photos, HEIC,
PNG in several modes, PDFs, and hostile files.
"""

import hashlib
import io
import os
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pillow_heif
import pypdf
import pypdfium2 as pdfium
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from PIL import Image, ImageFile

from receipts import processing
from receipts.processing import Kind, ProcessingError

RECEIPTS = Path(__file__).resolve().parent.parent / "data" / "receipts"
RED, GREEN, BLUE, WHITE = (230, 20, 20), (20, 200, 20), (20, 20, 230), (255, 255, 255)


# --- Files made for the tests -------------------------------------------------------


def receipt(name: str) -> bytes:
    return (RECEIPTS / f"sroie-{name}.jpg").read_bytes()


def encode(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def marked_picture(size: tuple[int, int] = (300, 200)) -> Image.Image:
    """White, with red in the top-left corner, blue top-right and green bottom-left:
    any turn or mirror moves at least one of them."""
    width, height = size
    picture = Image.new("RGB", size, WHITE)
    block = min(size) // 4
    picture.paste(RED, (0, 0, block, block))
    picture.paste(BLUE, (width - block, 0, width, block))
    picture.paste(GREEN, (0, height - block, block, height))
    return picture


# What a camera stores for a scene it shows upright, per EXIF orientation (EXIF 2.3,
# tag 0x0112): the stored pixels are the scene turned the other way.
STORED_FROM_SCENE = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,  # mirrored horizontally
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,  # mirrored vertically
    5: Image.Transpose.TRANSPOSE,  # mirrored along the top-left diagonal
    6: Image.Transpose.ROTATE_90,  # shown after a quarter turn clockwise
    7: Image.Transpose.TRANSVERSE,  # mirrored along the other diagonal
    8: Image.Transpose.ROTATE_270,  # shown after a quarter turn anticlockwise
}


def photo_with_orientation(
    orientation: int, scene: Image.Image, gps: bool = False
) -> bytes:
    transpose = STORED_FROM_SCENE[orientation]
    stored = scene.transpose(transpose) if transpose is not None else scene
    exif = Image.Exif()
    exif[0x0112] = orientation
    if gps:
        exif[0x010F] = "PhoneMaker"
        exif.get_ifd(0x8825).update(
            {1: "N", 2: (52.0, 22.0, 26.0), 3: "E", 4: (4.0, 53.0, 34.0)}
        )
    return encode(stored, "JPEG", quality=95, exif=exif)


def colour_at(image: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    rgb = image.convert("RGB")
    return rgb.getpixel((int(x * (rgb.width - 1)), int(y * (rgb.height - 1))))


def near(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 40 for a, b in zip(colour, expected, strict=True))


def large_photo(size: tuple[int, int]) -> bytes:
    photo = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(size),
            Image.radial_gradient("L").resize(size),
            Image.linear_gradient("L")
            .transpose(Image.Transpose.ROTATE_90)
            .resize(size),
        ),
    )
    return encode(photo, "JPEG", quality=80)


def heic(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(image).save(buffer, quality=80)
    return buffer.getvalue()


def pdf_of(*pages: Image.Image) -> bytes:
    """A PDF made by Pillow, one image per page."""
    buffer = io.BytesIO()
    pages[0].save(
        buffer, "PDF", save_all=True, append_images=list(pages[1:]), resolution=72
    )
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data))
    )


def png_declaring(width: int, height: int) -> bytes:
    """A tiny valid PNG that declares ``width`` x ``height`` greyscale pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def assert_refused(data: bytes, code: str) -> ProcessingError:
    with pytest.raises(ProcessingError) as caught:
        processing.process_page(data)
    assert caught.value.code == code
    assert str(caught.value.message)
    return caught.value


# --- Step 1: what the file is -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (receipt("000"), Kind.JPEG),
        (encode(marked_picture(), "PNG"), Kind.PNG),
        (heic(marked_picture()), Kind.HEIF),
        (pdf_of(marked_picture()), Kind.PDF),
    ],
    ids=["jpeg", "png", "heic", "pdf"],
)
def test_kind_is_decided_from_the_bytes(data: bytes, kind: Kind):
    assert processing.detect_kind(data) == kind


def test_kind_ignores_the_file_name_and_leaves_the_file_at_its_start(tmp_path: Path):
    path = tmp_path / "receipt.pdf"
    path.write_bytes(receipt("001"))

    with path.open("rb") as file:
        file.seek(100)
        assert processing.detect_kind(file) == Kind.JPEG
        assert file.tell() == 0


# --- Hostile and broken files -------------------------------------------------------

HOSTILE = {
    "zero bytes": (b"", "invalid_file"),
    "random bytes": (os.urandom(4096), "unsupported_media_type"),
    "text renamed .jpg": (b"Total 12,50 EUR\n" * 20, "unsupported_media_type"),
    "html renamed .jpg": (
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "unsupported_media_type",
    ),
    "svg renamed .jpg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "unsupported_media_type",
    ),
    "zip renamed .jpg": (zip_bytes(), "unsupported_media_type"),
    "gif renamed .jpg": (encode(marked_picture(), "GIF"), "unsupported_media_type"),
    "tiff renamed .jpg": (encode(marked_picture(), "TIFF"), "unsupported_media_type"),
    "webp renamed .jpg": (encode(marked_picture(), "WEBP"), "unsupported_media_type"),
    "jpeg with a zip behind it": (
        receipt("019") + zip_bytes(),
        "unsupported_media_type",
    ),
    "jpeg with html in its comment": (
        encode(marked_picture(), "JPEG", comment=b"<html><script>x</script>"),
        "unsupported_media_type",
    ),
    "jpeg that is a pdf too": (
        encode(marked_picture(), "JPEG", comment=b"%PDF-1.7 1 0 obj"),
        "unsupported_media_type",
    ),
    "truncated jpeg": (receipt("003")[: len(receipt("003")) // 2], "invalid_file"),
    "jpeg magic then garbage": (b"\xff\xd8\xff\xe0" + os.urandom(2000), "invalid_file"),
    "truncated png": (encode(marked_picture(), "PNG")[:300], "invalid_file"),
    "truncated heic": (heic(marked_picture())[:200], "invalid_file"),
    "damaged pdf": (b"%PDF-1.7\n" + os.urandom(2000), "invalid_file"),
    "pdf without pages": (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n",
        "invalid_file",
    ),
    "png bomb": (png_declaring(100_000, 100_000), "too_large"),
    "png bomb past pillow's own limit": (png_declaring(2**20, 2**20), "too_large"),
}


@pytest.mark.parametrize(("data", "code"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_or_broken_file_is_refused_with_its_code(data: bytes, code: str):
    assert_refused(data, code)


def test_refusals_have_a_dutch_and_an_english_reason():
    with pytest.raises(ProcessingError) as caught:
        processing.process_page(b"")

    with translation.override("nl"):
        dutch = str(caught.value.message)
    with translation.override("en"):
        english = str(caught.value.message)
    assert english == "The file is empty."
    assert dutch == "Het bestand is leeg."


def test_refusals_carry_the_http_status_for_the_api():
    assert assert_refused(b"", "invalid_file").status_code == 400
    assert assert_refused(b"GIF89a....", "unsupported_media_type").status_code == 415
    assert assert_refused(png_declaring(10**5, 10**5), "too_large").status_code == 413


def test_pixel_limit_is_the_setting_read_at_call_time(settings):
    photo = encode(marked_picture((300, 200)), "JPEG")
    processing.process_page(photo)

    settings.PROCESSING_MAX_IMAGE_PIXELS = 300 * 200 - 1

    assert_refused(photo, "too_large")
    assert_refused(encode(marked_picture((300, 200)), "PNG"), "too_large")


def test_heic_above_the_pixel_limit_is_refused(settings):
    settings.PROCESSING_MAX_IMAGE_PIXELS = 100 * 100

    assert_refused(heic(marked_picture((300, 200))), "too_large")


def test_bomb_check_leaves_pillow_and_warnings_as_they_were():
    pillow_limit = Image.MAX_IMAGE_PIXELS
    filters = list(warnings.filters)

    assert_refused(png_declaring(100_000, 100_000), "too_large")
    processing.process_page(receipt("000"))

    assert pillow_limit == Image.MAX_IMAGE_PIXELS
    assert warnings.filters == filters


def test_decoding_refuses_to_run_when_truncated_images_would_be_loaded(monkeypatch):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    with pytest.raises(ImproperlyConfigured):
        processing.decode_image(receipt("000"), Kind.JPEG)


# --- Orientation and metadata -------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_shown_upright(orientation: int):
    scene = marked_picture((300, 200))

    result = processing.process_page(photo_with_orientation(orientation, scene))

    assert (result.width, result.height) == (300, 200)
    for rendition in (result.preview, result.thumbnail):
        shown = Image.open(io.BytesIO(rendition.content))
        assert shown.width > shown.height
        assert near(colour_at(shown, 0.05, 0.05), RED)
        assert near(colour_at(shown, 0.95, 0.05), BLUE)
        assert near(colour_at(shown, 0.05, 0.95), GREEN)
        assert near(colour_at(shown, 0.95, 0.95), WHITE)


def test_derived_files_carry_no_gps_or_other_metadata_and_the_original_is_unchanged(
    tmp_path: Path,
):
    original = photo_with_orientation(6, marked_picture(), gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    path = tmp_path / "photo.jpg"
    path.write_bytes(original)

    with path.open("rb") as file:
        result = processing.process_page(file)

    for rendition in (result.preview, result.thumbnail):
        derived = Image.open(io.BytesIO(rendition.content))
        assert not derived.getexif()
        assert not derived.getexif().get_ifd(0x8825)
        assert not {"exif", "comment", "xmp", "icc_profile"} & derived.info.keys()
        assert b"Exif" not in rendition.content
        assert b"PhoneMaker" not in rendition.content
    assert path.read_bytes() == original
    assert result.sha256 == hashlib.sha256(original).hexdigest()
    assert result.size == len(original)


def test_receipt_comment_and_icc_profile_are_not_copied():
    scan = Image.open(io.BytesIO(receipt("000")))
    assert "comment" in scan.info
    profile = processing._srgb_profile().tobytes()
    with_profile = encode(scan, "JPEG", icc_profile=profile, comment=b"scanner 3000")

    result = processing.process_page(with_profile)

    derived = Image.open(io.BytesIO(result.preview.content))
    assert "icc_profile" not in derived.info
    assert "comment" not in derived.info


# --- Sizes and draft mode -----------------------------------------------------------


@pytest.mark.parametrize("name", ["000", "001", "003", "019"])
def test_receipt_scan_gets_a_preview_and_a_thumbnail(name: str):
    data = receipt(name)
    original = Image.open(io.BytesIO(data))

    result = processing.process_page(data)

    assert result.kind == Kind.JPEG
    assert (result.width, result.height) == original.size
    assert result.page_count == 1
    assert (result.preview.width, result.preview.height) == original.size
    assert max(result.thumbnail.width, result.thumbnail.height) == 320
    for rendition in (result.preview, result.thumbnail):
        shown = Image.open(io.BytesIO(rendition.content))
        assert shown.format == "JPEG"
        assert shown.size == (rendition.width, rendition.height)
    assert len(result.phash) == 64


@pytest.mark.parametrize(
    ("size", "decoded", "preview"),
    [
        ((4000, 3000), (2000, 1500), (2000, 1500)),
        ((8000, 6000), (2000, 1500), (2000, 1500)),
        # A reduction that keeps 85 % of the preview's 2000 px is taken too: an A4
        # page at 300 dpi decodes at half (1754 px), not fully.
        ((2481, 3508), (1241, 1754), (1241, 1754)),
        ((3800, 2850), (1900, 1425), (1900, 1425)),
        # Half would be 1600 px: decoded fully, then resized.
        ((3200, 2400), (3200, 2400), (2000, 1500)),
    ],
    ids=["12 MP", "48 MP", "A4 300 dpi", "10.8 MP", "7.7 MP"],
)
def test_large_photo_is_decoded_reduced_by_draft_mode(size, decoded, preview):
    data = large_photo(size)

    image, original_size = processing.decode_image(data, Kind.JPEG)

    assert original_size == size
    assert image.size == decoded
    result = processing.process_page(data)
    assert (result.width, result.height) == size
    assert (result.preview.width, result.preview.height) == preview
    assert max(result.thumbnail.width, result.thumbnail.height) == 320


def test_turned_large_photo_keeps_its_turn_after_draft_mode():
    stored = Image.open(io.BytesIO(large_photo((4000, 3000))))
    exif = Image.Exif()
    exif[0x0112] = 6

    result = processing.process_page(encode(stored, "JPEG", exif=exif))

    assert (result.width, result.height) == (3000, 4000)
    assert (result.preview.width, result.preview.height) == (1500, 2000)


# --- Other formats and modes --------------------------------------------------------


def test_heic_from_a_phone_is_processed():
    result = processing.process_page(heic(marked_picture((600, 400))))

    assert result.kind == Kind.HEIF
    assert (result.width, result.height) == (600, 400)
    shown = Image.open(io.BytesIO(result.preview.content))
    assert near(colour_at(shown, 0.05, 0.05), RED)


@pytest.mark.parametrize(
    ("image", "mode"),
    [
        (marked_picture(), "RGB"),
        (marked_picture().convert("P"), "RGB"),
        (marked_picture().convert("L"), "L"),
    ],
    ids=["rgb", "palette", "grey"],
)
def test_png_is_processed(image: Image.Image, mode: str):
    result = processing.process_page(encode(image, "PNG"))

    assert result.kind == Kind.PNG
    assert Image.open(io.BytesIO(result.preview.content)).mode == mode


def test_transparent_png_is_laid_on_white():
    picture = marked_picture().convert("RGBA")
    picture.putalpha(Image.new("L", picture.size, 0))

    result = processing.process_page(encode(picture, "PNG"))

    shown = Image.open(io.BytesIO(result.preview.content))
    assert near(colour_at(shown, 0.05, 0.05), WHITE)


def test_sixteen_bit_png_is_scaled_not_clipped():
    grey = Image.new("I;16", (200, 100), 0x8000)

    result = processing.process_page(encode(grey, "PNG"))

    shown = Image.open(io.BytesIO(result.preview.content))
    assert shown.mode == "L"
    assert 120 <= shown.getpixel((100, 50)) <= 136


def test_cmyk_and_greyscale_jpegs_become_rgb_and_grey():
    cmyk = processing.process_page(encode(marked_picture().convert("CMYK"), "JPEG"))
    grey = processing.process_page(encode(marked_picture().convert("L"), "JPEG"))

    cmyk_preview = Image.open(io.BytesIO(cmyk.preview.content))
    assert cmyk_preview.mode == "RGB"
    assert near(colour_at(cmyk_preview, 0.05, 0.05), RED)
    assert Image.open(io.BytesIO(grey.preview.content)).mode == "L"


# --- PDF ----------------------------------------------------------------------------


def test_pdf_first_page_is_rendered_for_preview_and_thumbnail():
    first = Image.new("RGB", (595, 842), RED)
    data = pdf_of(first, Image.new("RGB", (595, 842), BLUE))

    result = processing.process_page(data)

    assert result.kind == Kind.PDF
    assert result.page_count == 2
    assert (result.width, result.height) == (595, 842)
    assert max(result.preview.width, result.preview.height) == 2000
    assert max(result.thumbnail.width, result.thumbnail.height) == 320
    assert near(
        colour_at(Image.open(io.BytesIO(result.thumbnail.content)), 0.5, 0.5), RED
    )


def test_pdf_with_a_huge_page_is_rendered_at_a_bounded_size():
    page = Image.new("RGB", (1440, 200), GREEN)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=7.2)  # 14400 x 2000 points: 200 inches wide

    result = processing.process_page(buffer.getvalue())

    assert (result.preview.width, result.preview.height) == (2000, 278)


def test_multi_page_document_is_bundled_into_one_pdf_in_order():
    originals = [
        photo_with_orientation(6, marked_picture(), gps=True),
        encode(Image.new("RGB", (200, 300), GREEN), "PNG"),
        pdf_of(*(Image.new("RGB", (595, 842), c) for c in (BLUE, RED, GREEN))),
        heic(Image.new("RGB", (300, 200), RED)),
    ]

    with processing.process_document(originals) as document:
        bundle = document.bundle.read()
        assert document.bundle_page_count == 6
        assert document.phash == document.pages[0].phash
        assert [page.kind for page in document.pages] == [
            Kind.JPEG,
            Kind.PNG,
            Kind.PDF,
            Kind.HEIF,
        ]

    pdf = pdfium.PdfDocument(bundle)
    assert len(pdf) == 6
    seen = [pdf[i].render(scale=0.2).to_pil() for i in range(6)]
    assert near(colour_at(seen[0], 0.05, 0.05), RED)  # the photo, upright
    assert seen[0].width > seen[0].height
    expected = [GREEN, BLUE, RED, GREEN, RED]
    for image, colour in zip(seen[1:], expected, strict=True):
        assert near(colour_at(image, 0.5, 0.5), colour)
    assert b"PhoneMaker" not in bundle
    pdf.close()


def test_document_with_a_broken_page_is_refused_whole():
    with pytest.raises(ProcessingError) as caught:
        processing.process_document([receipt("000"), receipt("001")[:5000]])

    assert caught.value.code == "invalid_file"


# --- Hashes -------------------------------------------------------------------------


def test_same_receipt_saved_again_or_scaled_is_a_perceptual_match():
    scan = Image.open(io.BytesIO(receipt("000")))
    original = processing.process_page(receipt("000")).phash
    copies = [
        encode(scan, "JPEG", quality=40),
        encode(scan.resize((scan.width // 2, scan.height // 2)), "JPEG"),
        encode(scan, "PNG"),
    ]

    for copy in copies:
        assert processing.is_perceptual_match(
            original, processing.process_page(copy).phash
        )


def test_different_receipts_are_no_perceptual_match():
    hashes = [processing.process_page(receipt(n)).phash for n in ("000", "001", "003")]
    hashes.append(processing.process_page(receipt("019")).phash)

    for index, first in enumerate(hashes):
        for second in hashes[index + 1 :]:
            assert not processing.is_perceptual_match(first, second)


def test_hamming_distance_counts_differing_bits():
    assert processing.hamming_distance("00ff", "00ff") == 0
    assert processing.hamming_distance("00ff", "01fe") == 2
    assert processing.is_perceptual_match("0f", "00", max_distance=4)
    assert not processing.is_perceptual_match("0f", "00", max_distance=3)


def test_sha256_is_streamed_from_a_file(tmp_path: Path):
    path = tmp_path / "big.bin"
    data = os.urandom(3 * 1024 * 1024 + 5)
    path.write_bytes(data)

    with path.open("rb") as file:
        assert processing.sha256_and_size(file) == (
            hashlib.sha256(data).hexdigest(),
            len(data),
        )


def test_heic_orientation_is_applied_once():
    scene = marked_picture((300, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = scene.transpose(STORED_FROM_SCENE[6])
    buffer = io.BytesIO()
    pillow_heif.from_pillow(stored).save(buffer, quality=90, exif=exif.tobytes())

    result = processing.process_page(buffer.getvalue())

    shown = Image.open(io.BytesIO(result.preview.content))
    assert shown.size == (300, 200)
    assert near(colour_at(shown, 0.05, 0.05), RED)
    assert near(colour_at(shown, 0.95, 0.05), BLUE)


def test_heic_whose_container_understates_its_size_is_refused():
    data = heic(marked_picture((300, 200)))
    at = data.find(b"ispe") + 8
    lying = data[:at] + struct.pack(">II", 10, 10) + data[at + 8 :]

    assert_refused(lying, "invalid_file")


def test_multi_picture_jpeg_from_a_camera_is_processed_as_jpeg():
    first, second = marked_picture(), Image.new("RGB", (300, 200), GREEN)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    result = processing.process_page(data)

    assert result.kind == Kind.JPEG
    assert near(
        colour_at(Image.open(io.BytesIO(result.preview.content)), 0.05, 0.05), RED
    )


def test_heic_declaring_huge_dimensions_is_refused_before_decoding():
    data = heic(marked_picture((300, 200)))
    at = data.find(b"ispe") + 8
    bomb = data[:at] + struct.pack(">II", 30_000, 30_000) + data[at + 8 :]

    assert_refused(bomb, "too_large")


def test_password_protected_pdf_is_refused_with_its_reason():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("geheim", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    error = assert_refused(buffer.getvalue(), "invalid_file")

    with translation.override("en"):
        assert str(error.message) == "The PDF is protected with a password."


# --- Steps alone --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "long_edge", "fitted"),
    [
        ((8000, 6000), 2000, (2000, 1500)),
        ((3000, 4000), 320, (240, 320)),
        ((463, 1013), 2000, (463, 1013)),  # never enlarged
        ((20000, 1), 320, (320, 1)),  # never below one pixel
    ],
)
def test_fit_size_keeps_the_shape_within_the_long_edge(size, long_edge, fitted):
    assert processing.fit_size(size, long_edge) == fitted


def test_encode_jpeg_drops_whatever_the_image_carries():
    image = marked_picture()
    image.info.update(comment=b"GPS 52.37N 4.89E", exif=b"Exif\x00\x00junk")

    rendition = processing.encode_jpeg(image, quality=85)

    assert b"52.37N" not in rendition.content
    assert b"Exif" not in rendition.content
    assert image.info["comment"] == b"GPS 52.37N 4.89E"  # the caller's image unchanged
    assert (rendition.width, rendition.height) == (300, 200)


def test_to_display_mode_gives_rgb_or_grey():
    for mode in ("RGB", "RGBA", "LA", "P", "CMYK", "1", "L", "I;16"):
        shown = processing.to_display_mode(Image.new(mode, (10, 10)))
        assert shown.mode in ("RGB", "L")


def test_perceptual_hash_is_256_bits_of_hex_and_stable():
    scan = Image.open(io.BytesIO(receipt("000")))

    first = processing.perceptual_hash(scan)

    assert len(first) == 64
    int(first, 16)
    assert processing.perceptual_hash(scan.copy()) == first


def test_pdf_with_javascript_is_bundled_without_it_and_still_shows_its_page():
    from tests.hostile_files import pdf_with_javascript

    original = pdf_with_javascript()
    assert b"/AA" in original and b"/JavaScript" in original

    with processing.process_document([original]) as document:
        bundle = document.bundle.read()

    for marker in (b"/JS", b"/JavaScript", b"/AA", b"/OpenAction", b"app.alert"):
        assert marker not in bundle
    pdf = pdfium.PdfDocument(bundle)
    shown = pdf[0].render(scale=1).to_pil()
    assert shown.size == (300, 400)
    assert near(colour_at(shown, 0.3, 0.2), (0, 0, 0))  # the black bar it draws
    assert near(colour_at(shown, 0.5, 0.9), WHITE)
    pdf.close()


def test_a_turned_pdf_page_keeps_its_turn_in_the_bundle():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 400)
    writer.pages[0].rotate(90)
    buffer = io.BytesIO()
    writer.write(buffer)

    with processing.process_document([buffer.getvalue()]) as document:
        pdf = pdfium.PdfDocument(document.bundle.read())

    assert pdf[0].get_rotation() == 90
    assert tuple(round(v) for v in pdf[0].get_size()) == (400, 200)
    pdf.close()
