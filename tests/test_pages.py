"""Sign-in, sign-out, the navigation and the language, through Django's test client."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MENU_PAGES = [
    "home",
    "voucher-entry",
    "company-settings",
    "user-settings",
    "user-administration",
    "access-profiles",
]


@pytest.mark.parametrize("name", MENU_PAGES)
def test_every_page_but_login_requires_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_pages_declare_an_icon_that_is_served(client):
    """Without one the browser asks /favicon.ico, a 404 on every visit."""
    text = client.get(reverse("login")).text

    icon = re.search(r'<link rel="icon" href="([^"]+)"', text)
    assert icon, "no <link rel=icon>"
    response = client.get(icon.group(1))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_login_page_is_dutch_by_default(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    assert 'lang="nl"' in response.text
    assert "E-mailadres" in response.text
    assert "Wachtwoord" in response.text
    assert "Inloggen" in response.text


def test_login_page_follows_accept_language_english(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-GB,en"})

    assert "Email address" in response.text
    assert "Password" in response.text


def test_language_switch_sticks_for_the_session(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("login"))

    assert "Email address" in response.text


def test_sign_in_with_email_and_password_opens_the_start_page(
    client, superuser, admin_password
):
    response = client.post(
        reverse("login"),
        {"username": "ADMIN@example.com", "password": admin_password},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == superuser


def test_wrong_password_shows_a_dutch_error_and_stays_on_login(client, superuser):
    response = client.post(
        reverse("login"), {"username": "admin@example.com", "password": "nope"}
    )

    assert response.status_code == 200
    assert "Het e-mailadres of wachtwoord is onjuist" in response.text
    assert not response.context["user"].is_authenticated


def test_sign_out_is_a_post_and_ends_the_session(client, superuser):
    client.force_login(superuser)

    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))

    assert client.get(reverse("home")).status_code == 302


# These pages need a function or the superuser (tests/users/test_permissions.py,
# tests/receipts/test_panel_permissions.py).
RESTRICTED_PAGES = ["voucher-entry", "user-administration", "access-profiles"]


@pytest.mark.parametrize("name", MENU_PAGES)
def test_every_menu_page_answers_for_the_superuser(client, superuser, name):
    client.force_login(superuser)

    response = client.get(reverse(name))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "name", [name for name in MENU_PAGES if name not in RESTRICTED_PAGES]
)
def test_every_other_menu_page_answers_for_a_signed_in_user(client, plain_user, name):
    client.force_login(plain_user)

    response = client.get(reverse(name))

    assert response.status_code == 200


@pytest.mark.parametrize("name", RESTRICTED_PAGES)
def test_restricted_pages_tell_a_plain_user_he_has_no_access(client, plain_user, name):
    client.force_login(plain_user)

    response = client.get(reverse(name))

    assert response.status_code == 403
    assert "Geen toegang" in response.text


def test_navigation_shows_the_mamut_menu_in_dutch(client, superuser):
    client.force_login(superuser)

    text = client.get(reverse("home")).text

    for label in [
        "Beheer",
        "Instellingen",
        "Administratie",
        "Gebruiker",
        "Beveiliging",
        "Gebruikersadministratie",
        "Toegangsprofielen",
        "Inboeken",
    ]:
        assert f">{label}<" in text, label


def test_menu_shows_a_plain_user_only_what_he_may_open(client, plain_user):
    client.force_login(plain_user)

    text = client.get(reverse("home")).text

    assert ">Gebruiker<" in text
    for label in [
        "Inboeken",
        "Beveiliging",
        "Gebruikersadministratie",
        "Toegangsprofielen",
    ]:
        assert f">{label}<" not in text, label


def test_company_page_shows_the_company_name(client, plain_user):
    from users.models import Company

    Company.objects.create(name="Bakkerij Test B.V.")
    client.force_login(plain_user)

    assert "Bakkerij Test B.V." in client.get(reverse("company-settings")).text
