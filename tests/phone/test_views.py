"""The phone web app's shell, manifest, service worker and the QR codes that open it."""

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from phone.links import qr_svg
from tests.integrations.test_views import accept_terms, open_wizard
from tests.receipts.factories import mobile_user
from tests.users.factories import mobile_ready_user

pytestmark = pytest.mark.django_db

APP = "/m/"


def test_the_app_shell_opens_without_signing_in_in_the_browser(client):
    response = client.get(APP)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'accept="image/*" capture="environment"' in response.text
    assert f'href="{reverse("phone:manifest")}"' in response.text
    assert 'rel="manifest"' in response.text
    assert "csrfmiddlewaretoken" not in response.text


def test_the_app_shell_answers_only_get(client):
    assert client.post(APP).status_code == 405


def test_the_manifest_lets_the_app_be_added_to_the_home_screen(client):
    response = client.get(reverse("phone:manifest"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == APP
    assert manifest["scope"] == APP
    assert manifest["display"] == "standalone"
    assert manifest["name"] == "Visma Mobile Scanner"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


@pytest.mark.parametrize("size", [192, 512])
def test_the_manifest_icons_are_square_pngs_of_their_size(size):
    path = finders.find(f"phone/icon-{size}.png")

    with Image.open(path) as icon:
        assert icon.format == "PNG"
        assert icon.size == (size, size)


def test_the_service_worker_is_javascript_scoped_to_the_app(client):
    response = client.get(reverse("phone:service-worker"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == APP
    assert response["Cache-Control"] == "no-cache"
    assert '"/static/phone/app.js"' in response.text
    assert '"/static/phone/app.css"' in response.text
    assert "/api/" in response.text  # the API is left alone, never cached


def test_the_app_scripts_are_static_files_without_any_cdn(client):
    shell = client.get(APP).text

    assert "https://" not in shell
    assert "http://" not in shell
    for name in ("phone/app.js", "phone/app.css"):
        text = Path(finders.find(name)).read_text(encoding="utf-8")
        assert "https://" not in text


def phone_link(email: str) -> str:
    return "http://testserver/m/?email=" + quote(email, safe="")


def assert_qr_for(response, email: str) -> None:
    url = phone_link(email)
    assert f'<a href="{url}">{url}</a>' in response.text
    assert qr_svg(data=url) in response.text
    assert 'role="img" aria-label="QR-code voor de telefoon-app"' in response.text


def test_the_wizard_information_step_shows_a_qr_code_that_opens_the_app(
    client, superuser
):
    client.force_login(superuser)
    accept_terms(client, open_wizard(client))

    response = client.get(reverse("scanner-wizard-information"))

    assert response.status_code == 200
    assert_qr_for(response, superuser.email)
    assert "<svg" in response.text


def test_the_services_tab_of_a_registered_user_shows_the_qr_code(
    client, active_scanner
):
    user = mobile_user()
    client.force_login(user)

    response = client.get(reverse("user-services"))

    assert_qr_for(response, user.email)


def test_the_services_tab_of_an_unregistered_user_shows_no_qr_code(
    client, active_scanner
):
    user = mobile_ready_user()
    client.force_login(user)

    response = client.get(reverse("user-services"))

    assert "qr-code" not in response.text
    assert "/m/?email=" not in response.text


def test_registering_yourself_confirms_with_the_qr_code(client, active_scanner):
    user = mobile_ready_user()
    client.force_login(user)

    response = client.post(reverse("user-services-register"), follow=True)

    assert "is geregistreerd als mobiele gebruiker" in response.text
    assert_qr_for(response, user.email)


def test_registering_another_user_confirms_with_that_users_qr_code(
    client, superuser, active_scanner
):
    user = mobile_ready_user()
    client.force_login(superuser)

    response = client.post(reverse("user-mobile-register", args=[user.pk]), follow=True)

    assert "is geregistreerd als mobiele gebruiker" in response.text
    assert_qr_for(response, user.email)
