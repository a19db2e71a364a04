"""The application's one error type, and the DRF exception handler that renders it.

Every API error body is ``{"code": "<machine code>", "detail": "<translated text>"}``
with field errors under ``"fields"`` where relevant. Codes are part of the API;
``detail`` is in the request's language (Accept-Language, nl or en).
"""

from typing import Any

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback


class ApplicationError(Exception):
    """A rule of the application refused something; ``code`` tells the client which.

    Services raise it; views (browser or API) turn it into a message or a response.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code
        self.fields = fields
        self.headers = headers or {}


# DRF's own exceptions, by class, with the code and text our clients see.
_DRF_CODES: list[tuple[type[exceptions.APIException], str, Any]] = [
    (exceptions.NotAuthenticated, "not_authenticated", _("Sign in first.")),
    (
        exceptions.AuthenticationFailed,
        "not_authenticated",
        _("The token is missing, wrong, expired or revoked. Sign in again."),
    ),
    (
        exceptions.PermissionDenied,
        "permission_denied",
        _("You do not have access to this."),
    ),
    (exceptions.NotFound, "not_found", _("Not found.")),
    (exceptions.MethodNotAllowed, "method_not_allowed", _("Method not allowed.")),
    (
        exceptions.UnsupportedMediaType,
        "unsupported_media_type",
        _("This type of content is not supported."),
    ),
    (exceptions.ParseError, "parse_error", _("The request body could not be read.")),
    (exceptions.Throttled, "throttled", _("Too many requests. Try again later.")),
    (exceptions.ValidationError, "invalid", _("Some fields are not valid.")),
]


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Render every error as ``{"code", "detail"[, "fields"]}``."""
    if isinstance(exc, ApplicationError):
        body: dict[str, Any] = {"code": exc.code, "detail": str(exc.message)}
        if exc.fields:
            body["fields"] = exc.fields
        set_rollback()
        return Response(body, status=exc.status_code, headers=exc.headers)
    if isinstance(exc, SuspiciousOperation):
        # Django's limits on a request body (DATA_UPLOAD_MAX_*), met while parsing.
        if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
            exc = ApplicationError(
                _("The request is larger than allowed."),
                code="too_large",
                status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        else:
            exc = ApplicationError(
                _("The request could not be read."), code="bad_request"
            )
        return api_exception_handler(exc, context)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    code, detail = "error", exc.detail
    for exception_class, known_code, text in _DRF_CODES:
        if isinstance(exc, exception_class):
            code, detail = known_code, text
            break
    body = {"code": code, "detail": str(detail)}
    if isinstance(exc, exceptions.ValidationError):
        body["fields"] = (
            exc.detail
            if isinstance(exc.detail, dict)
            else {"non_field_errors": exc.detail}
        )
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
