"""What was read from a document, in the voucher entry window (Dutch, test client).

"+" on the new voucher fills its empty fields and "Opslaan" links the document; the
panel and the detail show the fields read with their confidence, say when the text
could not be read, and the panel's search finds a document by its text.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from receipts import pipeline
from receipts.models import Document, DocumentEvent
from tests.receipts.factories import UserFactory, mobile_user
from tests.receipts.panel import READ, received
from tests.users.factories import profile_with
from users.models import ENTER_VOUCHERS, ScannerFunction
from vouchers.models import Account, Voucher

pytestmark = pytest.mark.django_db

ENTRY = reverse("voucher-entry")
VIEW = ScannerFunction.VIEW_ATTACHMENTS
LINK = ScannerFunction.LINK_ATTACHMENTS


@pytest.fixture
def sender(active_scanner):
    return mobile_user(email="anna@example.com", first_name="Anna")


@pytest.fixture
def bookkeeper(client):
    user = UserFactory(email="boekhouder@example.com")
    user.groups.add(profile_with(ENTER_VOUCHERS, VIEW, LINK).group)
    client.force_login(user)
    return user


def read(document: Document, fields: dict, text: str = "") -> Document:
    """What the reading step stores (receipts.pipeline.document_read)."""
    Document.objects.filter(pk=document.pk).update(
        extracted_fields=fields, text=text, ocr_status="done"
    )
    document.refresh_from_db()
    return document


def value_of(html: str, name: str) -> str:
    """The value an input or the selected option of a select shows."""
    from html.parser import HTMLParser

    found: dict[str, str] = {}

    class Parser(HTMLParser):
        select = ""

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("name") == name:
                found.setdefault("value", attrs.get("value") or "")
            elif tag == "select":
                self.select = attrs.get("name", "")
            elif tag == "option" and self.select == name and "selected" in attrs:
                found["value"] = attrs.get("value") or ""

    Parser().feed(html)
    return found.get("value", "")


def test_plus_on_the_new_voucher_fills_its_empty_fields_and_save_links(
    client, sender, bookkeeper
):
    document = read(received(sender), READ)
    cost = Account.objects.get(number="4500")

    # "+" sends the voucher form as typed so far: only a description.
    filled = client.post(
        ENTRY, {"fill_from": document.pk, "description": "Gebak voor het team"}
    )

    html = filled.text
    assert filled.status_code == 200
    assert value_of(html, "date") == "2026-12-03"
    assert value_of(html, "description") == "Gebak voor het team"  # typed: kept
    assert value_of(html, "amount") == "23.45"
    assert value_of(html, "vat_code") == "21"
    assert "Ingevuld uit het document: Datum, Bedrag incl. btw, Btw-code" in html
    assert "wordt gekoppeld zodra u deze boeking opslaat" in html
    assert value_of(html, "document") == str(document.pk)
    assert not Voucher.objects.exists()  # nothing saved before "Opslaan"

    saved = client.post(
        ENTRY,
        {
            "date": "2026-12-03",
            "description": "Gebak voor het team",
            "amount": "23.45",
            "vat_code": "21",
            "cost_account": cost.pk,
            "payment_account": Account.objects.get(number="1100").pk,
            "document": document.pk,
            "filled": ["date", "amount", "vat_code"],
        },
        follow=True,
    )

    voucher = Voucher.objects.get()
    document.refresh_from_db()
    assert document.voucher == voucher
    assert "Boeking 2026-1" in saved.text
    assert value_of(saved.text, "amount") == "23.45"
    assert "Gekoppeld aan boeking 2026-1" in saved.text
    event = DocumentEvent.objects.get(document_id=document.pk)
    assert event.detail["filled"] == {
        "date": "2026-12-03",
        "amount": "23.45",
        "vat_code": "21",
    }


def test_a_voucher_with_missing_fields_keeps_the_document_waiting(
    client, sender, bookkeeper
):
    document = read(received(sender), READ)

    response = client.post(
        ENTRY,
        {"date": "2026-12-03", "amount": "23.45", "document": document.pk},
    )

    assert "Dit veld is verplicht" in response.text
    assert value_of(response.text, "document") == str(document.pk)
    assert not Voucher.objects.exists()


def test_plus_is_refused_for_a_document_linked_elsewhere(client, sender, bookkeeper):
    from tests.vouchers.factories import voucher

    document = read(received(sender), READ)
    Document.objects.filter(pk=document.pk).update(voucher=voucher())

    response = client.post(ENTRY, {"fill_from": document.pk, "description": "Taxi"})

    assert "al aan een andere boeking gekoppeld" in response.text
    assert value_of(response.text, "description") == "Taxi"
    assert value_of(response.text, "date") == ""


def test_the_new_voucher_starts_empty_so_a_document_can_fill_it(client, bookkeeper):
    html = client.get(ENTRY).text

    assert value_of(html, "date") == ""
    assert value_of(html, "vat_code") == ""


def test_the_panel_and_the_detail_show_the_fields_with_their_confidence(
    client, sender, bookkeeper
):
    document = read(received(sender), READ, text="Bakkerij De Korenaar B.V.")

    panel = client.get(ENTRY).text
    detail = client.get(reverse("attachment-detail", args=[document.pk])).text

    for html in (panel, detail):
        assert "Gelezen uit het document" in html
        for label in ("Leverancier", "Datum", "Totaal", "Btw", "Btw-tarief"):
            assert f"<dt>{label}</dt>" in html
        assert "<dt>Valuta</dt><dd>EUR" in html
        assert "<dt>Factuurnummer</dt><dd>F2026-0042" in html
        assert "Bakkerij De Korenaar B.V." in html
        assert "23,45" in html and "4,07" in html  # Dutch decimals
        assert "3-12-2026" in html  # the Dutch short date
        assert "90 % zeker" in html and "75 % zeker" in html
    assert "Volledige tekst" in detail


def test_an_amount_in_ringgit_is_shown_but_not_put_into_a_voucher(
    client, sender, bookkeeper
):
    ringgit = {
        "date": {"value": "2018-12-25", "confidence": 0.9},
        "total": {"value": "9.00", "confidence": 0.9},
        "currency": {"value": "MYR", "confidence": 0.9},
    }
    document = read(received(sender), ringgit)

    panel = client.get(ENTRY).text
    filled = client.post(ENTRY, {"fill_from": document.pk}).text

    note = "Bedrag in MYR: niet overgenomen in een boeking in euro&#x27;s."
    assert note in panel
    assert value_of(filled, "amount") == ""
    assert value_of(filled, "date") == "2018-12-25"
    assert note in filled


def test_the_panel_search_finds_a_document_by_its_text(client, sender, bookkeeper):
    read(received(sender, note="Eerste"), {}, text="Krentenbollen 19,38\nTotaal")
    read(received(sender, note="Tweede", color="black"), {}, text="Benzine Euro95")

    found = client.get(ENTRY, {"q": "krentenbollen"}).text
    by_note = client.get(ENTRY, {"q": "tweede"}).text
    nothing = client.get(ENTRY, {"q": "diesel"}).text
    polled = client.get(reverse("attachments-panel"), {"q": "benzine"}).text

    assert "Eerste" in found and "Tweede" not in found
    assert "Tweede" in by_note and "Eerste" not in by_note
    assert "Geen documenten." in nothing
    assert "Tweede" in polled and "Eerste" not in polled
    assert "q=benzine" in polled  # the panel keeps polling the same search


def test_without_tesseract_the_panel_and_detail_say_so(
    client, sender, bookkeeper, settings
):
    settings.RECEIPTS_OCR_LANGUAGES = "xyz"  # not installed: ocr_available() false
    document = received(sender)
    pipeline.document_read(document_id=document.pk)

    panel = client.get(ENTRY).text
    detail = client.get(reverse("attachment-detail", args=[document.pk])).text

    document.refresh_from_db()
    assert document.ocr_status == Document.OcrStatus.SKIPPED
    assert "Tekstherkenning niet beschikbaar" in panel
    assert "Tekstherkenning niet beschikbaar" in detail


def test_a_failed_reading_shows_its_reason_on_the_ready_document(
    client, sender, bookkeeper
):
    document = received(sender)
    preview = document.pages.get(number=1).preview.name
    default_storage.delete(preview)
    default_storage.save(preview, ContentFile(b"not an image at all"))
    pipeline.document_read(document_id=document.pk)

    document.refresh_from_db()
    detail = client.get(reverse("attachment-detail", args=[document.pk])).text

    assert document.status == Document.Status.READY
    assert document.ocr_failure.startswith("tesseract: ")
    assert "Tekstherkenning mislukt: " in detail
    assert "tesseract: " in detail
    assert "Klaar" in detail


def test_in_english_the_fields_and_the_notices_are_english(client, sender, bookkeeper):
    ringgit = {
        "supplier": {"value": "BOOK TA .K SDN BHD", "confidence": 0.8},
        "total": {"value": "9.00", "confidence": 0.9},
        "currency": {"value": "MYR", "confidence": 0.9},
    }
    read(received(sender), ringgit)
    unread = received(sender, color="black")
    Document.objects.filter(pk=unread.pk).update(ocr_status="skipped")

    html = client.get(ENTRY, HTTP_ACCEPT_LANGUAGE="en").text

    assert "<dt>Supplier</dt>" in html and "<dt>Total</dt><dd>9.00" in html
    assert "<dt>Currency</dt><dd>MYR" in html and "90 % certain" in html
    assert "Amount in MYR: not copied into a voucher in euros." in html
    assert "Text recognition not available" in html
    assert "Search documents" in html
