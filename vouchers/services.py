"""Every write of the vouchers app."""

import datetime
from decimal import Decimal

from django.db import transaction

from users.models import Company
from vouchers.models import Account, Voucher, VoucherSequence


def _next_number(*, company: Company, year: int) -> int:
    """Take the year's next number under a row lock (inside the caller's atomic)."""
    VoucherSequence.objects.get_or_create(company=company, year=year)
    sequence = VoucherSequence.objects.select_for_update().get(
        company=company, year=year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def voucher_create(
    *,
    date: datetime.date,
    description: str,
    amount: Decimal,
    vat_code: str,
    cost_account: Account,
    payment_account: Account,
) -> Voucher:
    """Save a new voucher with the next number of its year, without gaps.

    The number and the voucher are written in one transaction: a failed save gives
    the number back.
    """
    company = Company.objects.current()
    with transaction.atomic():
        number = _next_number(company=company, year=date.year)
        return Voucher.objects.create(
            company=company,
            year=date.year,
            number=number,
            date=date,
            description=description,
            amount=amount,
            vat_code=vat_code,
            cost_account=cost_account,
            payment_account=payment_account,
        )


def voucher_update(
    *,
    voucher: Voucher,
    date: datetime.date,
    description: str,
    amount: Decimal,
    vat_code: str,
    cost_account: Account,
    payment_account: Account,
) -> Voucher:
    """Change a voucher; its number stays (a new date in another year included)."""
    voucher.date = date
    voucher.description = description
    voucher.amount = amount
    voucher.vat_code = vat_code
    voucher.cost_account = cost_account
    voucher.payment_account = payment_account
    voucher.full_clean(exclude=["company"])
    voucher.save()
    return voucher
