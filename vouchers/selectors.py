"""Every non-trivial read of the vouchers app."""

from django.db.models import Q, QuerySet

from users.models import Company
from vouchers.models import Voucher


def voucher_list(*, search: str = "") -> QuerySet[Voucher]:
    """The company's vouchers, newest number first, optionally searched.

    The search matches the description, or the number as "12" or "2026-12".
    """
    vouchers = Voucher.objects.filter(company=Company.objects.current()).select_related(
        "cost_account", "payment_account"
    )
    search = search.strip()
    if search:
        condition = Q(description__icontains=search)
        year, _dash, number = search.partition("-")
        if number.isdigit() and year.isdigit():
            condition |= Q(year=int(year), number=int(number))
        elif search.isdigit():
            condition |= Q(number=int(search))
        vouchers = vouchers.filter(condition)
    return vouchers.order_by("-year", "-number")


def voucher_get(*, voucher_id: int) -> Voucher | None:
    return voucher_list().filter(pk=voucher_id).first()
