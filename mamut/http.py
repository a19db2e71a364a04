"""What a request says about its caller, read the same way everywhere."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or with ``LOGIN_TRUSTED_PROXY_COUNT`` proxies
    in front, the address the outermost trusted proxy saw (X-Forwarded-For)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.LOGIN_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # Each trusted proxy appended the address it saw; anything further left was sent
    # by the client and cannot be trusted.
    if len(forwarded) >= count:
        return forwarded[-count]
    return forwarded[0] if forwarded else remote
