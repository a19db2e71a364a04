"""Who may call a browser view, per HTTP method, declared on the view itself.

``@allow(GET=SIGNED_IN, POST=SUPERUSER)`` answers 405 to every other method and 403 to
a signed-in user without the right; the login middleware already sends anonymous
callers to the sign-in page. A rule is ``SIGNED_IN``, ``SUPERUSER`` or a permission
such as ``ScannerFunction.REGISTER_MOBILE_USERS`` (the superuser has every one).
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

SIGNED_IN = "signed-in"
SUPERUSER = "superuser"


def user_may(user, rule: str) -> bool:
    if not user.is_authenticated:
        return False
    if rule == SIGNED_IN:
        return True
    if rule == SUPERUSER:
        return user.is_active and user.is_superuser
    return user.has_perm(rule)


def allow(**rules: str) -> Callable:
    if "GET" in rules:
        rules.setdefault("HEAD", rules["GET"])

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            rule = rules.get(request.method or "")
            if rule is None:
                return HttpResponseNotAllowed(sorted(rules))
            if not user_may(request.user, rule):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rules = dict(rules)
        return wrapped

    return decorator
