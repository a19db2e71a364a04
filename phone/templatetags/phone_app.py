from django import template
from django.http import HttpRequest
from django.utils.safestring import mark_safe

from phone.links import phone_app_path, qr_svg

register = template.Library()


@register.inclusion_tag("phone/_qr.html", takes_context=True)
def phone_app_qr(context: template.Context, email: str = "") -> dict:
    """The QR code and plain link that open the phone web app for ``email``."""
    request: HttpRequest = context["request"]
    url = request.build_absolute_uri(phone_app_path(email=email))
    return {
        "url": url,
        "svg": mark_safe(qr_svg(data=url)),  # noqa: S308 (segno's own SVG)
    }
