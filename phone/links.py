"""The link and QR code that open the phone web app with the e-mail address filled in.

Pure functions: no database, no request state beyond the absolute URL given.
"""

from urllib.parse import urlencode

import segno
from django.urls import reverse


def phone_app_path(*, email: str = "") -> str:
    """``/m/`` with ``?email=`` when an address is given (it prefills the sign-in)."""
    path = reverse("phone:app")
    return f"{path}?{urlencode({'email': email})}" if email else path


def qr_svg(*, data: str, title: str = "") -> str:
    """An inline SVG QR code for ``data`` (no XML declaration, scalable)."""
    code = segno.make(data, error="m", micro=False)
    return code.svg_inline(
        scale=4,
        border=2,
        dark="#143a6b",
        light="#ffffff",
        title=title or None,
        svgclass="qr-code",
        omitsize=True,
    )
