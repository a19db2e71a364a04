"""A storage that fails (disk full, I/O error) at upload and during processing."""

import errno
import hashlib
import io
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from receipts.models import Document, DocumentPage, IdempotencyRecord
from receipts.tasks import document_process
from tests.full_disk import BACKEND, disk_freed, disk_full
from tests.receipts.factories import mobile_user
from tests.receipts.test_apis import URL, sign_in

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"


@pytest.fixture
def full_disk_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": BACKEND}}
    yield
    disk_freed()


@pytest.fixture
def phone(active_scanner):
    return sign_in(mobile_user())[0]


def upload(client, *pages: bytes, key: str | None = None):
    return client.post(
        URL,
        {"kind": "receipt", "file": [io.BytesIO(page) for page in pages]},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
    )


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_upload_to_a_full_disk_is_507_and_leaves_nothing_behind(
    phone, full_disk_storage, media_root, settings
):
    receipt = (DATA / "sroie-000.jpg").read_bytes()
    key = str(uuid.uuid4())
    disk_full("all")

    response = upload(phone, receipt, receipt, key=key)

    assert response.status_code == 507
    assert response.json()["code"] == "storage_full"
    assert response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert Document.objects.count() == 0
    assert DocumentPage.objects.count() == 0
    assert files_under(Path(media_root)) == []  # not even the half-written page
    assert not IdempotencyRecord.objects.exists()

    disk_freed()
    again = upload(phone, receipt, receipt, key=key)  # the app retries, same key

    assert again.status_code == 201
    assert Document.objects.get().pages.count() == 2


def test_an_upload_meeting_another_storage_fault_is_503(phone, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(FileSystemStorage, "_save", broken)

    response = upload(phone, (DATA / "sroie-000.jpg").read_bytes())

    assert response.status_code == 503
    assert response.json()["code"] == "storage_unavailable"
    assert int(response["Retry-After"]) > 0
    assert Document.objects.count() == 0


def test_processing_on_a_full_disk_fails_with_a_reason_and_keeps_the_original(
    phone, full_disk_storage, settings, django_capture_on_commit_callbacks
):
    settings.RECEIPTS_PROCESSING_MAX_RETRIES = 1
    receipt = (DATA / "sroie-000.jpg").read_bytes()
    disk_full("derived")
    with django_capture_on_commit_callbacks(execute=True):
        document_id = upload(phone, receipt).json()["id"]

    document = Document.objects.get(pk=document_id)
    assert document.status == Document.Status.FAILED
    assert document.failure_code == "storage_full"
    assert "full" in document.failure_detail
    page = document.pages.get()
    with page.original.open("rb") as original:
        assert hashlib.sha256(original.read()).hexdigest() == page.sha256
    assert phone.get(f"{URL}{document_id}/").json()["failure"]["code"] == (
        "storage_full"
    )

    disk_freed()
    Document.objects.filter(pk=document_id).update(status="received")
    document_process.apply(args=[document_id])  # sent again, e.g. by the sweeper

    assert Document.objects.get(pk=document_id).status == Document.Status.READY
