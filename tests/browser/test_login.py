"""Signing in as a person does, in Debian's Chromium, in Dutch and in English."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_superuser_signs_in_in_dutch_and_sees_the_menu(
    page, live_server, superuser, admin_password
):
    page.goto(live_server.url + "/")

    assert page.get_by_role("heading", name="Inloggen").is_visible()
    page.get_by_label("E-mailadres").fill("admin@example.com")
    page.get_by_label("Wachtwoord").fill(admin_password)
    page.screenshot(path=str(page.artefacts) + "-login.png")
    page.get_by_role("button", name="Inloggen").click()

    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_text("Beheer", exact=True).click()
    menu.get_by_role("link", name="Gebruikersadministratie").click()
    assert page.get_by_role("heading", name="Gebruikersadministratie").is_visible()
    page.screenshot(path=str(page.artefacts) + "-menu.png")


def test_wrong_password_is_refused_in_dutch(page, live_server, superuser):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill("admin@example.com")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()

    assert (
        page.get_by_role("alert")
        .inner_text()
        .startswith("Het e-mailadres of wachtwoord is onjuist")
    )


def test_english_browser_signs_in_in_english(
    page_en, live_server, superuser, admin_password
):
    page = page_en
    page.goto(live_server.url + "/")

    page.get_by_label("Email address").fill("admin@example.com")
    page.get_by_label("Password").fill(admin_password)
    page.get_by_role("button", name="Sign in").click()

    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_text("Administration", exact=True).click()
    assert menu.get_by_role("link", name="User administration").is_visible()


def test_language_buttons_switch_a_dutch_page_to_english(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    assert page.get_by_label("E-mailadres").is_visible()

    page.get_by_role("button", name="EN", exact=True).click()

    assert page.get_by_label("Email address").is_visible()
