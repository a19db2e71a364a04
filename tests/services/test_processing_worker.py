"""Uploads processed by a real Celery worker over Redis, on PostgreSQL."""

import io
import os
import signal
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from PIL import Image
from rest_framework.test import APIClient

from receipts import pipeline
from receipts.models import Document
from receipts.tasks import document_process
from tests.receipts.factories import mobile_user

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]

DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"


def phone_for(user) -> APIClient:
    _, token = AuthToken.objects.create(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def upload(client: APIClient, data: bytes, key: str | None = None):
    return client.post(
        "/api/v1/receipts/",
        {"kind": "receipt", "file": [io.BytesIO(data)]},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
    )


def wait_for(predicate, timeout: float = 60, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def all_ready(ids) -> bool:
    return Document.objects.filter(pk__in=ids, status="ready").count() == len(ids)


def test_uploads_are_processed_by_the_worker(active_scanner, celery_worker_process):
    client = phone_for(mobile_user())
    ids = [
        upload(client, (DATA / name).read_bytes()).json()["id"]
        for name in ("sroie-000.jpg", "sroie-001.jpg", "sroie-003.jpg")
    ]

    assert wait_for(lambda: all_ready(ids)), list(
        Document.objects.values_list("status", "failure_code")
    )
    assert client.get(f"/api/v1/receipts/{ids[0]}/thumbnail/").status_code == 200


def test_twenty_concurrent_uploads_with_one_key_make_one_document(active_scanner):
    client = phone_for(mobile_user())
    data = (DATA / "sroie-000.jpg").read_bytes()
    key = str(uuid.uuid4())
    answers: list[int] = []
    start = threading.Barrier(20)

    def send() -> None:
        try:
            start.wait()
            answers.append(upload(client, data, key=key).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Document.objects.count() == 1
    assert answers.count(201) >= 1
    assert set(answers) <= {201, 409}


def large_photo() -> bytes:
    """A 36 MP PNG: decoded in full, so processing takes long enough to interrupt."""
    image = Image.effect_noise((6000, 6000), 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def test_a_worker_killed_mid_task_loses_no_document(
    active_scanner, celery_worker_process, settings
):
    settings.RECEIPTS_MAX_FILE_BYTES = 200_000_000
    settings.RECEIPTS_MAX_REQUEST_BYTES = 200_000_000
    client = phone_for(mobile_user())
    ids = [upload(client, large_photo()).json()["id"] for _ in range(2)]

    assert wait_for(
        lambda: Document.objects.filter(pk__in=ids, status="processing").exists(),
        timeout=60,
        step=0.01,
    )
    os.kill(celery_worker_process.pid, signal.SIGKILL)
    celery_worker_process.wait()
    assert not all_ready(ids)

    restarted = celery_worker_process.restart()
    # The sweeper, as beat runs it, once the timeouts have passed.
    later = timezone.now() + timedelta(hours=1)
    for document_id in pipeline.documents_stuck_claim(now=later):
        document_process.delay(str(document_id))

    assert wait_for(lambda: all_ready(ids), timeout=120), list(
        Document.objects.values_list("status", "failure_code")
    )
    assert restarted.poll() is None  # the worker is alive


def png_declaring(width: int, height: int) -> bytes:
    """A tiny valid PNG that declares a huge size: a decompression bomb."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def test_hostile_files_end_failed_with_a_reason_and_the_worker_lives_on(
    active_scanner, celery_worker_process
):
    client = phone_for(mobile_user())
    receipt = (DATA / "sroie-000.jpg").read_bytes()
    hostile = {
        "truncated": receipt[:5000],
        "bomb": png_declaring(60_000, 60_000),
        "garbage-after-magic": b"\xff\xd8\xff\xe0" + os.urandom(4000),
    }
    ids = {name: upload(client, data).json()["id"] for name, data in hostile.items()}
    good = upload(client, receipt).json()["id"]

    assert wait_for(lambda: all_ready([good]), timeout=60)
    assert wait_for(
        lambda: (
            Document.objects.filter(pk__in=ids.values(), status="failed").count() == 3
        ),
        timeout=60,
    )
    codes = dict(
        Document.objects.filter(pk__in=ids.values()).values_list("pk", "failure_code")
    )
    assert codes[uuid.UUID(ids["bomb"])] == "too_large"
    assert codes[uuid.UUID(ids["truncated"])] == "invalid_file"
    assert all(
        Document.objects.filter(pk__in=ids.values()).values_list(
            "failure_detail", flat=True
        )
    )
    assert celery_worker_process.poll() is None
