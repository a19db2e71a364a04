"""Sign-in throttling with django-axes: who is counted, how, and what a locked-out
caller sees.

Every sign-in goes through ``authenticate()`` and so through axes: the web sign-in
page, the Django admin and the phone API (``POST /api/v1/auth/token/``). Failures are
counted per e-mail address (``LOGIN_MAX_FAILURES_PER_EMAIL``) and per IP address
(``LOGIN_MAX_FAILURES_PER_IP``); either limit locks that address out for
``LOGIN_LOCKOUT_MINUTES``, even with the right password. A successful sign-in resets
the count of its e-mail address. A locked-out browser gets the sign-in page with the
reason (429); the API answers 429 ``throttled`` with ``Retry-After``, as its own
attempt counters do (receipts.services).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from users.forms import EmailAuthenticationForm


def attempted_email(request: HttpRequest, credentials: dict | None) -> str | None:
    """The e-mail address tried, lower-cased, so ``Piet@…`` and ``piet@…`` count as
    one address (the sign-in itself ignores case)."""
    credentials = credentials or {}
    email = credentials.get("username") or credentials.get("email")
    if email is None and request is not None:
        email = request.POST.get("username")
    if not email:
        return None
    return str(email).strip().lower()[:254]


class SignInAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per e-mail address and another per IP.

    Axes compares one number with one limit (``AXES_FAILURE_LIMIT``, the e-mail
    limit); this handler reports the e-mail address's failures, or the limit itself
    once the IP address reached its own (higher) limit.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_email, by_ip = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_ip >= settings.LOGIN_MAX_FAILURES_PER_IP:
            return max(by_email, settings.AXES_FAILURE_LIMIT)
        return by_email

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """On a successful sign-in reset the e-mail address's failures only: signing
        in to one's own account must not wipe an IP's failures on other accounts."""
        email = attempted_email(request, credentials)
        if not email:
            return 0
        return self.reset_attempts(username=email)


def sign_in_succeeded(request: HttpRequest, *, email: str) -> None:
    """Reset the address's failures after a sign-in that does not go through
    ``login()`` (the phone API hands out a token instead of a session)."""
    if request is None:
        return
    AxesProxyHandler.get_implementation().reset_user_attempts(
        request, {"username": email}
    )


def lockout_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = max(1, lockout_seconds() // 60)
    return _(
        "Too many failed sign-in attempts. For your security, signing in is blocked "
        "for %(minutes)d minutes. Try again later or ask your administrator."
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """What a locked-out caller gets: 429 ``throttled`` from the API, else the sign-in
    page again with the reason (never a bare error page)."""
    retry_after = str(lockout_seconds())
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {
                "code": "throttled",
                "detail": _("Too many failed attempts. Try again in a few minutes."),
            },
            status=429,
        )
    else:
        form = EmailAuthenticationForm(
            request, initial={"username": attempted_email(request, credentials)}
        )
        response = render(
            request,
            "registration/login.html",
            {
                "form": form,
                "locked_out": lockout_message(),
                "next": request.POST.get("next") or request.GET.get("next", ""),
            },
            status=429,
        )
    response["Retry-After"] = retry_after
    return response
