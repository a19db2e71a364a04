from django import forms
from django.utils.translation import gettext_lazy as _

from vouchers.models import Account, Voucher


class VoucherForm(forms.Form):
    # A date input takes and gives ISO dates, whatever the language.
    date = forms.DateField(
        label=_("Date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(label=_("Description"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount incl. VAT"), max_digits=12, decimal_places=2
    )
    # A new voucher starts empty, VAT code included: a document linked with "+" fills
    # only the fields left empty, and a default would count as typed.
    vat_code = forms.ChoiceField(
        label=_("VAT code"), choices=[("", "---------"), *Voucher.VatCode.choices]
    )
    cost_account = forms.ModelChoiceField(
        label=_("Cost account"),
        queryset=Account.objects.filter(kind=Account.Kind.COST),
    )
    payment_account = forms.ModelChoiceField(
        label=_("Payment account"),
        queryset=Account.objects.filter(kind=Account.Kind.PAYMENT),
    )

    @classmethod
    def for_voucher(cls, voucher: Voucher) -> "VoucherForm":
        return cls(
            initial={
                "date": voucher.date,
                "description": voucher.description,
                "amount": voucher.amount,
                "vat_code": voucher.vat_code,
                "cost_account": voucher.cost_account_id,
                "payment_account": voucher.payment_account_id,
            }
        )
