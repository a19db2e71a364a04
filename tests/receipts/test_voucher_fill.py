"""Linking fills a voucher's empty fields from what was read; what was typed stays.

The rules (receipts.services.voucher_fill and voucher_suggestion) field by field:
a typed value is kept, an empty field is filled, a value read with too little
confidence fills nothing, and an amount in another currency than the euro fills no
voucher in euros. Then "Opslaan" with the document waiting: the voucher is saved and
linked in one transaction, and the audit record names the fields the document filled.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from mamut.errors import ApplicationError
from receipts.models import Document, DocumentEvent
from receipts.services import (
    HeldBack,
    document_link,
    voucher_create_with_document,
    voucher_fill,
    voucher_fill_from_document,
)
from tests.receipts.factories import UserFactory, mobile_user
from tests.receipts.panel import READ, received
from tests.users.factories import profile_with
from tests.vouchers.factories import voucher
from users.models import ScannerFunction
from vouchers.models import Account, Voucher, VoucherSequence

EMPTY = {"date": "", "description": "", "amount": "", "vat_code": ""}
TYPED = {
    "date": "2026-11-30",
    "description": "Lunch met klant",
    "amount": "48.40",
    "vat_code": "9",
}
FILLS = {
    "date": "2026-12-03",
    "description": "Bakkerij De Korenaar B.V.",
    "amount": "23.45",
    "vat_code": "21",
}
# The fields read that a voucher field is filled from.
SOURCES = {
    "date": ["date"],
    "description": ["supplier"],
    "amount": ["total"],
    "vat_code": ["vat_rate", "vat_amount"],
}


def document(fields: dict | None = None, kind: str = "receipt") -> Document:
    return Document(kind=kind, extracted_fields=READ if fields is None else fields)


def lowered(names: list[str], confidence: float = 0.3) -> dict:
    return {
        name: {**entry, "confidence": confidence} if name in names else entry
        for name, entry in READ.items()
    }


def test_every_empty_field_is_filled_from_the_document():
    fill = voucher_fill(document=document(), values=EMPTY)

    assert fill.values == FILLS
    assert fill.filled == FILLS


@pytest.mark.parametrize("field", list(TYPED))
def test_a_typed_value_is_kept_and_the_other_fields_are_filled(field):
    values = {**EMPTY, field: TYPED[field]}

    fill = voucher_fill(document=document(), values=values)

    assert fill.values[field] == TYPED[field]
    assert field not in fill.filled
    assert fill.filled == {name: FILLS[name] for name in FILLS if name != field}


def test_nothing_typed_is_overwritten_when_every_field_is_typed():
    fill = voucher_fill(document=document(), values={**TYPED, "cost_account": "3"})

    assert fill.values == {**TYPED, "cost_account": "3"}
    assert fill.filled == {}


@pytest.mark.parametrize("field", list(FILLS))
def test_an_empty_field_is_filled_alone(field):
    typed_elsewhere = {**TYPED, field: "  "}

    fill = voucher_fill(document=document(), values=typed_elsewhere)

    assert fill.filled == {field: FILLS[field]}
    assert fill.values == {**TYPED, field: FILLS[field]}


@pytest.mark.parametrize("field", list(FILLS))
def test_a_value_read_with_too_little_confidence_is_not_filled(field, settings):
    settings.RECEIPTS_FILL_MIN_CONFIDENCE = 0.5

    fill = voucher_fill(document=document(lowered(SOURCES[field])), values=EMPTY)

    assert field not in fill.filled
    assert fill.values[field] == ""
    assert fill.suggestion.held_back[field] == HeldBack.LOW_CONFIDENCE
    assert fill.filled == {name: FILLS[name] for name in FILLS if name != field}


def test_the_confidence_threshold_is_a_setting(settings):
    settings.RECEIPTS_FILL_MIN_CONFIDENCE = 0.95

    assert voucher_fill(document=document(), values=EMPTY).filled == {}


def test_an_amount_in_another_currency_is_not_filled():
    """A Malaysian receipt: the date and supplier fill; RM 9.00 is no euro amount."""
    ringgit = {
        "supplier": {"value": "BOOK TA .K (TAMAN DAYA) SDN BHD", "confidence": 0.8},
        "date": {"value": "2018-12-25", "confidence": 0.9},
        "total": {"value": "9.00", "confidence": 0.9},
        "vat_amount": {"value": "0.51", "confidence": 0.8},
        "vat_rate": {"value": "6", "confidence": 0.85},
        "currency": {"value": "MYR", "confidence": 0.9},
    }

    fill = voucher_fill(document=document(ringgit), values=EMPTY)

    assert fill.filled == {
        "date": "2018-12-25",
        "description": "BOOK TA .K (TAMAN DAYA) SDN BHD",
    }
    assert fill.values["amount"] == "" and fill.values["vat_code"] == ""
    assert fill.suggestion.held_back == {
        "amount": HeldBack.OTHER_CURRENCY,
        "vat_code": HeldBack.NOT_A_DUTCH_RATE,
    }
    assert fill.suggestion.currency == "MYR"


def test_an_amount_without_a_known_currency_is_not_filled():
    fields = {name: READ[name] for name in READ if name != "currency"}

    fill = voucher_fill(document=document(fields), values=EMPTY)

    assert "amount" not in fill.filled
    assert fill.suggestion.held_back["amount"] == HeldBack.CURRENCY_UNKNOWN


@pytest.mark.parametrize(
    ("total", "vat_amount", "code"),
    [("121.00", "21.00", "21"), ("23.45", "4.07", "21"), ("10.90", "0.90", "9"),
     ("23.45", "3.00", None)],
)  # fmt: skip
def test_without_a_printed_rate_the_vat_code_follows_from_the_vat_amount(
    total, vat_amount, code
):
    fields = {
        "total": {"value": total, "confidence": 0.9},
        "vat_amount": {"value": vat_amount, "confidence": 0.8},
        "currency": {"value": "EUR", "confidence": 0.9},
    }

    fill = voucher_fill(document=document(fields), values=EMPTY)

    assert fill.filled.get("vat_code") == code


@pytest.mark.parametrize(("rate", "code"), [("21", "21"), ("9", "9"), ("0", "0")])
def test_a_dutch_rate_gives_its_vat_code(rate, code):
    fields = {"vat_rate": {"value": rate, "confidence": 0.85}}

    assert voucher_fill(document=document(fields), values=EMPTY).filled == {
        "vat_code": code
    }


def test_an_invoice_is_described_by_its_supplier_and_number():
    invoice = document(kind=Document.Kind.INVOICE)

    with translation.override("nl"):
        dutch = voucher_fill(document=invoice, values=EMPTY).filled["description"]
    with translation.override("en"):
        english = voucher_fill(document=invoice, values=EMPTY).filled["description"]

    assert dutch == "Bakkerij De Korenaar B.V., factuur F2026-0042"
    assert english == "Bakkerij De Korenaar B.V., invoice F2026-0042"


def test_a_document_without_fields_fills_nothing():
    fill = voucher_fill(document=document({}), values=EMPTY)

    assert fill.values == EMPTY and fill.filled == {}


# -- saving the voucher with the document (database) ------------------------------


@pytest.fixture
def sender(active_scanner):
    return mobile_user(email="anna@example.com")


@pytest.fixture
def bookkeeper(db):
    user = UserFactory(email="boekhouder@example.com")
    user.groups.add(
        profile_with(
            ScannerFunction.VIEW_ATTACHMENTS, ScannerFunction.LINK_ATTACHMENTS
        ).group
    )
    return user


def read_receipt(sender, fields=READ) -> Document:
    """A processed document with what the reading step stores for it."""
    document = received(sender)
    Document.objects.filter(pk=document.pk).update(
        extracted_fields=fields, text="Bakkerij De Korenaar", ocr_status="done"
    )
    document.refresh_from_db()
    return document


def accounts() -> dict:
    return {
        "cost_account": Account.objects.get(number="4500"),
        "payment_account": Account.objects.get(number="1100"),
    }


@pytest.mark.django_db
def test_saving_links_the_document_and_audits_what_it_filled(sender, bookkeeper):
    document = read_receipt(sender)
    fill = voucher_fill_from_document(
        document=document,
        values={**EMPTY, "description": "Koffie en gebak"},
        by=bookkeeper,
    )

    saved = voucher_create_with_document(
        document=document,
        by=bookkeeper,
        filled_fields=list(fill.filled),
        date=datetime.date(2026, 12, 3),
        description="Koffie en gebak",
        amount=Decimal("23.45"),
        vat_code="9",  # the bookkeeper changed the filled 21 % before saving
        **accounts(),
    )

    document.refresh_from_db()
    assert document.voucher == saved
    assert str(saved) == "2026-1"
    event = DocumentEvent.objects.get(document_id=document.pk)
    assert event.action == DocumentEvent.Action.LINKED
    assert event.voucher_label == "2026-1"
    assert event.detail == {"filled": {"date": "2026-12-03", "amount": "23.45"}}


@pytest.mark.django_db
def test_a_refused_link_saves_no_voucher_and_takes_no_number(sender, bookkeeper):
    document = read_receipt(sender)
    # Linked in another window after this one showed the document as not linked.
    document_link(
        document=Document.objects.get(pk=document.pk), voucher=voucher(), by=bookkeeper
    )  # 2026-1

    with pytest.raises(ApplicationError) as refused:
        voucher_create_with_document(
            document=document,
            by=bookkeeper,
            date=datetime.date(2026, 12, 3),
            description="Taxi",
            amount=Decimal("10.00"),
            vat_code="9",
            **accounts(),
        )

    assert refused.value.code == "already_linked"
    assert Voucher.objects.count() == 1
    assert VoucherSequence.objects.get(year=2026).last_number == 1


@pytest.mark.django_db
def test_filling_is_refused_like_a_link(sender, bookkeeper):
    viewer = UserFactory(email="kijker@example.com")
    viewer.groups.add(profile_with(ScannerFunction.VIEW_ATTACHMENTS).group)
    trashed = read_receipt(sender)
    Document.objects.filter(pk=trashed.pk).update(deleted_at=timezone.now())
    trashed.refresh_from_db()
    plain = read_receipt(sender)

    with pytest.raises(ApplicationError) as no_permission:
        voucher_fill_from_document(document=plain, values=EMPTY, by=viewer)
    with pytest.raises(ApplicationError) as in_trash:
        voucher_fill_from_document(document=trashed, values=EMPTY, by=bookkeeper)

    assert no_permission.value.code == "permission_denied"
    assert in_trash.value.code == "trashed"
