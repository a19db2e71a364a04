"""Celery tasks of the receipts app: take ids, call the pipeline, own retries."""

import errno
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections
from django.utils.translation import gettext_lazy as _

from receipts import pipeline, services

logger = logging.getLogger(__name__)

# Passing faults of the storage or the database: retried with backoff. A connection
# that the database server closed (a restart) raises InterfaceError on its next use.
TRANSIENT = (OSError, DatabaseError, InterfaceError)
MAX_RETRIES = 5


def _max_retries() -> int:
    return getattr(settings, "RECEIPTS_PROCESSING_MAX_RETRIES", MAX_RETRIES)


def _forget_broken_connections() -> None:
    """Drop database connections that a fault left unusable (the server restarted),
    so the next query of this worker opens a fresh one instead of failing on the
    dead one. A connection inside a transaction is left to its owner."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block or connection.connection is None:
            continue
        if not connection.is_usable():
            connection.close()


def _storage_failure(error: BaseException) -> tuple[str, object]:
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "storage_full", _(
            "The server's storage is full, so the document could not be processed. "
            "The original is kept; ask your administrator."
        )
    return "storage_unavailable", _(
        "The document could not be stored. Send it again later, or ask "
        "your administrator."
    )


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
        _forget_broken_connections()
        if self.request.retries >= _max_retries():
            logger.exception("Giving up on document %s", document_id)
            code, detail = _storage_failure(error)
            pipeline.document_fail(document_id=document_id, code=code, detail=detail)
            return
        logger.warning("Document %s will be retried: %r", document_id, error)
        try:
            pipeline.document_processing_interrupted(document_id=document_id)
        except TRANSIENT:  # still down: the attempt stays counted, the retry runs
            _forget_broken_connections()
        raise self.retry(
            exc=error,
            countdown=min(2**self.request.retries, 60),
            max_retries=_max_retries(),
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
        _forget_broken_connections()
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
