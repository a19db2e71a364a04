"""Celery tasks of the receipts app: take ids, call the pipeline, own retries."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from receipts import pipeline, services

logger = logging.getLogger(__name__)

# Passing faults of the storage or the database: retried with backoff.
TRANSIENT = (OSError, DatabaseError)
MAX_RETRIES = 5


@shared_task(
    bind=True,
    name="receipts.process_document",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def document_process(self, document_id: str) -> None:
    """Process one document; idempotent, so a redelivered message does no harm."""
    try:
        pipeline.document_process(document_id=document_id)
    except SoftTimeLimitExceeded:
        pipeline.document_fail(
            document_id=document_id,
            code="processing_timeout",
            detail=_("Processing took too long. Send the photo again."),
        )
    except TRANSIENT as error:
        if self.request.retries >= MAX_RETRIES:
            logger.exception("Giving up on document %s", document_id)
            pipeline.document_fail(
                document_id=document_id,
                code="storage_unavailable",
                detail=_(
                    "The document could not be stored. Send it again later, or ask "
                    "your administrator."
                ),
            )
            return
        pipeline.document_processing_interrupted(document_id=document_id)
        raise self.retry(
            exc=error, countdown=min(2**self.request.retries, 60)
        ) from error


@shared_task(
    bind=True,
    name="receipts.read_document",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    soft_time_limit=settings.RECEIPTS_OCR_SOFT_TIME_LIMIT,
    time_limit=settings.RECEIPTS_OCR_TIME_LIMIT,
)
def document_read(self, document_id: str) -> None:
    """Read the text and fields of a ready document (queue ``ocr``); never fails it."""
    try:
        pipeline.document_read(document_id=document_id)
    except SoftTimeLimitExceeded:
        pipeline.document_read_fail(document_id=document_id, reason="timeout")
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            logger.exception("Giving up reading document %s", document_id)
            pipeline.document_read_fail(
                document_id=document_id, reason=f"unavailable: {error}"
            )
            return
        raise self.retry(
            exc=error, countdown=min(2**self.request.retries, 60)
        ) from error


@shared_task(name="receipts.sweep_documents", acks_late=True)
def documents_sweep() -> int:
    """Queue again what waits too long: lost queueing, or a worker that died; the
    same for reading the text of ready documents."""
    document_ids = pipeline.documents_stuck_claim()
    for document_id in document_ids:
        document_process.delay(str(document_id))
    unread_ids = pipeline.documents_unread_claim()
    for document_id in unread_ids:
        document_read.delay(str(document_id))
    if document_ids or unread_ids:
        logger.info(
            "Swept %d waiting documents, %d waiting to be read",
            len(document_ids),
            len(unread_ids),
        )
    return len(document_ids) + len(unread_ids)


@shared_task(name="receipts.empty_trash", acks_late=True)
def trash_empty() -> int:
    """Delete for good what has been in the trash for more than 30 days."""
    return services.documents_trash_empty()
