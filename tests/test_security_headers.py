"""What a browser gets: the policy header on every page, and cookies it keeps to
the site (HttpOnly, SameSite=Lax; Secure in production, see tests/test_settings.py)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def parse(header: str) -> dict[str, list[str]]:
    """``"a 'x' y; b z"`` → ``{"a": ["'x'", "y"], "b": ["z"]}`` (any order)."""
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/m/", "/api/v1/docs/", "/django-admin/login/"]
)
def test_every_page_carries_the_content_security_policy(url):
    response = Client().get(url)

    assert response.status_code == 200
    policy = parse(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_the_session_and_csrf_cookies_are_http_only_and_same_site(
    settings, superuser, admin_password
):
    settings.SESSION_COOKIE_SECURE = True  # as production sets it
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"]

    response = client.post(
        "/accounts/login/",
        {
            "username": superuser.email,
            "password": admin_password,
            "csrfmiddlewaretoken": csrf.value,
        },
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["secure"]
    assert session["samesite"] == "Lax"
    assert csrf["httponly"] and csrf["secure"] and csrf["samesite"] == "Lax"
