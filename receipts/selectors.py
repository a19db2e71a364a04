"""Every non-trivial read of the receipts app."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from receipts.models import Document, DocumentPage, MobileDevice
from users.models import Company, User

if TYPE_CHECKING:
    from vouchers.models import Voucher


def document_list_for_sender(*, user: User, status: str = "") -> QuerySet[Document]:
    """The user's own documents outside the trash, newest first."""
    documents = (
        Document.objects.filter(uploaded_by=user, deleted_at__isnull=True)
        .select_related("voucher")
        .prefetch_related("pages")
    )
    if status:
        documents = documents.filter(status=status)
    return documents.order_by("-created_at", "-pk")


def document_get_for_sender(*, user: User, document_id: str) -> Document | None:
    """The user's own document, or None (another user's document does not exist)."""
    return document_list_for_sender(user=user).filter(pk=document_id).first()


def document_file(*, document: Document, rendition: str) -> FieldFile | None:
    """The derived ``thumbnail`` or ``preview`` (first page) or ``pdf``, once made."""
    if document.status != Document.Status.READY:
        return None
    if rendition == "pdf":
        return document.pdf or None
    first_page = document.pages.order_by("number").first()
    if first_page is None or rendition not in ("thumbnail", "preview"):
        return None
    return getattr(first_page, rendition) or None


def phone_list(*, user: User) -> QuerySet[MobileDevice]:
    """The phones signed in as ``user`` with a token that has not expired."""
    return (
        MobileDevice.objects.filter(token__user=user, token__expiry__gt=timezone.now())
        .select_related("token")
        .order_by("-last_used_at")
    )


class PanelFilter:
    ALL = "all"
    LINKED = "linked"
    NOT_LINKED = "not_linked"
    TRASH = "trash"
    CHOICES = (ALL, LINKED, NOT_LINKED, TRASH)


@dataclass(frozen=True)
class PanelPage:
    documents: list[Document]
    number: int
    has_previous: bool
    has_next: bool


def panel_queryset(
    *, show: str = PanelFilter.ALL, search: str = ""
) -> QuerySet[Document]:
    """The company's documents for a panel filter, in the panel's order.

    The default order is served by the partial index ``receipts_document_panel``
    (company, newest first, outside the trash), the trash by
    ``receipts_document_trash``. ``search`` finds words in the note, the text read
    from the document and the sender's name or e-mail address. The full text itself
    is not loaded: the panel does not show it.
    """
    documents = (
        Document.objects.filter(company=Company.objects.current())
        .select_related("uploaded_by", "voucher")
        .defer("text")
    )
    for word in search.split()[:10]:
        documents = documents.filter(
            Q(note__icontains=word)
            | Q(text__icontains=word)
            | Q(uploaded_by__email__icontains=word)
            | Q(uploaded_by__first_name__icontains=word)
            | Q(uploaded_by__last_name__icontains=word)
        )
    if show == PanelFilter.TRASH:
        return documents.filter(deleted_at__isnull=False).order_by("-deleted_at", "-id")
    documents = documents.filter(deleted_at__isnull=True).order_by("-created_at", "-id")
    if show == PanelFilter.LINKED:
        documents = documents.filter(voucher__isnull=False)
    elif show == PanelFilter.NOT_LINKED:
        documents = documents.filter(voucher__isnull=True)
    return documents


PANEL_MAX_PAGE = 1_000_000


def _panel_rows(documents, *, page: int, per_page: int) -> list[Document]:
    """The page's documents plus one more, which tells whether a next page exists."""
    start = (page - 1) * per_page
    return list(documents[start : start + per_page + 1])


def document_panel_page(
    *, show: str = PanelFilter.ALL, page: int = 1, per_page: int = 24, search: str = ""
) -> PanelPage:
    """One page of the attachments panel: the company's documents, newest first.

    ``linked`` / ``not_linked`` narrow the documents outside the trash; ``trash``
    lists the trash, latest deletion first. A fixed number of queries whatever the
    number of rows (one for the documents with sender and voucher, one for their
    first pages); no COUNT over the table: one row more than a page tells whether a
    next page exists. A page past the end shows the last page (then it counts).
    """
    documents = panel_queryset(show=show, search=search).prefetch_related(
        Prefetch(
            "pages",
            queryset=DocumentPage.objects.filter(number=1),
            to_attr="first_pages",
        )
    )
    # A page number past any real page (typed in the address bar) would make an
    # OFFSET beyond what the database takes.
    page = min(max(page, 1), PANEL_MAX_PAGE)
    rows = _panel_rows(documents, page=page, per_page=per_page)
    if not rows and page > 1:
        # Past the end: the last page, as Django's Paginator.get_page does. Only here
        # does the panel count the rows.
        page = max(1, -(-documents.count() // per_page))
        rows = _panel_rows(documents, page=page, per_page=per_page)
    return PanelPage(
        documents=rows[:per_page],
        number=page,
        has_previous=page > 1,
        has_next=len(rows) > per_page,
    )


def document_get_for_panel(*, document_id: str) -> Document | None:
    """A document of the company (in the trash too), with what its detail shows."""
    return (
        Document.objects.filter(company=Company.objects.current(), pk=document_id)
        .select_related("uploaded_by", "voucher", "duplicate_of")
        .prefetch_related("pages", "status_changes")
        .first()
    )


def document_list_for_voucher(*, voucher: "Voucher") -> list[Document]:
    """The documents linked to a voucher, outside the trash, oldest first."""
    return list(
        voucher.documents.filter(deleted_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("created_at", "id")
    )


def document_fields(*, document: Document) -> dict[str, dict]:
    """The fields read from the document, ``{"total": {"value", "confidence"}, ...}``.

    Empty until the text is read (or when it could not be); a field that was not found
    is absent. Only the known field names, in their fixed order.
    """
    from receipts.extraction import FIELD_NAMES

    stored = document.extracted_fields or {}
    return {name: stored[name] for name in FIELD_NAMES if name in stored}
