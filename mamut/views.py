from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mamut.health import broker_status, database_status


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value in ("ok", "in-process") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A path no view answers: for API clients ``{"code", "detail"}`` as JSON."""
    if _is_api(request):
        return JsonResponse(
            {"code": "not_found", "detail": str(_("Not found."))}, status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """A bug: for API clients still ``{"code", "detail"}`` as JSON."""
    if _is_api(request):
        return JsonResponse(
            {
                "code": "server_error",
                "detail": str(
                    _("Something went wrong on the server. Try again later.")
                ),
            },
            status=500,
        )
    return defaults.server_error(request)
