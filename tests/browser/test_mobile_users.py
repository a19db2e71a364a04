"""The source's steps in Debian's Chromium, in Dutch: "Zo registreert u een mobiele
gebruiker" and "Zo deactiveert u een mobiele gebruiker", for oneself (Gebruiker →
Diensten) and for a new user linked to a newly registered employee
(Gebruikersadministratie → Bewerken)."""

import re

import pytest

from tests.screens import shot
from users.models import User
from users.selectors import mobile_registration_active

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


NEW_PASSWORD = "Fiets-Regen-Molen-84"


def _sign_in(page, live_server, email: str, password: str) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def _menu(page, *labels: str) -> None:
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_text("Beheer", exact=True).click()
    for label in labels:
        menu.get_by_role("link", name=label, exact=True).click()


def test_employee_registers_and_deactivates_himself_on_the_services_tab(
    page, live_server, active_scanner, admin_password
):
    from users.models import AccessProfile, Employee

    employee = Employee.objects.create(name="Eva Smit", employee_number="E005")
    eva = User.objects.create_user(
        "eva@example.com", admin_password, first_name="Eva", employee=employee
    )
    eva.groups.add(AccessProfile.objects.get(system_key="employee").group)
    _sign_in(page, live_server, "eva@example.com", admin_password)

    # 1. Ga naar Beheer - Instellingen - Gebruiker - tabblad Diensten.
    _menu(page, "Gebruiker")
    page.get_by_role("tab", name="Diensten").click()
    shot(page, "1-diensten")
    assert page.get_by_text("Registreer mobiele gebruiker").is_visible()

    # 4. Klik de knop Registreren naast Registreer mobiele gebruiker en bevestig.
    page.get_by_role("button", name="Registreren").click()
    assert page.get_by_role("heading", name="Registreer mobiele gebruiker").is_visible()
    shot(page, "2-bevestigen")
    page.get_by_role("button", name="Bevestigen").click()

    assert (
        page.get_by_role("status")
        .get_by_text("eva@example.com is geregistreerd als mobiele gebruiker.")
        .is_visible()
    )
    assert page.get_by_text(
        re.compile(r"Geregistreerd sinds \d+ \w+ \d{4}")
    ).is_visible()
    shot(page, "3-geregistreerd")
    assert mobile_registration_active(eva) is not None

    # Deactiveren: klik Deactiveren naast Deactiveer mobiele gebruiker en bevestig.
    assert page.get_by_text("Deactiveer mobiele gebruiker").is_visible()
    page.get_by_role("button", name="Deactiveren").click()
    assert page.get_by_role("heading", name="Deactiveer mobiele gebruiker").is_visible()
    shot(page, "4-deactiveren")
    page.get_by_role("button", name="Bevestigen").click()

    assert page.get_by_text(
        "eva@example.com is geen mobiele gebruiker meer."
    ).is_visible()
    assert page.get_by_role("button", name="Registreren").is_visible()
    shot(page, "5-gedeactiveerd")
    assert mobile_registration_active(eva) is None


def test_admin_registers_a_new_user_linked_to_a_new_employee_then_deactivates(
    page, live_server, active_scanner, superuser, admin_password
):
    _sign_in(page, live_server, superuser.email, admin_password)

    # Beheer - Instellingen - Beveiliging - Gebruikersadministratie: a new user.
    _menu(page, "Gebruikersadministratie")
    page.get_by_role("link", name="Nieuwe gebruiker").click()
    page.get_by_label("E-mailadres").fill("fleur@example.com")
    page.get_by_label("Wachtwoord").fill(NEW_PASSWORD)
    page.get_by_label("Toegangsprofiel").select_option(label="Medewerker")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text(
        "De gebruiker fleur@example.com is opgeslagen."
    ).is_visible()

    # Selecteer de betreffende gebruiker en klik Bewerken.
    _menu(page, "Gebruikersadministratie")
    row = page.get_by_role("row").filter(has_text="fleur@example.com")
    shot(page, "1-lijst")
    row.get_by_role("link", name="Bewerken").click()

    # 2. Not linked to an employee yet: Registreren says how to fix it.
    page.get_by_role("button", name="Registreren").click()
    alert = page.get_by_role("alert")
    assert alert.get_by_text(
        re.compile("De gebruiker is niet aan een medewerker gekoppeld")
    ).is_visible()
    assert "Medewerker registreren" in alert.inner_text()
    shot(page, "2-voorwaarden")
    page.get_by_role("link", name="Terug").click()

    # 3. Koppel de gebruiker aan een medewerker: Medewerker registreren.
    employee_field = page.get_by_label(re.compile("^Medewerker"))
    new_name = page.get_by_label("Naam van de nieuwe medewerker")
    assert not new_name.is_visible()
    employee_field.select_option(label="Medewerker registreren")
    assert new_name.is_visible()
    new_name.fill("Fleur de Boer")
    page.get_by_label("Telefoon").fill("06-12345006")
    shot(page, "3-medewerker-registreren")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text(
        "De gebruiker fleur@example.com is opgeslagen."
    ).is_visible()
    assert "Fleur de Boer" in employee_field.locator("option:checked").inner_text()

    # 4. Klik Registreren naast Registreer mobiele gebruiker en bevestig.
    page.get_by_role("button", name="Registreren").click()
    shot(page, "4-bevestigen")
    page.get_by_role("button", name="Bevestigen").click()
    assert page.get_by_text(
        re.compile(r"Geregistreerd sinds \d+ \w+ \d{4}")
    ).is_visible()
    shot(page, "5-geregistreerd")

    fleur = User.objects.get(email="fleur@example.com")
    assert fleur.employee.name == "Fleur de Boer"
    assert mobile_registration_active(fleur) is not None

    # The list shows the status; then deactivate: Bewerken, Deactiveren, bevestigen.
    _menu(page, "Gebruikersadministratie")
    row = page.get_by_role("row").filter(has_text="fleur@example.com")
    assert "Geregistreerd sinds" in row.inner_text()
    row.get_by_role("link", name="Bewerken").click()
    page.get_by_role("button", name="Deactiveren").click()
    page.get_by_role("button", name="Bevestigen").click()

    assert page.get_by_text(
        "fleur@example.com is geen mobiele gebruiker meer."
    ).is_visible()
    assert page.get_by_role("button", name="Registreren").is_visible()
    shot(page, "6-gedeactiveerd")
    assert mobile_registration_active(fleur) is None
