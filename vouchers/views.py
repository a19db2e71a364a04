"""The voucher entry window ("Inboeken") and the voucher list.

The window holds the voucher form with its toolbar ("Nieuw", "Opslaan",
"Vernieuwen", and "Visma Mobile Scanner activeren" while the service is inactive) and,
for who may see them, the panel "Bijlagen Visma Mobile Scanner" (receipts.views).
The window and the list need the access-profile function "Enter vouchers"; the panel
in it keeps its own checks.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from integrations.selectors import scanner_activation_offered
from mamut.errors import ApplicationError
from mamut.search import search_term
from receipts.models import Document
from receipts.selectors import document_get_for_panel, document_list_for_voucher
from receipts.services import (
    voucher_create_with_document,
    voucher_fill_from_document,
)
from receipts.views import held_back_notes, panel_context
from users.access import allow
from users.models import ENTER_VOUCHERS, ScannerFunction
from vouchers.forms import VoucherForm
from vouchers.models import Voucher
from vouchers.selectors import voucher_get, voucher_list
from vouchers.services import voucher_create, voucher_update


def _window(
    request: HttpRequest,
    *,
    form: VoucherForm,
    voucher: Voucher | None,
    pending: Document | None = None,
    filled: list[str] | None = None,
) -> HttpResponse:
    """The window; ``pending`` is the document "Opslaan" links to a new voucher."""
    context = {
        "form": form,
        "voucher": voucher,
        "offer_scanner_activation": scanner_activation_offered(user=request.user),
        "pending": pending,
        "filled": filled or [],
        "filled_labels": [
            form.fields[name].label for name in filled or [] if name in form.fields
        ],
        "pending_notes": held_back_notes(pending) if pending else [],
    }
    if request.user.has_perm(ScannerFunction.VIEW_ATTACHMENTS):
        context.update(panel_context(request, voucher=voucher))
        context["linked_documents"] = (
            document_list_for_voucher(voucher=voucher) if voucher else []
        )
    return render(request, "vouchers/voucher_entry.html", context)


def _posted_document(request: HttpRequest, key: str) -> Document | None:
    try:
        document_id = uuid.UUID(request.POST.get(key, ""))
    except ValueError:
        return None
    return document_get_for_panel(document_id=document_id)


def _fill_from_document(request: HttpRequest) -> HttpResponse:
    """ "+" on the new voucher: what was typed stays, the document fills the rest.

    Nothing is saved yet: the window shows the voucher filled in, with the document
    waiting to be linked by "Opslaan".
    """
    document = _posted_document(request, "fill_from")
    if document is None:
        raise Http404
    typed = {name: request.POST.get(name, "") for name in VoucherForm.base_fields}
    try:
        fill = voucher_fill_from_document(
            document=document, values=typed, by=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return _window(request, form=VoucherForm(initial=typed), voucher=None)
    return _window(
        request,
        form=VoucherForm(initial=fill.values),
        voucher=None,
        pending=document,
        filled=list(fill.filled),
    )


@allow(GET=ENTER_VOUCHERS, POST=ENTER_VOUCHERS)
def voucher_entry(request: HttpRequest) -> HttpResponse:
    """A new voucher: an empty form; "Opslaan" saves it and gives it its number.

    With a document waiting (after "+"), "Opslaan" saves the voucher and links the
    document in one transaction.
    """
    if request.method == "POST":
        if request.POST.get("fill_from"):
            return _fill_from_document(request)
        form = VoucherForm(request.POST)
        pending = _posted_document(request, "document")
        filled = request.POST.getlist("filled")
        if form.is_valid():
            try:
                if pending is not None:
                    voucher = voucher_create_with_document(
                        document=pending,
                        by=request.user,
                        filled_fields=filled,
                        **form.cleaned_data,
                    )
                else:
                    voucher = voucher_create(**form.cleaned_data)
            except ApplicationError as error:
                # Not saved; "Opslaan" again saves the voucher without the document.
                messages.error(request, error.message)
                return _window(request, form=form, voucher=None)
            messages.success(
                request, _("Voucher %(number)s saved.") % {"number": voucher}
            )
            return redirect("voucher-edit", voucher_id=voucher.pk)
        return _window(request, form=form, voucher=None, pending=pending, filled=filled)
    return _window(request, form=VoucherForm(), voucher=None)


@allow(GET=ENTER_VOUCHERS, POST=ENTER_VOUCHERS)
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


@allow(GET=ENTER_VOUCHERS)
def voucher_list_view(request: HttpRequest) -> HttpResponse:
    search = search_term(request.GET.get("q"))
    paginator = Paginator(voucher_list(search=search), 25)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "vouchers/voucher_list.html",
        {"page_obj": page, "search": search, "entry_url": reverse("voucher-entry")},
    )
