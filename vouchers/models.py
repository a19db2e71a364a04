"""Vouchers: a small voucher register, not a ledger.

A voucher gets its number on its first save: a sequence per year without gaps, taken
under a row lock on :class:`VoucherSequence` in the same transaction as the insert, so
a rolled-back save leaves no hole. The VAT amount is derived from the amount including
VAT and the VAT code.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from users.models import Company


class Account(models.Model):
    """One account of the small seeded chart of accounts."""

    class Kind(models.TextChoices):
        COST = "cost", _("Cost")
        PAYMENT = "payment", _("Payment")

    number = models.CharField(_("number"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["number"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class VoucherSequence(models.Model):
    """The last number given out in a year, locked while the next one is taken."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year"], name="vouchers_sequence_company_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Voucher(models.Model):
    class VatCode(models.TextChoices):
        HIGH = "21", _("21 %")
        LOW = "9", _("9 %")
        ZERO = "0", _("0 %")
        EXEMPT = "exempt", pgettext_lazy("VAT", "exempt")

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="vouchers"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount incl. VAT"), max_digits=12, decimal_places=2)
    vat_code = models.CharField(
        _("VAT code"), max_length=6, choices=VatCode.choices, default=VatCode.HIGH
    )
    cost_account = models.ForeignKey(
        Account,
        verbose_name=_("cost account"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Account.Kind.COST},
    )
    payment_account = models.ForeignKey(
        Account,
        verbose_name=_("payment account"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Account.Kind.PAYMENT},
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        # The access-profile function "Enter vouchers" (users.models.ENTER_VOUCHERS).
        permissions = [("enter_vouchers", "Enter vouchers")]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year", "number"],
                name="vouchers_voucher_number_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def vat_amount(self) -> Decimal:
        return vat_of(amount=self.amount, vat_code=self.vat_code)


RATES = {"21": Decimal("21"), "9": Decimal("9"), "0": Decimal("0"), "exempt": None}


def vat_of(*, amount: Decimal, vat_code: str) -> Decimal:
    """The VAT contained in an amount including VAT, rounded to the cent."""
    rate = RATES.get(vat_code)
    if not rate:
        return Decimal("0.00")
    return (amount * rate / (Decimal(100) + rate)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
