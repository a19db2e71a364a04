"""Phone tokens: django-rest-knox, ``Authorization: Bearer <token>``."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from receipts.models import MobileDevice

LAST_USED_RESOLUTION = timedelta(minutes=1)


class PhoneTokenAuthentication(TokenAuthentication):
    """Knox token authentication that also records when each phone was last used."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            # Knox decodes it unguarded: a header that is not UTF-8 is no token.
            raise exceptions.AuthenticationFailed() from None
        user, auth_token = super().authenticate_credentials(token)
        now = timezone.now()
        MobileDevice.objects.filter(
            token=auth_token, last_used_at__lt=now - LAST_USED_RESOLUTION
        ).update(last_used_at=now)
        return user, auth_token


class PhoneTokenScheme(OpenApiAuthenticationExtension):
    """Describes the phone token in the OpenAPI schema."""

    target_class = PhoneTokenAuthentication
    name = "PhoneToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106 (the scheme name)
        )
