"""Faults of the services behind the API: nothing is lost, everything ends clearly."""

import hashlib
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from knox.models import AuthToken

from conftest import WorkerProcess, service_env
from receipts.models import Document
from tests.full_disk import disk_freed, disk_full, hit_path
from tests.receipts.factories import mobile_user
from tests.services.conftest import BASE_DIR, WebProcess, free_port, wait_until
from tests.services.test_processing_worker import large_photo

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"
RECEIPTS = ["sroie-000.jpg", "sroie-001.jpg", "sroie-003.jpg", "sroie-019.jpg"]
OUTAGE_SECONDS = 30


def upload(
    web: WebProcess, token: str, name: str, data: bytes | None = None
) -> httpx.Response:
    return httpx.post(
        f"{web.url}/api/v1/receipts/",
        headers={
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": str(uuid.uuid4()),
        },
        data={"kind": "receipt"},
        files={
            "file": (name, data if data is not None else (DATA / name).read_bytes())
        },
        timeout=60,
    )


def test_uploads_while_redis_is_down_for_30_seconds_are_accepted_and_processed_after(
    active_scanner, private_redis, settings
):
    _, token = AuthToken.objects.create(mobile_user())
    env = service_env(
        settings,
        REDIS_URL=private_redis.url,
        RECEIPTS_SWEEP_INTERVAL_SECONDS="2",
        RECEIPTS_SWEEP_AFTER_SECONDS="3",
        RECEIPTS_OCR_ENABLED="false",
    )
    web = WebProcess(env, free_port()).start()
    schedule = Path(settings.MEDIA_ROOT).parent / "beat-schedule"
    worker = WorkerProcess(env, "--beat", f"--schedule={schedule}").start()
    try:
        answers = [upload(web, token, RECEIPTS[0])]  # before the outage
        private_redis.stop()
        stopped = time.monotonic()
        health = httpx.get(f"{web.url}/healthz", timeout=10)
        while time.monotonic() - stopped < OUTAGE_SECONDS:
            answers.append(upload(web, token, RECEIPTS[len(answers) % 4]))
            time.sleep(1)  # a phone sending one photo after another
        private_redis.start()
        answers.append(upload(web, token, RECEIPTS[1]))  # after the outage

        assert [a.status_code for a in answers] == [201] * len(answers), [
            a.text for a in answers if a.status_code != 201
        ]
        assert len(answers) >= 7  # uploads all through the outage
        assert health.status_code == 503
        assert health.json()["broker"] == "unreachable"

        ids = [a.json()["id"] for a in answers]
        wait_until(
            lambda: (
                Document.objects.filter(pk__in=ids, status="ready").count() == len(ids)
            ),
            180,
            "processing of every upload",
        )
        assert web.alive()
        assert worker.poll() is None
    finally:
        worker.stop()
        web.stop()


SEED = """
import django

django.setup()

from knox.models import AuthToken

from conftest import activate_scanner
from tests.receipts.factories import mobile_user
from users.models import User

activate_scanner(User.objects.create_superuser("admin@example.com", "Geheim-W8woord"))
print(AuthToken.objects.create(mobile_user())[1])
"""


def document_of(web: WebProcess, token: str, document_id: str) -> dict | None:
    """The document as the app sees it; None while the web cannot answer."""
    try:
        answer = httpx.get(
            f"{web.url}/api/v1/receipts/{document_id}/",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
    except httpx.HTTPError:
        return None
    return answer.json() if answer.status_code == 200 else None


def test_postgresql_restarted_during_processing_loses_no_document(
    private_postgres, private_redis, settings
):
    env = service_env(
        settings,
        DATABASE_URL=private_postgres.url(),
        REDIS_URL=private_redis.url,
        RECEIPTS_OCR_ENABLED="false",
        RECEIPTS_MAX_FILE_BYTES="200000000",
        RECEIPTS_MAX_REQUEST_BYTES="200000000",
    )
    run = {"cwd": BASE_DIR, "env": env, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    seeded = subprocess.run([sys.executable, "-c", SEED], text=True, **run)
    token = seeded.stdout.strip().splitlines()[-1]
    web = WebProcess(env, free_port()).start()
    worker = WorkerProcess(env).start()
    try:
        photo = large_photo(3000)
        ids = [upload(web, token, "photo.png", photo).json()["id"] for _ in range(4)]

        def status(document_id: str) -> str:
            document = document_of(web, token, document_id)
            return document["status"] if document else "unknown"

        wait_until(
            lambda: any(status(i) == "processing" for i in ids),
            180,
            "processing of an upload",
        )
        private_postgres.restart()

        def settled() -> bool:
            return all(status(i) in ("ready", "failed") for i in ids)

        wait_until(settled, 240, "every document ready or failed")
        for document_id in ids:
            document = document_of(web, token, document_id)
            assert document["status"] in ("ready", "failed")
            if document["status"] == "failed":
                assert document["failure"]["code"], document
                assert document["failure"]["detail"], document
        # The same worker carries on with a new upload.
        new = upload(web, token, RECEIPTS[0]).json()["id"]
        wait_until(lambda: status(new) == "ready", 120, "processing after the restart")
        assert worker.poll() is None
        assert web.alive()
    finally:
        worker.stop()
        web.stop()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_full_disk_refuses_uploads_clearly_and_keeps_every_original(
    active_scanner, settings
):
    _, token = AuthToken.objects.create(mobile_user())
    env = service_env(
        settings,
        DJANGO_SETTINGS_MODULE="tests.services.full_disk_settings",
        RECEIPTS_PROCESSING_MAX_RETRIES="3",
        RECEIPTS_OCR_ENABLED="false",
    )
    web = WebProcess(env, free_port()).start()
    worker = WorkerProcess(env).start()
    try:
        # Full while the upload is written: refused, nothing half-saved.
        disk_full("all")
        refused = upload(web, token, RECEIPTS[0])

        assert refused.status_code == 507
        assert refused.json()["code"] == "storage_full"
        assert refused.json()["detail"]
        assert int(refused.headers["Retry-After"]) > 0
        assert not Document.objects.exists()
        assert files_under(Path(settings.MEDIA_ROOT)) == []

        # Full while it is processed, and stays full: failed with the reason, the
        # original kept as it came.
        disk_full("derived")
        failing = upload(web, token, RECEIPTS[1]).json()["id"]
        wait_until(
            lambda: Document.objects.filter(pk=failing, status="failed").exists(),
            120,
            "the document on a full disk to fail",
        )
        document = Document.objects.get(pk=failing)
        assert document.failure_code == "storage_full"
        assert document.failure_detail
        page = document.pages.get()
        with page.original.open("rb") as original:
            assert hashlib.sha256(original.read()).hexdigest() == page.sha256

        # Full when processing starts, freed while it is retried: ready.
        hit_path().unlink(missing_ok=True)
        recovering = upload(web, token, RECEIPTS[2]).json()["id"]
        wait_until(hit_path().exists, 120, "the worker meeting the full disk")
        disk_freed()
        wait_until(
            lambda: Document.objects.filter(pk=recovering, status="ready").exists(),
            120,
            "the document to be processed once there is room",
        )
        assert worker.poll() is None
        assert web.alive()
    finally:
        disk_freed()
        worker.stop()
        web.stop()
