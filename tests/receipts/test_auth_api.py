"""Phone sign-in, sign-out and /me: the mobile API's door."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from receipts.models import MobileDevice
from tests.receipts.factories import mobile_user
from tests.users.factories import PASSWORD, mobile_ready_user
from users.services import mobile_user_deactivate

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_attempt_counters():
    cache.clear()
    yield
    cache.clear()


def sign_in(email: str, password: str = PASSWORD, language: str = "nl"):
    return APIClient().post(
        TOKEN_URL,
        {"email": email, "password": password, "device_name": "Pixel 8"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_registered_user_signs_in_with_email_and_password(active_scanner):
    user = mobile_user()

    response = sign_in(user.email.upper())

    assert response.status_code == 201
    body = response.json()
    assert len(body["token"]) >= 40
    assert body["user"]["email"] == user.email
    expires = timezone.datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=89) < expires - timezone.now() <= timedelta(days=90)
    assert MobileDevice.objects.get().name == "Pixel 8"


def test_signing_in_again_clears_the_users_expired_tokens(active_scanner):
    from knox.models import AuthToken
    from knox.settings import CONSTANTS

    def stored(token: str):
        return AuthToken.objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])

    user = mobile_user()
    old = sign_in(user.email).json()["token"]
    kept = sign_in(user.email).json()["token"]
    assert stored(old).update(expiry=timezone.now() - timedelta(days=1)) == 1

    assert sign_in(user.email).status_code == 201

    assert not stored(old).exists()
    assert stored(kept).exists()
    assert bearer(kept).get("/api/v1/me/").status_code == 200
    assert bearer(old).get("/api/v1/me/").status_code == 401


def test_the_token_is_stored_only_as_a_hash(active_scanner):
    from knox.models import AuthToken

    token = sign_in(mobile_user().email).json()["token"]

    stored = AuthToken.objects.get()
    assert token not in (stored.digest, stored.token_key)
    assert stored.token_key == token[: len(stored.token_key)]


@pytest.mark.parametrize("email", ["nobody@example.com", "registered"])
def test_wrong_email_or_password_get_the_same_answer(active_scanner, email):
    user = mobile_user()
    email = user.email if email == "registered" else email

    response = sign_in(email, password="fout-wachtwoord")

    assert response.status_code == 401
    assert response.json() == {
        "code": "invalid_credentials",
        "detail": "Het e-mailadres of wachtwoord is onjuist.",
    }


def test_user_not_registered_as_mobile_user_is_refused(active_scanner):
    user = mobile_ready_user()

    response = sign_in(user.email)

    assert response.status_code == 403
    assert response.json()["code"] == "not_registered"


def test_sign_in_while_the_service_is_inactive_is_refused(active_scanner, scanner_off):
    user = mobile_user()
    scanner_off()

    response = sign_in(user.email)

    assert response.status_code == 403
    assert response.json()["code"] == "service_inactive"


def test_profile_without_scanner_access_is_refused(active_scanner):
    user = mobile_user()
    user.groups.clear()

    response = sign_in(user.email)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_too_many_failures_for_an_email_are_throttled(active_scanner, settings):
    settings.MOBILE_SIGNIN_MAX_PER_EMAIL = 3
    user = mobile_user()
    for _ in range(3):
        assert sign_in(user.email, password="fout").status_code == 401

    response = sign_in(user.email)  # even the right password waits now

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_too_many_failures_from_one_ip_are_throttled(active_scanner, settings):
    settings.MOBILE_SIGNIN_MAX_PER_IP = 3
    for n in range(3):
        sign_in(f"gok{n}@example.com", password="fout")

    response = sign_in(mobile_user().email)

    assert response.status_code == 429


def test_missing_fields_are_field_errors_in_english_when_asked(active_scanner):
    response = APIClient().post(
        TOKEN_URL, {"email": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Some fields are not valid."
    assert {"email", "password", "device_name"} <= set(body["fields"])


def test_sign_out_revokes_only_the_calling_token(active_scanner):
    user = mobile_user()
    first = sign_in(user.email).json()["token"]
    second = sign_in(user.email).json()["token"]

    assert bearer(first).delete(TOKEN_URL).status_code == 204

    assert bearer(first).get("/api/v1/me/").status_code == 401
    assert bearer(second).get("/api/v1/me/").status_code == 200


def test_me_tells_who_the_phone_belongs_to(active_scanner):
    from users.models import Company

    Company.objects.create(name="Bakkerij De Korenbloem B.V.")
    user = mobile_user(first_name="Anna", last_name="de Vries")
    token = sign_in(user.email).json()["token"]

    body = bearer(token).get("/api/v1/me/").json()

    assert body["user"]["name"] == "Anna de Vries"
    assert body["employee"]["name"] == user.employee.name
    assert body["company"] == "Bakkerij De Korenbloem B.V."
    assert body["service_active"] is True
    assert "use_mobile_scanner" in body["functions"]


def test_deactivated_mobile_user_gets_401_on_the_next_call(active_scanner, superuser):
    user = mobile_user()
    token = sign_in(user.email).json()["token"]

    mobile_user_deactivate(actor=superuser, user=user)

    response = bearer(token).get("/api/v1/receipts/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_reactivated_service_lets_registered_users_continue(
    active_scanner, scanner_off, scanner_on
):
    user = mobile_user()
    token = sign_in(user.email).json()["token"]
    scanner_off()
    assert bearer(token).get("/api/v1/me/").status_code == 403

    scanner_on()

    assert bearer(token).get("/api/v1/me/").status_code == 200
