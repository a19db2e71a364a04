"""Decide a page's file type from its first bytes, never from its name."""

from django.utils.translation import gettext as _

from mamut.errors import ApplicationError

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def sniff_file_type(head: bytes) -> str:
    """``jpg``, ``png``, ``heic`` or ``pdf`` from the first bytes of a file.

    Only a quick look at the magic numbers: the full, safe decode happens in
    processing. Empty → 400 ``invalid_file``; anything else → 415.
    """
    if not head:
        raise ApplicationError(_("The file is empty."), code="invalid_file")
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heic"
    raise ApplicationError(
        _("Only JPEG, PNG, HEIC/HEIF and PDF files are accepted."),
        code="unsupported_media_type",
        status_code=415,
    )
