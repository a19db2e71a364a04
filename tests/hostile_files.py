"""A corpus of hostile files, made here (never committed): what an upload may be.

Each entry is what the file is and what must become of it: refused at the upload with
a 4xx and a code, or received and then ``failed`` with a code, or, for a good picture
wrapped in nonsense the app can drop (broken EXIF), ``ready`` without it.
"""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import Image

RECEIPTS = Path(__file__).resolve().parent / "data" / "receipts"


@dataclass(frozen=True)
class Hostile:
    name: str
    data: bytes
    #: The upload's status code: 201, or the 4xx it is refused with.
    status: int
    #: The code of the refusal, or of the failure after processing; "" if ready.
    code: str = ""

    @property
    def refused(self) -> bool:
        return self.status != 201

    @property
    def outcome(self) -> str:
        return "refused" if self.refused else ("failed" if self.code else "ready")


def receipt(name: str = "sroie-000.jpg") -> bytes:
    return (RECEIPTS / name).read_bytes()


def encode(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def picture(size: tuple[int, int] = (300, 200)) -> Image.Image:
    image = Image.new("RGB", size, (255, 255, 255))
    image.paste((230, 20, 20), (0, 0, size[0] // 4, size[1] // 4))
    return image


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny valid PNG that declares ``width`` x ``height`` grey pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def png_bomb(side: int = 9000) -> bytes:
    """A real one: ``side`` x ``side`` black 1-bit pixels, every row present, that
    compress to a few KB (81 MP at the default side, past the 64 MP limit)."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def gif_bomb() -> bytes:
    """A GIF declaring 65535 x 65535 pixels, a few bytes of image data."""
    screen = struct.pack("<HHBBB", 65535, 65535, 0x80, 0, 0)
    palette = b"\x00\x00\x00\xff\xff\xff"
    descriptor = b"\x2c" + struct.pack("<HHHHB", 0, 0, 65535, 65535, 0)
    data = b"\x02\x02\x4c\x01\x00"  # a minimal LZW stream
    return b"GIF89a" + screen + palette + descriptor + data + b"\x3b"


def tiff_bomb() -> bytes:
    """A little-endian TIFF declaring 100000 x 100000 grey pixels in one strip."""
    entries = [
        (256, 4, 1, 100_000),  # ImageWidth, LONG
        (257, 4, 1, 100_000),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # no compression
        (262, 3, 1, 1),  # BlackIsZero
        (273, 4, 1, 8 + 2 + 12 * 9 + 4),  # StripOffsets: after the IFD
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, 100_000),  # RowsPerStrip
        (279, 4, 1, 10_000_000_000 % 2**32),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00" * 4 + b"\x00" * 64


def heic(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(image).save(buffer, quality=60)
    return buffer.getvalue()


def heic_bomb() -> bytes:
    """A real HEIC whose container declares 60000 x 60000 pixels."""
    data = heic(picture())
    at = data.find(b"ispe") + 8
    return data[:at] + struct.pack(">II", 60_000, 60_000) + data[at + 8 :]


def jpeg_with_app1(payload: bytes) -> bytes:
    """A good JPEG with ``payload`` as its (first) APP1 segment, after SOI."""
    good = encode(picture(), "JPEG", quality=80)
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return good[:2] + segment + good[2:]


def exif_huge_tag() -> bytes:
    """EXIF with a 60 KB ImageDescription and a 4 KB maker's name."""
    exif = Image.Exif()
    exif[0x010E] = "A" * 60_000
    exif[0x010F] = "B" * 4000
    exif[0x0112] = 6
    return encode(picture(), "JPEG", quality=80, exif=exif)


def exif_malformed() -> bytes:
    """EXIF whose IFD claims 65535 entries, offsets past its end and an orientation
    stored as text."""
    tiff = b"II*\x00" + struct.pack("<I", 8)
    ifd = struct.pack("<H", 0xFFFF)
    ifd += struct.pack("<HHII", 0x0112, 2, 4, 0x7FFFFFF0)  # orientation as ASCII
    ifd += struct.pack("<HHII", 0x8769, 4, 1, 0xFFFFFFF0)  # Exif IFD far away
    ifd += struct.pack("<HHII", 0x010E, 2, 0xFFFFFFFF, 0x10)  # 4 GB of text
    return jpeg_with_app1(b"Exif\x00\x00" + tiff + ifd)


def exif_looping() -> bytes:
    """EXIF whose next-IFD pointer points at itself."""
    tiff = b"II*\x00" + struct.pack("<I", 8)
    ifd = struct.pack("<H", 1) + struct.pack("<HHII", 0x0112, 3, 1, 3)
    ifd += struct.pack("<I", 8)  # the next IFD is this one again
    return jpeg_with_app1(b"Exif\x00\x00" + tiff + ifd)


def zip_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("receipt.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalog) with a correct
    cross-reference table."""
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return out


def pdf_with_javascript() -> bytes:
    """A one-page PDF that runs JavaScript when opened (/OpenAction) and from the
    page (/AA)."""
    stream = b"0 0 0 rg 20 300 200 50 re f"
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R"
            b" /Names << /JavaScript << /Names [(x) 4 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400]"
            b" /AA << /O 4 0 R >> /Contents 5 0 R >>",
            b"<< /S /JavaScript /JS (app.alert\\('pwned'\\);"
            b" this.exportDataObject\\({}\\)) >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )


def pdf_with_a_broken_second_page() -> bytes:
    """Page 1 renders; page 2 of the page tree is not a page at all (a number)."""
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 2 /Kids [3 0 R 4 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] >>",
            b"42",
        ]
    )


def corpus(max_file_bytes: int) -> list[Hostile]:
    good = receipt("sroie-003.jpg")
    return [
        Hostile("truncated jpeg, header only", good[:600], 201, "invalid_file"),
        Hostile("truncated jpeg, half", good[: len(good) // 2], 201, "invalid_file"),
        Hostile("truncated jpeg, 5 KB", good[:5000], 201, "invalid_file"),
        Hostile("png bomb, 81 MP of zeros", png_bomb(), 201, "too_large"),
        Hostile(
            "png declaring 60000 x 60000",
            png_declaring(60_000, 60_000),
            201,
            "too_large",
        ),
        Hostile("gif bomb", gif_bomb(), 415, "unsupported_media_type"),
        Hostile("tiff bomb", tiff_bomb(), 415, "unsupported_media_type"),
        Hostile("heic bomb", heic_bomb(), 201, "too_large"),
        Hostile("exif with huge tags", exif_huge_tag(), 201),
        Hostile("exif malformed", exif_malformed(), 201),
        Hostile("exif looping", exif_looping(), 201),
        Hostile(
            "svg renamed .jpg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
            b'onload="alert(1)"><script>alert(2)</script></svg>',
            415,
            "unsupported_media_type",
        ),
        Hostile(
            "html renamed .jpg",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            415,
            "unsupported_media_type",
        ),
        Hostile("zip", zip_file(), 415, "unsupported_media_type"),
        Hostile("pdf with javascript", pdf_with_javascript(), 201),
        Hostile(
            "pdf whose second page is broken",
            pdf_with_a_broken_second_page(),
            201,
            "invalid_file",
        ),
        Hostile("0 bytes", b"", 400, "invalid"),
        Hostile("1 byte", b"\xff", 415, "unsupported_media_type"),
        Hostile(
            "over the size limit",
            good + b"\x00" * (max_file_bytes + 1 - len(good)),
            413,
            "too_large",
        ),
    ]
