"""Phone tokens: django-rest-knox, ``Authorization: Bearer <token>``."""

import binascii
from datetime import timedelta
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from receipts.models import MobileDevice

LAST_USED_RESOLUTION = timedelta(minutes=1)


class PhoneTokenAuthentication(TokenAuthentication):
    """Knox token authentication that also records when each phone was last used.

    Knox's own lookup reads every token of the user on every request (to delete the
    expired ones) and the phone's "last used" was one more statement; here the token,
    its user and its phone come in one query, and only a stale "last used" or a due
    renewal writes (README, Performance). Expired tokens of other phones are deleted
    when the user signs in again (``phone_sign_in``); an expired token is refused and
    deleted as knox does.
    """

    def authenticate_credentials(self, token: bytes):
        msg = _("Invalid token.")
        try:
            token = token.decode("utf-8")
        except UnicodeDecodeError:
            # Knox decodes it unguarded: a header that is not UTF-8 is no token.
            raise exceptions.AuthenticationFailed() from None
        now = timezone.now()
        candidates = AuthToken.objects.filter(
            token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user", "device")
        for auth_token in candidates:
            if auth_token.expiry is not None and auth_token.expiry < now:
                username = auth_token.user.get_username()
                auth_token.delete()
                token_expired.send(
                    sender=self.__class__, username=username, source="auth_token"
                )
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(msg) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                _touch_device(auth_token, now)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)


def _touch_device(auth_token: AuthToken, now) -> None:
    """Record that the phone was used, at most once per ``LAST_USED_RESOLUTION``."""
    try:
        device = auth_token.device
    except MobileDevice.DoesNotExist:  # a token made without sign-in (tests, shell)
        return
    if device.last_used_at >= now - LAST_USED_RESOLUTION:
        return
    MobileDevice.objects.filter(
        pk=device.pk, last_used_at__lt=now - LAST_USED_RESOLUTION
    ).update(last_used_at=now)
    device.last_used_at = now


class PhoneTokenScheme(OpenApiAuthenticationExtension):
    """Describes the phone token in the OpenAPI schema."""

    target_class = PhoneTokenAuthentication
    name = "PhoneToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106 (the scheme name)
        )
