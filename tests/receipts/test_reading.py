"""Reading a processed document's text and fields (Tesseract), in-process."""

import io
import logging
import shutil
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from receipts import pipeline
from receipts.extraction import FIELD_NAMES
from receipts.models import Document
from receipts.services import IncomingPage, document_receive
from receipts.tasks import document_read, documents_sweep
from tests.receipts.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("tesseract") is None,
        reason="tesseract is not installed (apt-get install tesseract-ocr "
        "tesseract-ocr-nld tesseract-ocr-eng)",
    ),
]

DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"


def ready_document(name: str = "sroie-000.jpg") -> Document:
    data = (DATA / name).read_bytes()
    document = document_receive(
        user=UserFactory(),
        kind="receipt",
        pages=[IncomingPage(file=io.BytesIO(data), size=len(data))],
    )
    pipeline.document_process(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    return document


def test_a_ready_receipt_is_read_and_its_text_and_fields_stored():
    # Its "Total Sales (Inclusive of GST)" line is misread; cash less change finds it.
    document = ready_document("sroie-003.jpg")

    pipeline.document_read(document_id=document.pk)

    document.refresh_from_db()
    assert document.ocr_status == Document.OcrStatus.DONE
    assert document.ocr_failure == ""
    assert "JOHOR" in document.text.upper()
    assert document.extracted_fields["date"]["value"] == "2018-12-25"
    assert document.extracted_fields["total"]["value"] == "80.90"
    assert document.extracted_fields["currency"]["value"] == "MYR"
    assert set(document.extracted_fields) <= set(FIELD_NAMES)
    assert document.status == Document.Status.READY


def test_reading_follows_processing_once_it_is_committed(
    django_capture_on_commit_callbacks,
):
    data = (DATA / "sroie-001.jpg").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_receive(
            user=UserFactory(),
            kind="receipt",
            pages=[IncomingPage(file=io.BytesIO(data), size=len(data))],
        )

    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert document.ocr_status == Document.OcrStatus.DONE
    assert document.extracted_fields["date"]["value"] == "2018-10-19"


def test_without_the_engine_reading_is_skipped_and_the_document_stays_ready(
    settings, caplog
):
    settings.RECEIPTS_OCR_LANGUAGES = "xyz"  # a language tesseract does not have
    document = ready_document()

    with caplog.at_level(logging.INFO, logger="receipts.pipeline"):
        pipeline.document_read(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert document.ocr_status == Document.OcrStatus.SKIPPED
    assert document.ocr_failure == "tesseract_unavailable"
    assert document.extracted_fields == {}
    assert "Text recognition skipped" in caplog.text


def test_an_unreadable_preview_fails_the_reading_not_the_document():
    document = ready_document()
    preview = document.pages.get(number=1).preview.name
    default_storage.delete(preview)
    default_storage.save(preview, ContentFile(b"not an image at all"))

    document_read.delay(str(document.pk))  # in-process: the task, as the worker

    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert document.ocr_status == Document.OcrStatus.FAILED
    assert document.ocr_failure.startswith("tesseract: ")
    assert document.extracted_fields == {}


def test_a_recognition_out_of_time_fails_the_reading_not_the_document(settings):
    document = ready_document()
    # The recognition gets the soft time limit less 5 s: here 0.01 s, far too short.
    settings.RECEIPTS_OCR_SOFT_TIME_LIMIT = 5.01

    document_read.delay(str(document.pk))

    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert document.ocr_status == Document.OcrStatus.FAILED
    assert "timeout" in document.ocr_failure
    assert document.extracted_fields == {}


def test_a_document_that_is_not_ready_is_not_read():
    data = (DATA / "sroie-000.jpg").read_bytes()
    document = document_receive(
        user=UserFactory(),
        kind="receipt",
        pages=[IncomingPage(file=io.BytesIO(data), size=len(data))],
    )

    pipeline.document_read(document_id=document.pk)
    pipeline.document_read(document_id=uuid.uuid4())

    document.refresh_from_db()
    assert document.ocr_status == Document.OcrStatus.PENDING


def test_the_sweeper_reads_a_ready_document_whose_reading_was_lost(settings):
    settings.RECEIPTS_SWEEP_AFTER_SECONDS = 60
    document = ready_document()
    Document.objects.filter(pk=document.pk).update(
        updated_at=timezone.now() - timezone.timedelta(minutes=10)
    )
    fresh = ready_document("sroie-001.jpg")

    assert documents_sweep.apply().get() == 1

    document.refresh_from_db()
    fresh.refresh_from_db()
    assert document.ocr_status == Document.OcrStatus.DONE
    assert fresh.ocr_status == Document.OcrStatus.PENDING
