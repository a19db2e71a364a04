"""Processing a stored document: the pure pipeline applied to its pages, then saved.

The image work is :mod:`receipts.processing` (pure functions over bytes and files);
this module opens the originals through Django's storage, records the status changes,
writes the derived files under fixed names and flags possible duplicates. Running it
twice yields the same files and no extra rows.
"""

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from receipts import extraction, ocr, processing
from receipts.models import Document, DocumentPage, StatusChange

logger = logging.getLogger(__name__)

PERCEPTUAL_CANDIDATES = 5000


def _transition(document: Document, status: str, *, code: str = "", detail=""):
    """Set ``status`` and record the change; the caller saves inside its transaction."""
    document.status = status
    with translation.override("en"):
        # Stored as the English message id; shown translated (Document.failure_text).
        detail = str(detail)
    if status == Document.Status.FAILED:
        document.failure_code, document.failure_detail = code, detail[:500]
    StatusChange.objects.create(
        document=document, status=status, code=code, detail=detail[:500]
    )


def document_processing_start(*, document_id: uuid.UUID | str) -> Document | None:
    """Mark the document ``processing``; None when there is nothing left to do.

    Counts the attempt first, so a document whose processing killed the worker
    ``RECEIPTS_PROCESSING_MAX_ATTEMPTS`` times ends ``failed`` (``processing_crashed``)
    instead of looping.
    """
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status in (
            Document.Status.READY,
            Document.Status.FAILED,
        ):
            return None
        document.processing_attempts += 1
        if document.processing_attempts > settings.RECEIPTS_PROCESSING_MAX_ATTEMPTS:
            _transition(
                document,
                Document.Status.FAILED,
                code="processing_crashed",
                detail=_(
                    "Processing this document stopped the worker several times. "
                    "Send the photo again, or add it by hand."
                ),
            )
            document.save()
            return None
        if document.status != Document.Status.PROCESSING:
            _transition(document, Document.Status.PROCESSING)
        document.save()
    return document


def document_processing_interrupted(*, document_id: uuid.UUID | str) -> None:
    """An attempt ended by a passing fault (it will be retried): not a crash."""
    Document.objects.filter(pk=document_id, processing_attempts__gt=0).update(
        processing_attempts=F("processing_attempts") - 1
    )


def document_fail(*, document_id: uuid.UUID | str, code: str, detail) -> None:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status == Document.Status.FAILED:
            return
        _transition(document, Document.Status.FAILED, code=code, detail=detail)
        document.save()


def document_process(*, document_id: uuid.UUID | str) -> None:
    """Run the pipeline over the document's originals and store what it yields.

    A file that cannot be processed ends the document ``failed`` with the pipeline's
    code and reason. Storage and database errors propagate, for the task to retry.
    """
    document = document_processing_start(document_id=document_id)
    if document is None:
        return
    pages = list(document.pages.order_by("number"))
    originals = [page.original.open("rb") for page in pages]
    try:
        result = processing.process_document(originals)
    except processing.ProcessingError as error:
        document_fail(document_id=document.pk, code=error.code, detail=error.message)
        return
    finally:
        for original in originals:
            original.close()
    with result:
        _store_result(document=document, pages=pages, result=result)


def _store_result(
    *,
    document: Document,
    pages: Sequence[DocumentPage],
    result: processing.DocumentResult,
) -> None:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status != Document.Status.PROCESSING:
            return  # another attempt finished it meanwhile
        for page, page_result in zip(pages, result.pages, strict=True):
            base = f"documents/{document.pk}/page-{page.number}"
            page.preview.name = _save(
                f"{base}-preview.jpg", page_result.preview.content
            )
            page.thumbnail.name = _save(
                f"{base}-thumbnail.jpg", page_result.thumbnail.content
            )
            page.width, page.height = page_result.width, page_result.height
            page.save(update_fields=["preview", "thumbnail", "width", "height"])
        document.pdf.name = _save(
            f"documents/{document.pk}/document.pdf", result.bundle
        )
        document.phash = result.phash
        document.duplicate_of = duplicate_find(
            document=document, page_hashes=[p.sha256 for p in pages]
        )
        _transition(document, Document.Status.READY)
        document.save()
        transaction.on_commit(lambda: _read_queue(document.pk))
    logger.info("Document %s is ready, pages: %d", document.pk, len(pages))


def _read_queue(document_id: uuid.UUID) -> None:
    from receipts.tasks import document_read  # the tasks module imports this one

    document_read.delay(str(document_id))


def _save(name: str, content: bytes | File) -> str:
    """Write under a fixed name, replacing what an earlier attempt left there."""
    if default_storage.exists(name):
        default_storage.delete(name)
    file = ContentFile(content) if isinstance(content, bytes) else File(content)
    saved = default_storage.save(name, file)
    if saved != name:  # pragma: no cover - another writer raced us to the name
        logger.warning("Stored %s as %s", name, saved)
    return saved


