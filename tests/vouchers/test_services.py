import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.vouchers.factories import voucher
from vouchers.models import Account, VoucherSequence, vat_of
from vouchers.selectors import voucher_list
from vouchers.services import voucher_update

pytestmark = pytest.mark.django_db


def test_numbers_run_per_year_from_one_without_gaps():
    first = voucher(date=datetime.date(2026, 1, 5))
    second = voucher(date=datetime.date(2026, 12, 31))
    next_year = voucher(date=datetime.date(2027, 1, 1))

    assert (first.year, first.number) == (2026, 1)
    assert (second.year, second.number) == (2026, 2)
    assert (next_year.year, next_year.number) == (2027, 1)
    assert str(second) == "2026-2"


def test_a_failed_save_gives_its_number_back():
    voucher()
    with pytest.raises(IntegrityError), transaction.atomic():
        voucher(description=None)  # the insert fails after the number was taken

    assert voucher().number == 2
    assert VoucherSequence.objects.get(year=2026).last_number == 2


def test_editing_keeps_the_number():
    saved = voucher()

    voucher_update(
        voucher=saved,
        date=datetime.date(2026, 11, 1),
        description="Lunch",
        amount=Decimal("10.90"),
        vat_code="9",
        cost_account=Account.objects.get(number="4600"),
        payment_account=Account.objects.get(number="1000"),
    )

    saved.refresh_from_db()
    assert (saved.number, saved.description, saved.vat_amount) == (
        1,
        "Lunch",
        Decimal("0.90"),
    )


@pytest.mark.parametrize(
    ("amount", "code", "vat"),
    [
        ("121.00", "21", "21.00"),
        ("109.00", "9", "9.00"),
        ("100.00", "0", "0.00"),
        ("100.00", "exempt", "0.00"),
        ("10.00", "21", "1.74"),
    ],
)
def test_vat_is_derived_from_the_amount_including_vat(amount, code, vat):
    assert vat_of(amount=Decimal(amount), vat_code=code) == Decimal(vat)


def test_the_chart_of_accounts_is_seeded_with_bank_and_kas():
    payment = set(Account.objects.filter(kind="payment").values_list("name", flat=True))

    assert payment == {"Bank", "Kas"}
    assert Account.objects.filter(kind="cost").count() >= 5


def test_search_finds_by_description_and_by_number():
    taxi = voucher(description="Taxi Schiphol")
    lunch = voucher(description="Lunch")

    assert list(voucher_list(search="schiphol")) == [taxi]
    assert list(voucher_list(search="2026-2")) == [lunch]
    assert list(voucher_list(search="1")) == [taxi]
    assert list(voucher_list()) == [lunch, taxi]
