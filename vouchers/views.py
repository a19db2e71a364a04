"""The voucher entry window ("Inboeken") and the voucher list.

The window holds the voucher form with its toolbar ("Nieuw", "Opslaan",
"Vernieuwen", and "Visma Mobile Scanner activeren" while the service is inactive) and,
for who may see them, the panel "Bijlagen Visma Mobile Scanner" (receipts.views).
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from integrations.selectors import scanner_activation_offered
from receipts.selectors import document_list_for_voucher
from receipts.views import panel_context
from users.access import SIGNED_IN, allow
from users.models import ScannerFunction
from vouchers.forms import VoucherForm
from vouchers.models import Voucher
from vouchers.selectors import voucher_get, voucher_list
from vouchers.services import voucher_create, voucher_update


def _window(
    request: HttpRequest, *, form: VoucherForm, voucher: Voucher | None
) -> HttpResponse:
    context = {
        "form": form,
        "voucher": voucher,
        "offer_scanner_activation": scanner_activation_offered(user=request.user),
    }
    if request.user.has_perm(ScannerFunction.VIEW_ATTACHMENTS):
        context.update(panel_context(request, voucher=voucher))
        context["linked_documents"] = (
            document_list_for_voucher(voucher=voucher) if voucher else []
        )
    return render(request, "vouchers/voucher_entry.html", context)


@allow(GET=SIGNED_IN, POST=SIGNED_IN)
def voucher_entry(request: HttpRequest) -> HttpResponse:
    """A new voucher: an empty form; "Opslaan" saves it and gives it its number."""
    if request.method == "POST":
        form = VoucherForm(request.POST)
        if form.is_valid():
            voucher = voucher_create(**form.cleaned_data)
            messages.success(
                request, _("Voucher %(number)s saved.") % {"number": voucher}
            )
            return redirect("voucher-edit", voucher_id=voucher.pk)
    else:
        form = VoucherForm(initial={"date": datetime.date.today(), "vat_code": "21"})
    return _window(request, form=form, voucher=None)


@allow(GET=SIGNED_IN, POST=SIGNED_IN)
def voucher_edit(request: HttpRequest, voucher_id: int) -> HttpResponse:
    voucher = voucher_get(voucher_id=voucher_id)
    if voucher is None:
        raise Http404
    if request.method == "POST":
        form = VoucherForm(request.POST)
        if form.is_valid():
            voucher_update(voucher=voucher, **form.cleaned_data)
            messages.success(
                request, _("Voucher %(number)s saved.") % {"number": voucher}
            )
            return redirect("voucher-edit", voucher_id=voucher.pk)
    else:
        form = VoucherForm.for_voucher(voucher)
    return _window(request, form=form, voucher=voucher)


@allow(GET=SIGNED_IN)
def voucher_list_view(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")
    paginator = Paginator(voucher_list(search=search), 25)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "vouchers/voucher_list.html",
        {"page_obj": page, "search": search, "entry_url": reverse("voucher-entry")},
    )
