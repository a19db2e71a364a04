"""Every non-trivial read of the receipts app."""

from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from receipts.models import Document, MobileDevice
from users.models import User


def document_list_for_sender(*, user: User, status: str = "") -> QuerySet[Document]:
    """The user's own documents outside the trash, newest first."""
    documents = Document.objects.filter(
        uploaded_by=user, deleted_at__isnull=True
    ).prefetch_related("pages")
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


def document_fields(*, document: Document) -> dict[str, dict]:
    """The fields read from the document, ``{"total": {"value", "confidence"}, ...}``.

    Empty until the text is read (or when it could not be); a field that was not found
    is absent. Only the known field names, in their fixed order.
    """
    from receipts.extraction import FIELD_NAMES

    stored = document.extracted_fields or {}
    return {name: stored[name] for name in FIELD_NAMES if name in stored}


def document_text(*, document: Document) -> str:
    """The full text read from the document's first page ("" until read)."""
    return document.text
