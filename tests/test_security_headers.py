"""What a browser gets: the policy header on every page, and cookies it keeps to
the site (HttpOnly, SameSite=Lax; Secure in production, see tests/test_settings.py)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/m/", "/api/v1/docs/", "/django-admin/login/"]
)
def test_every_page_carries_the_content_security_policy(url):
    response = Client().get(url)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
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
