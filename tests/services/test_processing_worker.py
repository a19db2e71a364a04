"""Uploads processed by a real Celery worker over Redis, on PostgreSQL."""

import io
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from PIL import Image
from rest_framework.test import APIClient

from conftest import WorkerProcess, service_env
from receipts import pipeline
from receipts.models import Document
from receipts.tasks import document_process
from tests.hostile_files import corpus
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


def large_photo(side: int = 4000) -> bytes:
    """A noise PNG (16 MP by default): decoded in full, so processing takes long
    enough to interrupt."""
    image = Image.effect_noise((side, side), 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


@pytest.fixture
def worker_without_ocr(transactional_db, settings) -> Iterator[WorkerProcess]:
    """A real worker that processes but does not read text (Tesseract on noise takes
    long, and reading is not what these tests are about)."""
    worker = WorkerProcess(service_env(settings, RECEIPTS_OCR_ENABLED="false"))
    try:
        yield worker.start()
    finally:
        worker.stop()
        worker.log.close()


def test_a_worker_killed_three_times_mid_task_loses_no_document(
    active_scanner, worker_without_ocr, settings
):
    settings.RECEIPTS_MAX_FILE_BYTES = 200_000_000
    settings.RECEIPTS_MAX_REQUEST_BYTES = 200_000_000
    client = phone_for(mobile_user())
    photo = large_photo()
    ids = [upload(client, photo).json()["id"] for _ in range(6)]
    worker, killed = worker_without_ocr, []

    for _ in range(3):
        # A document whose processing runs now (not one killed before): kill -9.
        running = Document.objects.filter(pk__in=ids, status="processing").exclude(
            pk__in=killed
        )
        assert wait_for(running.exists, timeout=180, step=0.01), list(
            Document.objects.values_list("status", "failure_code")
        )
        killed.append(running.values_list("pk", flat=True).first())
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
        # Not waiting for it to answer: it takes the next document meanwhile.
        worker = worker.restart(wait=False)

    # SIGKILL leaves no chance to hand the message back: each killed document stays
    # "processing" and Redis would deliver its message again only after the broker's
    # visibility timeout. The sweeper queues them again, as beat runs it once the
    # task's time limit has passed.
    assert Document.objects.filter(pk__in=killed, status="processing").count() == 3
    later = timezone.now() + timedelta(hours=1)
    for document_id in pipeline.documents_stuck_claim(now=later):
        document_process.delay(str(document_id))

    assert wait_for(lambda: all_ready(ids), timeout=300), list(
        Document.objects.values_list("status", "failure_code")
    )
    assert worker.poll() is None  # the worker is alive
    # Each killed document counted one attempt that crashed, then one that finished.
    assert set(
        Document.objects.filter(pk__in=killed).values_list(
            "processing_attempts", flat=True
        )
    ) == {2}


def test_hostile_files_end_failed_with_a_reason_and_the_worker_lives_on(
    active_scanner, worker_without_ocr
):
    client = phone_for(mobile_user())
    accepted = {}
    for hostile in corpus(settings.RECEIPTS_MAX_FILE_BYTES):
        answer = upload(client, hostile.data)
        assert answer.status_code == hostile.status, (hostile.name, answer.content)
        if hostile.refused:
            assert answer.json()["code"] == hostile.code, hostile.name
        else:
            accepted[answer.json()["id"]] = hostile

    def settled() -> bool:
        return not Document.objects.filter(
            pk__in=accepted, status__in=["received", "processing"]
        ).exists()

    assert wait_for(settled, timeout=180), list(
        Document.objects.values_list("status", "failure_code")
    )
    for document_id, hostile in accepted.items():
        document = client.get(f"/api/v1/receipts/{document_id}/").json()
        assert document["status"] == ("failed" if hostile.code else "ready"), (
            hostile.name
        )
        if hostile.code:
            assert document["failure"]["code"] == hostile.code, hostile.name
            assert document["failure"]["detail"], hostile.name

    # After the whole corpus the same worker still processes a good receipt.
    good = upload(client, (DATA / "sroie-000.jpg").read_bytes()).json()["id"]
    assert wait_for(lambda: all_ready([good]), timeout=120)
    assert worker_without_ocr.poll() is None
