"""The voucher entry window in Debian's Chromium, in Dutch: a document sent from the
phone appears in "Bijlagen Visma Mobile Scanner" with a yellow border without a
reload, is linked to a new voucher with "+", loses the border, shows under
"Gekoppeld", is unlinked (Ontkoppelen), deleted, found in "Prullenbak" and restored."""

import io
import re
import uuid

import pytest
from knox.models import AuthToken
from playwright.sync_api import expect
from rest_framework.test import APIClient

from tests.receipts.factories import jpeg_bytes, mobile_user
from tests.screens import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YELLOW = "rgb(242, 194, 0)"


def _send_from_the_phone(user, note: str) -> None:
    """What the phone does: a signed-in upload to the mobile API."""
    _instance, token = AuthToken.objects.create(user)
    phone = APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = phone.post(
        "/api/v1/receipts/",
        {"kind": "receipt", "note": note, "file": [io.BytesIO(jpeg_bytes())]},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.content


def _border(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).borderTopColor")


def test_a_document_from_the_phone_is_linked_unlinked_deleted_and_restored(
    page, live_server, active_scanner, superuser, admin_password
):
    anna = mobile_user(email="anna@example.com", first_name="Anna")
    page.goto(live_server.url + "/")
    page.get_by_label("E-mailadres").fill(superuser.email)
    page.get_by_label("Wachtwoord").fill(admin_password)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Inboeken"
    ).click()
    panel = page.get_by_role("region", name="Bijlagen Visma Mobile Scanner")
    expect(panel.get_by_text("Geen documenten.")).to_be_visible()
    shot(page, "1-empty-panel")

    # The phone sends a receipt: it appears without a reload, with a yellow border.
    page.evaluate("window.notReloaded = true")
    _send_from_the_phone(anna, "Taxi naar klant")
    document = panel.get_by_role("article", name=re.compile("Kassabon van Anna"))
    expect(document).to_be_visible(timeout=15_000)
    expect(document.get_by_text("Taxi naar klant")).to_be_visible()
    expect(document.get_by_text("Klaar")).to_be_visible(timeout=15_000)
    assert page.evaluate("window.notReloaded") is True
    assert _border(document) == YELLOW
    shot(page, "2-arrived-yellow")

    # "+" before the voucher is saved says to save it first.
    document.get_by_role("button", name="Koppelen aan deze boeking").click()
    expect(page.get_by_role("status")).to_contain_text("Sla eerst de boeking op")

    # A new voucher, saved with "Opslaan", then "+".
    page.get_by_role("toolbar").get_by_role("button", name="Nieuw", exact=True).click()
    page.get_by_label("Datum").fill("2026-12-03")
    page.get_by_label("Omschrijving").fill("Taxi naar klant")
    page.get_by_label("Bedrag incl. btw").fill("48.40")
    page.get_by_label("Btw-code").select_option(label="9 %")
    page.get_by_label("Kostenrekening").select_option(
        label="4500 Reis- en verblijfkosten"
    )
    page.get_by_label("Betaalrekening").select_option(label="1100 Bank")
    page.get_by_role("toolbar").get_by_role(
        "button", name="Opslaan", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Boeking 2026-1")).to_be_visible()
    expect(page.get_by_label("Datum")).to_have_value("2026-12-03")
    shot(page, "3-voucher-saved")
    document.get_by_role("button", name="Koppelen aan deze boeking").click()
    expect(document.get_by_text("Gekoppeld aan boeking 2026-1")).to_be_visible()
    assert _border(document) != YELLOW
    shot(page, "4-linked")

    # It shows under "Gekoppeld"; Ontkoppelen unlinks it.
    panel.get_by_role("link", name="Gekoppeld", exact=True).click()
    expect(document).to_be_visible()
    shot(page, "5-filter-linked")
    document.get_by_role("button", name="Ontkoppelen").click()
    expect(document).to_be_hidden()
    panel.get_by_role("link", name="Niet gekoppeld").click()
    expect(document).to_be_visible()
    assert _border(document) == YELLOW

    # Deleted: it leaves the panel and is found in "Prullenbak", and restored.
    document.get_by_role("button", name="Verwijderen").click()
    expect(document).to_be_hidden()
    panel.get_by_role("link", name="Prullenbak").click()
    expect(document).to_be_visible()
    shot(page, "6-trash")
    document.get_by_role("button", name="Terugzetten").click()
    expect(document).to_be_hidden()
    panel.get_by_role("link", name="Alle").click()
    expect(document).to_be_visible()
    shot(page, "7-restored")
