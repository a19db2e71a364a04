"""A phone's upload processed and then read (Tesseract) by a real worker over Redis."""

import io
import shutil
import time
import uuid
from pathlib import Path

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from receipts.models import Document
from tests.receipts.factories import mobile_user

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        shutil.which("tesseract") is None,
        reason="tesseract is not installed (apt-get install tesseract-ocr "
        "tesseract-ocr-nld tesseract-ocr-eng)",
    ),
]

DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"


def wait_for(predicate, timeout: float = 90, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def test_an_upload_is_read_on_the_ocr_queue_and_its_fields_answered(
    active_scanner, celery_worker_process
):
    _, token = AuthToken.objects.create(mobile_user())
    phone = APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = phone.post(
        "/api/v1/receipts/",
        {
            "kind": "receipt",
            "file": [io.BytesIO((DATA / "sroie-003.jpg").read_bytes())],
        },
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    document_id = answer.json()["id"]

    def read() -> bool:
        return Document.objects.filter(
            pk=document_id, ocr_status=Document.OcrStatus.DONE
        ).exists()

    assert wait_for(read), list(
        Document.objects.values_list("status", "ocr_status", "ocr_failure")
    )
    body = phone.get(f"/api/v1/receipts/{document_id}/").json()
    assert body["status"] == "ready"
    assert body["fields"]["date"]["value"] == "2018-12-25"
    assert body["fields"]["total"]["value"] == "80.90"
    assert 0 < body["fields"]["total"]["confidence"] <= 1
    assert "JOHOR" in body["text"].upper()
