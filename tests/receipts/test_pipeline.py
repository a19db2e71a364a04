"""A stored document through the pipeline and its Celery task, in-process."""

import io
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from receipts import pipeline
from receipts.models import Document, DocumentPage, StatusChange
from receipts.services import IncomingPage, document_receive
from receipts.tasks import document_process, documents_sweep
from tests.receipts.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"


def receipt(name: str = "sroie-000.jpg") -> bytes:
    return (DATA / name).read_bytes()


def receive(*pages: bytes, user=None) -> Document:
    return document_receive(
        user=user or UserFactory(),
        kind="receipt",
        pages=[IncomingPage(file=io.BytesIO(p), size=len(p)) for p in pages],
    )


def statuses(document: Document) -> list[str]:
    return list(document.status_changes.values_list("status", flat=True))


def test_a_real_receipt_becomes_ready_with_preview_thumbnail_and_pdf():
    document = receive(receipt(), receipt("sroie-001.jpg"))

    pipeline.document_process(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert statuses(document) == ["received", "processing", "ready"]
    first = document.pages.get(number=1)
    with default_storage.open(first.thumbnail.name) as file:
        thumbnail = Image.open(file)
        assert max(thumbnail.size) <= 320
        assert thumbnail.format == "JPEG"
    with default_storage.open(first.preview.name) as file:
        assert max(Image.open(file).size) <= 2000
    with default_storage.open(document.pdf.name) as file:
        assert file.read(5) == b"%PDF-"
    assert int(document.phash, 16) > 0
    assert first.original.read() == receipt()  # the original is kept unchanged


def test_a_truncated_photo_fails_with_a_reason_and_keeps_its_original():
    broken = receipt()[:4000]
    document = receive(broken)

    pipeline.document_process(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.failure_code == "invalid_file"
    assert document.failure_detail
    assert document.pages.get().original.read() == broken


def test_processing_twice_makes_the_same_files_and_no_extra_rows():
    document = receive(receipt())
    pipeline.document_process(document_id=document.pk)
    names = sorted(default_storage.listdir(f"documents/{document.pk}")[1])
    changes = StatusChange.objects.count()

    Document.objects.filter(pk=document.pk).update(status="processing")
    pipeline.document_process(document_id=document.pk)
    pipeline.document_process(document_id=document.pk)

    assert sorted(default_storage.listdir(f"documents/{document.pk}")[1]) == names
    assert DocumentPage.objects.count() == 1
    assert StatusChange.objects.count() == changes + 1  # processing→ready once more


def test_the_same_photo_sent_twice_is_flagged_as_possible_duplicate():
    user = UserFactory()
    first = receive(receipt(), user=user)
    pipeline.document_process(document_id=first.pk)
    second = receive(receipt(), user=user)

    pipeline.document_process(document_id=second.pk)

    second.refresh_from_db()
    assert second.duplicate_of_id == first.pk
    assert second.status == Document.Status.READY  # flagged, never dropped


def test_a_rescan_of_the_same_receipt_is_a_perceptual_duplicate():
    first = receive(receipt())
    pipeline.document_process(document_id=first.pk)
    image = Image.open(io.BytesIO(receipt()))
    buffer = io.BytesIO()
    image.resize((image.width - 7, image.height - 9)).save(buffer, "JPEG", quality=70)
    second = receive(buffer.getvalue())

    pipeline.document_process(document_id=second.pk)

    second.refresh_from_db()
    assert second.duplicate_of_id == first.pk


def test_different_receipts_are_not_duplicates():
    first = receive(receipt("sroie-000.jpg"))
    pipeline.document_process(document_id=first.pk)
    second = receive(receipt("sroie-003.jpg"))

    pipeline.document_process(document_id=second.pk)

    second.refresh_from_db()
    assert second.duplicate_of_id is None


def test_a_document_that_crashed_the_worker_three_times_ends_failed(settings):
    settings.RECEIPTS_PROCESSING_MAX_ATTEMPTS = 3
    document = receive(receipt())
    Document.objects.filter(pk=document.pk).update(
        status="processing", processing_attempts=3
    )

    pipeline.document_process(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.failure_code == "processing_crashed"


def test_the_task_retries_a_full_disk_and_then_fails_with_a_clear_code(monkeypatch):
    document = receive(receipt())

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", disk_full)
    document_process.apply(args=[str(document.pk)])

    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.failure_code == "storage_full"
    assert document.processing_attempts <= 1  # retries are not counted as crashes


def test_the_task_retries_a_broken_storage_and_then_fails_with_a_clear_code(
    monkeypatch,
):
    document = receive(receipt())

    def broken(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(default_storage, "save", broken)
    document_process.apply(args=[str(document.pk)])

    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.failure_code == "storage_unavailable"
    assert document.pages.get().original  # the original is kept


def test_the_sweeper_processes_what_waited_too_long(settings):
    settings.RECEIPTS_SWEEP_AFTER_SECONDS = 60
    document = receive(receipt())
    Document.objects.filter(pk=document.pk).update(
        updated_at=timezone.now() - timezone.timedelta(minutes=5)
    )
    fresh = receive(receipt("sroie-003.jpg"))

    assert documents_sweep.apply().get() == 1

    document.refresh_from_db()
    fresh.refresh_from_db()
    assert document.status == Document.Status.READY
    assert fresh.status == Document.Status.RECEIVED


def test_an_upload_is_processed_in_process_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        document = receive(receipt())

    document.refresh_from_db()
    assert document.status == Document.Status.READY


def test_an_unknown_document_id_is_ignored():
    pipeline.document_process(document_id=uuid.uuid4())
