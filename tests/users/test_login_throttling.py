"""Sign-in throttling (django-axes) on the web sign-in page and the phone API.

Too many failures for one e-mail address, or from one IP address, lock that address
out: the browser gets the sign-in page with the reason in its language, the API 429
``throttled`` with Retry-After. A successful sign-in resets the count.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from tests.receipts.factories import mobile_user
from tests.users.factories import PASSWORD
from users.models import User

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_MAX_FAILURES_PER_EMAIL = 3
    settings.LOGIN_MAX_FAILURES_PER_IP = 5
    # The API's own cache counters stay out of the way: axes is what is tested here.
    settings.MOBILE_SIGNIN_MAX_PER_EMAIL = 100
    settings.MOBILE_SIGNIN_MAX_PER_IP = 100
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def piet(db) -> User:
    return User.objects.create_user("piet@example.com", PASSWORD)


def web_sign_in(
    email: str,
    password: str,
    *,
    ip: str = "10.0.0.1",
    language: str = "nl",
    client: Client | None = None,
):
    client = client or Client()
    return client.post(
        LOGIN_URL,
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def api_sign_in(email: str, password: str, *, ip: str = "10.0.0.1"):
    return APIClient().post(
        TOKEN_URL,
        {"email": email, "password": password, "device_name": "Pixel 8"},
        format="json",
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_failures_below_the_limit_get_the_ordinary_refusal(piet):
    for _ in range(2):
        response = web_sign_in(piet.email, "fout")
        assert response.status_code == 200
        assert "Het e-mailadres of wachtwoord is onjuist" in response.text


def test_too_many_failures_for_an_email_lock_it_out_with_a_dutch_message(piet):
    for _ in range(2):
        web_sign_in(piet.email, "fout")

    response = web_sign_in("PIET@example.com", "fout")  # any case counts as one

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    assert "Te veel mislukte inlogpogingen" in response.text
    assert "15 minuten" in response.text
    assert '<form method="post"' in response.text  # the sign-in page, not a bare 403
    # Locked out: even the right password does not sign in, from anywhere.
    client = Client()
    response = web_sign_in(piet.email, PASSWORD, ip="10.9.9.9", client=client)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_english_for_an_english_browser(piet):
    for _ in range(3):
        response = web_sign_in(piet.email, "wrong", language="en")

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.text
    assert "15 minutes" in response.text


def test_other_addresses_still_sign_in_while_one_is_locked_out(piet):
    for _ in range(3):
        web_sign_in(piet.email, "fout", ip="10.0.0.7")
    User.objects.create_user("anna@example.com", PASSWORD)

    response = web_sign_in("anna@example.com", PASSWORD, ip="10.0.0.8")

    assert response.status_code == 302


def test_too_many_failures_from_one_ip_lock_that_ip_out(piet):
    for n in range(5):
        web_sign_in(f"gok{n}@example.com", "fout", ip="10.0.0.66")

    from_there = web_sign_in(piet.email, PASSWORD, ip="10.0.0.66")
    from_elsewhere = web_sign_in(piet.email, PASSWORD, ip="10.0.0.67")

    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


def test_a_successful_sign_in_resets_the_count(piet):
    for _ in range(2):
        web_sign_in(piet.email, "fout")
    assert web_sign_in(piet.email, PASSWORD).status_code == 302

    for _ in range(2):
        assert web_sign_in(piet.email, "fout").status_code == 200

    assert web_sign_in(piet.email, PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_failures_on_another(piet):
    User.objects.create_user("mallory@example.com", PASSWORD)
    for _ in range(2):
        web_sign_in(piet.email, "fout", ip="10.0.0.9")
    assert web_sign_in("mallory@example.com", PASSWORD, ip="10.0.0.9").status_code == (
        302
    )

    assert web_sign_in(piet.email, "fout", ip="10.0.0.9").status_code == 429


def test_a_trusted_proxy_count_takes_the_client_address_from_x_forwarded_for(
    piet, settings
):
    settings.LOGIN_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        Client().post(
            LOGIN_URL,
            {"username": f"gok{n}@example.com", "password": "fout"},
            REMOTE_ADDR="192.168.1.1",  # the proxy
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5",  # spoofed, then real
        )

    blocked = Client().post(
        LOGIN_URL,
        {"username": piet.email, "password": PASSWORD},
        REMOTE_ADDR="192.168.1.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    other_client = Client().post(
        LOGIN_URL,
        {"username": piet.email, "password": PASSWORD},
        REMOTE_ADDR="192.168.1.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7",
    )

    assert blocked.status_code == 429
    assert other_client.status_code == 302


def test_api_failures_lock_the_address_out_with_429_throttled(active_scanner):
    user = mobile_user()
    for _ in range(2):
        response = api_sign_in(user.email, "fout")
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"

    response = api_sign_in(user.email, "fout")

    assert response.status_code == 429
    assert response.json() == {
        "code": "throttled",
        "detail": "Too many failed attempts. Try again in a few minutes.",
    }
    assert int(response["Retry-After"]) == 15 * 60
    assert api_sign_in(user.email, PASSWORD, ip="10.0.0.2").status_code == 429


def test_behind_a_trusted_proxy_the_api_counts_each_phones_own_address(
    active_scanner, settings
):
    settings.LOGIN_TRUSTED_PROXY_COUNT = 1
    settings.MOBILE_SIGNIN_MAX_PER_IP = 3
    user = mobile_user()

    def through_proxy(email: str, password: str, phone_ip: str):
        return APIClient().post(
            TOKEN_URL,
            {"email": email, "password": password, "device_name": "Pixel 8"},
            format="json",
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=phone_ip,
        )

    for n in range(4):  # strangers guessing, one try each from their own address
        assert (
            through_proxy(f"gok{n}@example.com", "fout", f"198.51.100.{n}").status_code
            == 401
        )

    assert through_proxy(user.email, PASSWORD, "203.0.113.9").status_code == 201
    for _ in range(3):
        through_proxy("gok@example.com", "fout", "198.51.100.99")
    assert through_proxy(user.email, PASSWORD, "198.51.100.99").status_code == 429


def test_guessing_cannot_move_from_the_api_to_the_web_page(active_scanner):
    user = mobile_user()
    for _ in range(3):
        api_sign_in(user.email, "fout")

    response = web_sign_in(user.email, PASSWORD)

    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.text


def test_a_successful_api_sign_in_resets_the_count(active_scanner):
    user = mobile_user()
    for _ in range(2):
        api_sign_in(user.email, "fout")
    assert api_sign_in(user.email, PASSWORD).status_code == 201

    for _ in range(2):
        assert api_sign_in(user.email, "fout").status_code == 401
