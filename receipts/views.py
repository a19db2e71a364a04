"""The panel "Bijlagen Visma Mobile Scanner" of the voucher entry window.

Thin views: the rules are in receipts.services. The panel polls itself with htmx
(``hx-trigger="every 3s"``) so new documents and finished processing show without a
reload; every change is a POST with CSRF that returns to the window.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamut.errors import ApplicationError
from mamut.search import search_term
from receipts.models import Document
from receipts.selectors import (
    PanelFilter,
    document_fields,
    document_get_for_panel,
    document_panel_page,
)
from receipts.services import (
    HeldBack,
    document_duplicate_dismiss,
    document_link,
    document_purge,
    document_restore,
    document_trash,
    document_unlink,
    voucher_suggestion,
)
from users.access import allow
from users.models import ScannerFunction
from vouchers.selectors import voucher_get

VIEW = ScannerFunction.VIEW_ATTACHMENTS
LINK = ScannerFunction.LINK_ATTACHMENTS


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


# The fields read from a document, as the panel and the detail label them.
FIELD_LABELS = {
    "supplier": gettext_lazy("Supplier"),
    "date": gettext_lazy("Date"),
    "total": gettext_lazy("Total"),
    "vat_amount": gettext_lazy("VAT"),
    "vat_rate": gettext_lazy("VAT rate"),
    "currency": gettext_lazy("Currency"),
    "invoice_number": gettext_lazy("Invoice number"),
}
# The voucher fields a document fills, as the voucher form labels them.
VOUCHER_LABELS = {
    "date": gettext_lazy("Date"),
    "description": gettext_lazy("Description"),
    "amount": gettext_lazy("Amount incl. VAT"),
    "vat_code": gettext_lazy("VAT code"),
}


@dataclass(frozen=True)
class ReadingRow:
    label: str
    value: str
    confidence: int  # percent


@dataclass(frozen=True)
class Reading:
    """What was read from a document, for the panel and the detail page."""

    rows: list[ReadingRow]
    notes: list[str]


def _shown(name: str, value: str) -> str:
    """A field's value as the language shows it: 23,45 and 3-12-2026 in Dutch."""
    try:
        if name in ("total", "vat_amount"):
            return formats.localize(Decimal(value).quantize(Decimal("0.01")))
        if name == "date":
            date = datetime.date.fromisoformat(value)
            return formats.date_format(date, "SHORT_DATE_FORMAT")
    except (InvalidOperation, ValueError):
        return value
    if name == "vat_rate":
        return f"{value} %"
    return value


def held_back_notes(document: Document) -> list[str]:
    """Why fields read from the document will not fill a voucher, in words."""
    suggestion = voucher_suggestion(document=document)
    notes = []
    for name, reason in suggestion.held_back.items():
        if reason == HeldBack.OTHER_CURRENCY:
            notes.append(
                _("Amount in %(currency)s: not copied into a voucher in euros.")
                % {"currency": suggestion.currency}
            )
        elif reason == HeldBack.CURRENCY_UNKNOWN:
            notes.append(
                _("Currency not recognised: the amount is not copied into a voucher.")
            )
        elif reason == HeldBack.NOT_A_DUTCH_RATE:
            rate = document_fields(document=document).get("vat_rate", {})
            notes.append(
                _("VAT rate %(rate)s %%: not a Dutch rate, so no VAT code is filled.")
                % {"rate": rate.get("value", "")}
            )
        else:
            notes.append(
                _("%(field)s: read with too little certainty, not copied.")
                % {"field": VOUCHER_LABELS[name]}
            )
    return notes


def document_reading(document: Document) -> Reading:
    rows = [
        ReadingRow(
            label=str(FIELD_LABELS[name]),
            value=_shown(name, str(entry.get("value", ""))),
            confidence=round(float(entry.get("confidence") or 0) * 100),
        )
        for name, entry in document_fields(document=document).items()
    ]
    return Reading(rows=rows, notes=held_back_notes(document))


