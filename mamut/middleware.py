from django.conf import settings
from django.contrib.auth.middleware import (
    LoginRequiredMiddleware as DjangoLoginRequiredMiddleware,
)
from django.http import HttpRequest


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's login requirement, except for paths that authenticate on their own.

    The API authenticates with tokens and answers 401 itself; the phone web app, the
    health check and static files must answer anonymous callers.
    """

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.path_info.startswith(tuple(settings.LOGIN_EXEMPT_PATH_PREFIXES)):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