def duplicate_find(
    *, document: Document, page_hashes: Sequence[str]
) -> Document | None:
    """An earlier document of the same company that this one probably repeats.

    The same bytes in any page is a duplicate; otherwise a first page that looks the
    same (perceptual hash) is. Documents in the trash do not count.
    """
    earlier = Document.objects.filter(
        company_id=document.company_id,
        deleted_at__isnull=True,
        created_at__lt=document.created_at,
    ).exclude(pk=document.pk)
    exact = earlier.filter(pages__sha256__in=page_hashes).order_by("created_at").first()
    if exact is not None:
        return exact
    if not document.phash:
        return None
    candidates = earlier.exclude(phash="").order_by("-created_at")
    for pk, phash in candidates.values_list("pk", "phash")[:PERCEPTUAL_CANDIDATES]:
        if processing.is_perceptual_match(document.phash, phash):
            return Document.objects.get(pk=pk)
    return None


def documents_stuck_claim(*, now: datetime | None = None) -> list[uuid.UUID]:
    """Documents waiting too long, marked as just seen so each is queued once a sweep.

    ``received`` past ``RECEIPTS_SWEEP_AFTER_SECONDS`` (its queueing was lost, e.g.
    Redis was down), ``processing`` past the task's hard time limit (its worker died).
    """
    now = now or timezone.now()
    waited = timedelta(seconds=settings.RECEIPTS_SWEEP_AFTER_SECONDS)
    ran = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    stuck = Document.objects.filter(
        Q(status=Document.Status.RECEIVED, updated_at__lt=now - waited)
        | Q(status=Document.Status.PROCESSING, updated_at__lt=now - max(waited, ran)),
        deleted_at__isnull=True,
    )
    ids = list(stuck.values_list("pk", flat=True)[:500])
    Document.objects.filter(pk__in=ids).update(updated_at=now)
    return ids


def documents_unread_claim(*, now: datetime | None = None) -> list[uuid.UUID]:
    """Ready documents whose text is still waiting to be read (its queueing was lost or
    its worker died), marked as just seen so each is queued once a sweep."""
    now = now or timezone.now()
    waited = timedelta(
        seconds=max(
            settings.RECEIPTS_SWEEP_AFTER_SECONDS, settings.RECEIPTS_OCR_TIME_LIMIT + 30
        )
    )
    unread = Document.objects.filter(
        status=Document.Status.READY,
        ocr_status=Document.OcrStatus.PENDING,
        updated_at__lt=now - waited,
        deleted_at__isnull=True,
    )
    ids = list(unread.values_list("pk", flat=True)[:500])
    Document.objects.filter(pk__in=ids).update(updated_at=now)
    return ids


def document_read(*, document_id: uuid.UUID | str) -> None:
    """Recognise the text of page 1's preview and store it with the fields found.

    Never changes the document's status: a document that cannot be read stays
    ``ready`` without fields, with ``ocr_status`` ``skipped`` (no engine) or
    ``failed`` and the reason in ``ocr_failure``. Running it again reads it again.
    """
    document = Document.objects.filter(
        pk=document_id, status=Document.Status.READY
    ).first()
    if document is None:
        return
    if not settings.RECEIPTS_OCR_ENABLED or not ocr.ocr_available():
        logger.info(
            "Text recognition skipped for document %s: tesseract (%s) is not "
            "installed or RECEIPTS_OCR_ENABLED is off",
            document_id,
            settings.RECEIPTS_OCR_LANGUAGES,
        )
        document_read_fail(
            document_id=document_id,
            status=Document.OcrStatus.SKIPPED,
            reason="tesseract_unavailable",
        )
        return
    page = document.pages.order_by("number").first()
    if page is None or not page.preview:
        document_read_fail(document_id=document_id, reason="no_preview")
        return
    try:
        with page.preview.open("rb") as preview:
            result = ocr.image_read(
                preview, timeout=settings.RECEIPTS_OCR_SOFT_TIME_LIMIT - 5
            )
    except (
        ocr.pytesseract.TesseractError,
        RuntimeError,  # pytesseract's timeout
        UnidentifiedImageError,
        Image.DecompressionBombError,
    ) as error:
        logger.warning(
            "Text recognition failed for document %s: %s", document_id, error
        )
        document_read_fail(document_id=document_id, reason=f"tesseract: {error}")
        return
    text = result.text.replace("\x00", "").replace("\x0c", "").strip()
    fields = extraction.fields_as_dict(result.fields)
    Document.objects.filter(pk=document_id).update(
        text=text,
        extracted_fields=fields,
        ocr_status=Document.OcrStatus.DONE,
        ocr_failure="",
        updated_at=timezone.now(),
    )


def document_read_fail(
    *,
    document_id: uuid.UUID | str,
    reason: str,
    status: str = Document.OcrStatus.FAILED,
) -> None:
    """Record why the text was not read; the document itself stays as it is."""
    Document.objects.filter(pk=document_id).update(
        ocr_status=status, ocr_failure=reason[:500], updated_at=timezone.now()
    )