def panel_context(request: HttpRequest, *, voucher, here: str = "") -> dict:
    """What the panel template needs, from the query string (?show=, ?page=, ?q=).

    ``here`` is the window the panel sits in: its actions return there.
    """
    here = here or request.get_full_path()
    show = request.GET.get("show", PanelFilter.ALL)
    if show not in PanelFilter.CHOICES:
        show = PanelFilter.ALL
    search = search_term(request.GET.get("q"))
    panel = document_panel_page(
        show=show, page=_int(request.GET.get("page"), 1), search=search
    )
    for document in panel.documents:
        document.reading = document_reading(document)
    return {
        "panel": panel,
        "show": show,
        "search": search,
        "voucher": voucher,
        "may_link": request.user.has_perm(LINK),
        "here": here,
        "window_path": urlsplit(here).path,
    }


@allow(GET=VIEW)
def attachments_panel(request: HttpRequest) -> HttpResponse:
    """The panel alone, for its own polling and for "Vernieuwen"."""
    voucher_id = _int(request.GET.get("voucher"), 0)
    voucher = voucher_get(voucher_id=voucher_id) if voucher_id else None
    here = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(here, allowed_hosts={request.get_host()}):
        here = reverse("voucher-entry")
    context = panel_context(request, voucher=voucher, here=here)
    return render(request, "receipts/_panel.html", context)


def _document(document_id) -> Document:
    document = document_get_for_panel(document_id=document_id)
    if document is None:
        raise Http404
    return document


@allow(GET=VIEW)
def attachment_detail(request: HttpRequest, document_id) -> HttpResponse:
    document = _document(document_id)
    return render(
        request,
        "receipts/attachment_detail.html",
        {
            "document": document,
            "pages": list(document.pages.all()),
            "history": list(document.status_changes.all()),
            "reading": document_reading(document),
            "may_link": request.user.has_perm(LINK),
            "back": _back(request),
        },
    )


@allow(GET=VIEW)
def attachment_file(
    request: HttpRequest, document_id, rendition: str, number: int = 1
) -> FileResponse:
    """A page's thumbnail or preview, or the PDF of all pages (once processed)."""
    document = _document(document_id)
    if rendition == "pdf":
        file = document.pdf
        name = f"{document.get_kind_display()}-{document.created_at:%Y%m%d}.pdf"
    else:
        page = next((p for p in document.pages.all() if p.number == number), None)
        allowed = rendition in ("thumbnail", "preview")
        file = getattr(page, rendition, None) if page and allowed else None
        name = None
    if not file:
        raise Http404
    response = FileResponse(
        file.open("rb"), as_attachment=rendition == "pdf", filename=name or ""
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("voucher-entry")


def _act(request: HttpRequest, action, message: str = "", **kwargs) -> HttpResponse:
    try:
        action(by=request.user, **kwargs)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if message:
            messages.success(request, message)
    return redirect(_back(request))


@allow(POST=LINK)
def attachment_link(request: HttpRequest, document_id) -> HttpResponse:
    voucher_id = _int(request.POST.get("voucher"), 0)
    voucher = voucher_get(voucher_id=voucher_id) if voucher_id else None
    return _act(
        request, document_link, document=_document(document_id), voucher=voucher
    )


@allow(POST=LINK)
def attachment_unlink(request: HttpRequest, document_id) -> HttpResponse:
    return _act(request, document_unlink, document=_document(document_id))


@allow(POST=LINK)
def attachment_trash(request: HttpRequest, document_id) -> HttpResponse:
    return _act(request, document_trash, document=_document(document_id))


@allow(POST=LINK)
def attachment_restore(request: HttpRequest, document_id) -> HttpResponse:
    return _act(request, document_restore, document=_document(document_id))


@allow(POST=LINK)
def attachment_duplicate_dismiss(request: HttpRequest, document_id) -> HttpResponse:
    return _act(request, document_duplicate_dismiss, document=_document(document_id))


@allow(GET=LINK, POST=LINK)
def attachment_purge(request: HttpRequest, document_id) -> HttpResponse:
    """Delete for good, after a confirmation page."""
    document = _document(document_id)
    if request.method == "POST":
        return _act(request, document_purge, document=document)
    return render(
        request,
        "receipts/attachment_purge.html",
        {"document": document, "back": _back(request)},
    )
