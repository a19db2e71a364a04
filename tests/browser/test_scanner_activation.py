"""Activating and deactivating Visma Mobile Scanner as the source's steps say.

"Zo activeert u Visma Mobile Scanner": Beheer - Instellingen - Administratie -
Integratie, the button Visma Mobile Scanner, accept the terms and Volgende, read the
information and Voltooien. "Tip!": the same from the voucher entry window, whose
toolbar button disappears once the service is active. "Zo deactiveert u de service":
the same button, and confirm.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.screens import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(
    page: Page, url: str, password: str, *, email: str, password_label: str, button: str
) -> None:
    page.goto(url + "/")
    page.get_by_label(email).fill("admin@example.com")
    page.get_by_label(password_label).fill(password)
    page.get_by_role("button", name=button).click()


def open_menu_page(page: Page, menu_name: str, top: str, link: str) -> None:
    menu = page.get_by_role("navigation", name=menu_name)
    menu.get_by_text(top, exact=True).click()
    menu.get_by_role("link", name=link, exact=True).click()


def open_voucher_entry(page: Page, menu_name: str, label: str) -> None:
    page.get_by_role("navigation", name=menu_name).get_by_role(
        "link", name=label, exact=True
    ).click()
    expect(page.get_by_role("heading", name=label)).to_be_visible()


def test_activate_in_settings_and_deactivate_in_dutch(
    page: Page, live_server, superuser, admin_password
):
    sign_in(
        page,
        live_server.url,
        admin_password,
        email="E-mailadres",
        password_label="Wachtwoord",
        button="Inloggen",
    )
    activate_button = page.get_by_role("button", name="Visma Mobile Scanner activeren")

    open_voucher_entry(page, "Hoofdmenu", "Inboeken")
    toolbar = page.get_by_role("toolbar", name="Werkbalk")
    for label in ("Nieuw", "Opslaan", "Vernieuwen"):
        expect(toolbar.get_by_role("button", name=label, exact=True)).to_be_enabled()
    expect(activate_button).to_be_visible()
    shot(page, "1-voucher-entry-inactive")

    # 1. Ga naar Beheer - Instellingen - Administratie - Integratie.
    open_menu_page(page, "Hoofdmenu", "Beheer", "Administratie")
    page.get_by_role("tab", name="Integratie").click()
    expect(page.get_by_text("Niet actief", exact=True)).to_be_visible()
    shot(page, "2-integration-tab")

    # 2. Klik op de knop Visma Mobile Scanner.
    page.get_by_role("button", name="Visma Mobile Scanner", exact=True).click()
    expect(page.get_by_text("Stap 1 van 2: Voorwaarden")).to_be_visible()
    expect(
        page.get_by_role("region", name="Voorwaarden").get_by_role("heading").first
    ).to_contain_text("Voorwaarden Visma Mobile Scanner-integratie")

    # Volgende without the tick is refused by the server with a message.
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("alert")).to_have_text(
        "U moet akkoord gaan met de voorwaarden om verder te gaan."
    )
    shot(page, "3-terms-refused")

    # 3. Geef aan dat u akkoord gaat met de voorwaarden en klik Volgende.
    page.get_by_label("Ik ga akkoord met de voorwaarden").check()
    shot(page, "4-terms-accepted")
    page.get_by_role("button", name="Volgende").click()

    # 4. Lees de informatie en klik Voltooien om de service te activeren.
    expect(page.get_by_text("Stap 2 van 2: Informatie")).to_be_visible()
    expect(
        page.get_by_text("opent u de app op elke telefoon", exact=False).first
    ).to_be_visible()
    shot(page, "5-information")
    page.get_by_role("button", name="Voltooien").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Visma Mobile Scanner is geactiveerd."
    )
    expect(page.get_by_role("tab", name="Integratie")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.get_by_text("Actief", exact=True)).to_be_visible()
    expect(page.get_by_text("Versie 1").first).to_be_visible()
    expect(page.get_by_role("cell", name="Geactiveerd", exact=True)).to_be_visible()
    shot(page, "6-active")

    # Zodra Visma Mobile Scanner is geactiveerd, verdwijnt de knop uit de werkbalk.
    open_voucher_entry(page, "Hoofdmenu", "Inboeken")
    expect(activate_button).to_have_count(0)
    shot(page, "7-voucher-entry-active")

    # Zo deactiveert u de service: Integratie, de knop, bevestigen.
    open_menu_page(page, "Hoofdmenu", "Beheer", "Administratie")
    page.get_by_role("tab", name="Integratie").click()
    page.get_by_role("button", name="Visma Mobile Scanner", exact=True).click()
    expect(
        page.get_by_text(
            "Weet u zeker dat u de service Visma Mobile Scanner wilt deactiveren?"
        )
    ).to_be_visible()
    shot(page, "8-confirm-deactivation")
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_role("status")).to_contain_text(
        "De service Visma Mobile Scanner is gedeactiveerd."
    )
    expect(page.get_by_text("Niet actief", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Gedeactiveerd", exact=True)).to_be_visible()
    shot(page, "9-deactivated")

    open_voucher_entry(page, "Hoofdmenu", "Inboeken")
    expect(activate_button).to_be_visible()


def test_activate_from_the_voucher_entry_toolbar_in_dutch(
    page: Page, live_server, superuser, admin_password
):
    sign_in(
        page,
        live_server.url,
        admin_password,
        email="E-mailadres",
        password_label="Wachtwoord",
        button="Inloggen",
    )
    activate_button = page.get_by_role("button", name="Visma Mobile Scanner activeren")
    open_voucher_entry(page, "Hoofdmenu", "Inboeken")

    # Annuleren leaves the wizard and returns to the voucher entry window.
    activate_button.click()
    page.get_by_label("Ik ga akkoord met de voorwaarden").check()
    page.get_by_role("button", name="Annuleren").click()
    expect(page.get_by_role("heading", name="Inboeken")).to_be_visible()
    expect(activate_button).to_be_visible()

    # Tip! U kunt de service ook via het inboekvenster activeren.
    activate_button.click()
    checkbox = page.get_by_label("Ik ga akkoord met de voorwaarden")
    expect(checkbox).not_to_be_checked()
    checkbox.check()
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("button", name="Vorige").click()
    expect(checkbox).to_be_checked()
    page.get_by_role("button", name="Volgende").click()
    shot(page, "1-information-from-toolbar")
    page.get_by_role("button", name="Voltooien").click()

    expect(page.get_by_role("heading", name="Inboeken")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        "Visma Mobile Scanner is geactiveerd."
    )
    expect(activate_button).to_have_count(0)
    shot(page, "2-voucher-entry-after-activation")

    open_menu_page(page, "Hoofdmenu", "Beheer", "Administratie")
    page.get_by_role("tab", name="Integratie").click()
    page.get_by_role("button", name="Visma Mobile Scanner", exact=True).click()
    page.get_by_role("button", name="Bevestigen").click()

    open_voucher_entry(page, "Hoofdmenu", "Inboeken")
    expect(activate_button).to_be_visible()
    shot(page, "3-voucher-entry-after-deactivation")


def test_activate_and_deactivate_in_english(
    page_en: Page, live_server, superuser, admin_password
):
    page = page_en
    sign_in(
        page,
        live_server.url,
        admin_password,
        email="Email address",
        password_label="Password",
        button="Sign in",
    )
    activate_button = page.get_by_role("button", name="Activate Visma Mobile Scanner")
    open_voucher_entry(page, "Main menu", "Voucher entry")
    expect(activate_button).to_be_visible()

    open_menu_page(page, "Main menu", "Administration", "Company")
    page.get_by_role("tab", name="Integration").click()
    page.get_by_role("button", name="Visma Mobile Scanner", exact=True).click()
    expect(
        page.get_by_role("region", name="Terms").get_by_role("heading").first
    ).to_contain_text("Terms of the Visma Mobile Scanner integration")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("alert")).to_have_text(
        "You must accept the terms to continue."
    )
    page.get_by_label("I accept the terms").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Step 2 of 2: Information")).to_be_visible()
    page.get_by_role("button", name="Finish").click()

    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    expect(page.get_by_text("Version 1").first).to_be_visible()
    shot(page, "1-active")
    open_voucher_entry(page, "Main menu", "Voucher entry")
    expect(activate_button).to_have_count(0)

    open_menu_page(page, "Main menu", "Administration", "Company")
    page.get_by_role("tab", name="Integration").click()
    page.get_by_role("button", name="Visma Mobile Scanner", exact=True).click()
    expect(
        page.get_by_text(
            "Are you sure you want to deactivate the Visma Mobile Scanner service?"
        )
    ).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Not active", exact=True)).to_be_visible()
    shot(page, "2-deactivated")

    open_voucher_entry(page, "Main menu", "Voucher entry")
    expect(activate_button).to_be_visible()
