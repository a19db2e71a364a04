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

from tests.receipts.factories import dutch_receipt_jpeg, jpeg_bytes, mobile_user
from tests.screens import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YELLOW = "rgb(242, 194, 0)"


def _send_from_the_phone(user, note: str, photo: bytes | None = None) -> None:
    """What the phone does: a signed-in upload to the mobile API."""
    _instance, token = AuthToken.objects.create(user)
    phone = APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = phone.post(
        "/api/v1/receipts/",
        {"kind": "receipt", "note": note, "file": [io.BytesIO(photo or jpeg_bytes())]},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.content


def _border(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).borderTopColor")


def _voucher_entry(page, live_server, superuser, admin_password) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("E-mailadres").fill(superuser.email)
    page.get_by_label("Wachtwoord").fill(admin_password)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Inboeken"
    ).click()


def test_a_document_from_the_phone_is_linked_unlinked_deleted_and_restored(
    page, live_server, active_scanner, superuser, admin_password
):
    anna = mobile_user(email="anna@example.com", first_name="Anna")
    _voucher_entry(page, live_server, superuser, admin_password)
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

    # "+" before the voucher is saved fills the new voucher from what was read (from
    # a blank photo: nothing) and links the document once the voucher is saved.
    document.get_by_role("button", name="Koppelen aan deze boeking").click()
    waiting = page.get_by_text("wordt gekoppeld zodra u deze boeking opslaat")
    expect(waiting).to_be_visible()
    expect(page.get_by_text("Er is niets ingevuld uit het document")).to_be_visible()

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


def test_a_read_receipt_fills_the_new_voucher_and_is_linked_when_it_is_saved(
    page, live_server, active_scanner, superuser, admin_password
):
    """Tesseract reads the receipt sent from the phone; "+" on the new voucher fills
    the fields left empty (a typed description stays) and "Opslaan" links it."""
    anna = mobile_user(email="anna@example.com", first_name="Anna")
    _voucher_entry(page, live_server, superuser, admin_password)
    panel = page.get_by_role("region", name="Bijlagen Visma Mobile Scanner")

    _send_from_the_phone(anna, "Gebak", photo=dutch_receipt_jpeg())
    document = panel.get_by_role("article", name=re.compile("Kassabon van Anna"))
    read = document.get_by_role("definition").filter(has_text="Bakkerij De Korenaar")
    expect(read).to_be_visible(timeout=30_000)
    expect(document.get_by_text("23,45")).to_be_visible()
    expect(document.get_by_text("Leverancier")).to_be_visible()
    shot(page, "1-read")

    page.get_by_label("Omschrijving").fill("Gebak voor het team")
    document.get_by_role("button", name="Koppelen aan deze boeking").click()
    expect(page.get_by_text("Ingevuld uit het document: Datum, Bedrag")).to_be_visible()
    expect(page.get_by_label("Datum")).to_have_value("2026-12-03")
    expect(page.get_by_label("Omschrijving")).to_have_value("Gebak voor het team")
    expect(page.get_by_label("Bedrag incl. btw")).to_have_value("23.45")
    expect(page.get_by_label("Btw-code")).to_have_value("21")
    shot(page, "2-filled")

    page.get_by_label("Kostenrekening").select_option(
        label="4500 Reis- en verblijfkosten"
    )
    page.get_by_label("Betaalrekening").select_option(label="1100 Bank")
    page.get_by_role("toolbar").get_by_role(
        "button", name="Opslaan", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Boeking 2026-1")).to_be_visible()
    expect(page.get_by_label("Bedrag incl. btw")).to_have_value("23.45")
    expect(page.get_by_label("Omschrijving")).to_have_value("Gebak voor het team")
    expect(document.get_by_text("Gekoppeld aan boeking 2026-1")).to_be_visible()
    assert _border(document) != YELLOW
    shot(page, "3-saved-and-linked")


def _wait_for_a_poll(page) -> None:
    """Until the panel has replaced itself once more (its 3-second poll)."""
    page.evaluate("document.getElementById('attachments-panel').beforePoll = true")
    page.wait_for_function(
        "() => !document.getElementById('attachments-panel').beforePoll",
        timeout=15_000,
    )


def test_the_polls_keep_what_is_typed_in_the_search_box_and_the_search(
    page, live_server, active_scanner, superuser, admin_password
):
    """The panel replaces itself every 3 s; the search box keeps the text being typed,
    the focus and the caret, and a search that was sent stays applied."""
    anna = mobile_user(email="anna@example.com", first_name="Anna")
    _send_from_the_phone(anna, "Taxi naar klant")
    _send_from_the_phone(anna, "Lunch met klant")
    _voucher_entry(page, live_server, superuser, admin_password)
    panel = page.get_by_role("region", name="Bijlagen Visma Mobile Scanner")
    expect(panel.get_by_role("article")).to_have_count(2)

    search = page.locator("#attachments-search")
    search.click()
    page.keyboard.type("Tax")
    _wait_for_a_poll(page)
    _wait_for_a_poll(page)

    expect(search).to_have_value("Tax")
    expect(search).to_be_focused()
    assert search.evaluate("box => [box.selectionStart, box.selectionEnd]") == [3, 3]
    page.keyboard.type("i")
    expect(search).to_have_value("Taxi")
    shot(page, "1-typed-through-polls")

    page.keyboard.press("Enter")
    expect(panel.get_by_role("article")).to_have_count(1)
    _wait_for_a_poll(page)
    _wait_for_a_poll(page)
    expect(panel.get_by_role("article")).to_have_count(1)
    expect(panel.get_by_text("Taxi naar klant")).to_be_visible()
    expect(page.locator("#attachments-search")).to_have_value("Taxi")
    shot(page, "2-search-kept-by-polls")


def test_when_the_session_ends_the_poll_sends_the_whole_page_to_sign_in(
    page, live_server, active_scanner, superuser, admin_password
):
    """Not the sign-in page inside the panel: the window goes to sign in, and back."""
    _voucher_entry(page, live_server, superuser, admin_password)
    page.get_by_role("link", name="Gekoppeld", exact=True).click()
    expect(page).to_have_url(re.compile(r"/voucher-entry/\?show=linked$"))

    page.context.clear_cookies()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="), timeout=15_000)
    expect(
        page.get_by_role("region", name="Bijlagen Visma Mobile Scanner")
    ).to_have_count(0)
    shot(page, "1-sign-in-page")
    page.get_by_label("E-mailadres").fill(superuser.email)
    page.get_by_label("Wachtwoord").fill(admin_password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/voucher-entry/\?show=linked$"))
