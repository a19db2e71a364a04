"""Gebruiker → Diensten: one's phones, each signed out on its own."""

import io

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from receipts.models import Document, MobileDevice
from receipts.services import IncomingPage, document_receive
from tests.receipts.factories import jpeg_bytes, mobile_user
from users.services import mobile_user_deactivate

pytestmark = pytest.mark.django_db


def phone(user, name: str) -> tuple[MobileDevice, str]:
    instance, token = AuthToken.objects.create(user)
    return MobileDevice.objects.create(token=instance, name=name), token


def test_services_tab_lists_ones_phones(client, active_scanner):
    user = mobile_user()
    phone(user, "Pixel van Anna")
    phone(mobile_user(), "iPhone van Bram")
    client.force_login(user)

    page = client.get(reverse("user-services")).text

    assert "Pixel van Anna" in page
    assert "iPhone van Bram" not in page


def test_signing_out_one_phone_asks_first_then_revokes_only_that_one(
    client, active_scanner
):
    user = mobile_user()
    pixel, pixel_token = phone(user, "Pixel")
    _tablet, tablet_token = phone(user, "Tablet")
    client.force_login(user)
    url = reverse("user-services-phone-revoke", args=[pixel.pk])

    confirm = client.get(url)
    assert "Bevestigen" in confirm.text
    assert MobileDevice.objects.count() == 2  # asking changes nothing

    response = client.post(url, follow=True)

    assert "is afgemeld" in response.text
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pixel_token}")
    assert api.get("/api/v1/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tablet_token}")
    assert api.get("/api/v1/me/").status_code == 200


def test_nobody_signs_out_someone_elses_phone(client, active_scanner):
    owner = mobile_user()
    device, _token = phone(owner, "Pixel")
    client.force_login(mobile_user())

    response = client.post(
        reverse("user-services-phone-revoke", args=[device.pk]), follow=True
    )

    assert "niet meer aangemeld" in response.text
    assert MobileDevice.objects.filter(pk=device.pk).exists()


def test_deactivating_keeps_the_documents_the_user_sent(active_scanner, superuser):
    user = mobile_user()
    data = jpeg_bytes()
    document = document_receive(
        user=user, kind="receipt", pages=[IncomingPage(io.BytesIO(data), len(data))]
    )
    phone(user, "Pixel")

    mobile_user_deactivate(actor=superuser, user=user)

    assert Document.objects.filter(pk=document.pk, deleted_at__isnull=True).exists()
    assert not MobileDevice.objects.exists()


def answers(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/api/v1/me/").status_code


def test_a_new_password_from_the_user_page_signs_his_phones_out(
    active_scanner, superuser
):
    from users.services import user_save

    user = mobile_user()
    _pixel, token = phone(user, "Pixel")
    _other, other_token = phone(mobile_user(), "iPhone")
    assert answers(token) == 200

    user_save(actor=superuser, user=user, email=user.email, password="Nieuw-Geheim-42")

    assert answers(token) == 401
    assert answers(other_token) == 200


def test_saving_the_user_without_a_new_password_keeps_his_phones(active_scanner):
    user = mobile_user()
    _pixel, token = phone(user, "Pixel")

    user.first_name = "Anna"
    user.save()
    Client().force_login(user)  # last_login is saved on every sign-in

    assert answers(token) == 200


def test_a_new_password_from_the_django_admin_signs_his_phones_out(
    client, active_scanner, superuser
):
    user = mobile_user()
    _pixel, token = phone(user, "Pixel")
    client.force_login(superuser)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {
            "password1": "Nieuw-Geheim-42",
            "password2": "Nieuw-Geheim-42",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    assert answers(token) == 401


def test_a_stronger_hash_of_the_same_password_keeps_his_phones(
    active_scanner, settings
):
    # Django stores the password again with the preferred hasher when it checks one
    # made with an older hasher (or fewer rounds): the password itself is unchanged.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    user = mobile_user()
    user.password = make_password("Geheim-42", hasher="md5")
    user.save()
    _pixel, token = phone(user, "Pixel")

    assert user.check_password("Geheim-42")

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert answers(token) == 200
