"""The phone web app: its shell, manifest and service worker, open to anonymous callers.

Everything the app does after loading goes through the public mobile API (/api/v1/)
with the token the phone keeps; these views hand out only static content.
"""

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

ICON_SIZES = (192, 512)
ASSETS = ("phone/app.css", "phone/app.js", "phone/icon-192.png")


def _assets() -> list[str]:
    return [static(name) for name in ASSETS]


@require_GET
def app_shell(request: HttpRequest) -> HttpResponse:
    """``/m/``: the single page; ``?email=`` prefills the sign-in (read by the app)."""
    response = render(
        request,
        "phone/app.html",
        {
            "api_root": "/api/v1/",
            "manifest_url": reverse("phone:manifest"),
            "service_worker_url": reverse("phone:service-worker"),
        },
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the app can be added to the home screen with its icon."""
    app = reverse("phone:app")
    data = {
        "name": "Visma Mobile Scanner",
        "short_name": "Scanner",
        "lang": "nl",
        "start_url": app,
        "scope": app,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#1d4f91",
        "icons": [
            {
                "src": static(f"phone/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from ``/m/`` so that its scope is the app."""
    assets = _assets()
    shell = reverse("phone:app")
    version = hashlib.sha256("\n".join([shell, *assets]).encode()).hexdigest()[:12]
    response = render(
        request,
        "phone/sw.js",
        {"shell": shell, "assets": assets, "version": version},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = shell
    response["Cache-Control"] = "no-cache"
    return response
