import datetime
from decimal import Decimal

from vouchers.models import Account, Voucher
from vouchers.services import voucher_create


def voucher(**kwargs) -> Voucher:
    """A saved voucher with its number, through the service."""
    fields = {
        "date": datetime.date(2026, 12, 3),
        "description": "Taxi naar klant",
        "amount": Decimal("121.00"),
        "vat_code": "21",
        "cost_account": Account.objects.get(number="4500"),
        "payment_account": Account.objects.get(number="1100"),
        **kwargs,
    }
    return voucher_create(**fields)
