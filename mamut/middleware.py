from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.middleware import (
    LoginRequiredMiddleware as DjangoLoginRequiredMiddleware,
)
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's login requirement, except for paths that authenticate on their own.

    The API authenticates with tokens and answers 401 itself; the phone web app, the
    health check and static files must answer anonymous callers.

    An htmx request (the attachments panel's poll) gets no 302: htmx would follow it
    and paste the sign-in page where the panel was. It gets ``HX-Redirect`` to the
    sign-in page instead, with ``next`` the page the browser shows (``HX-Current-URL``),
    and htmx sends the whole page there.
    """

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.path_info.startswith(tuple(settings.LOGIN_EXEMPT_PATH_PREFIXES)):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:
        if request.headers.get("HX-Request") != "true":
            return super().handle_no_permission(request, view_func)
        login = redirect_to_login(
            _current_page(request),
            resolve_url(self.get_login_url(view_func)),
            self.get_redirect_field_name(view_func),
        )
        response = HttpResponse(status=200)
        response["HX-Redirect"] = login["Location"]
        return response


def _current_page(request: HttpRequest) -> str:
    """The path (and query) of the page the browser shows, if it is ours; else "/"."""
    current = request.headers.get("HX-Current-URL", "")
    if not url_has_allowed_host_and_scheme(
        current,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return "/"
    parts = urlsplit(current)
    return parts.path + (f"?{parts.query}" if parts.query else "") or "/"
