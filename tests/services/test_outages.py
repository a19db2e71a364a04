"""Faults of the services behind the API: nothing is lost, everything ends clearly."""

import uuid
from pathlib import Path

import httpx
import pytest
from knox.models import AuthToken

from conftest import WorkerProcess, service_env
from receipts.models import Document
from tests.receipts.factories import mobile_user
from tests.services.conftest import WebProcess, free_port, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"
RECEIPTS = ["sroie-000.jpg", "sroie-001.jpg", "sroie-003.jpg", "sroie-019.jpg"]


def upload(web: WebProcess, token: str, name: str) -> httpx.Response:
    return httpx.post(
        f"{web.url}/api/v1/receipts/",
        headers={
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": str(uuid.uuid4()),
        },
        data={"kind": "receipt"},
        files={"file": (name, (DATA / name).read_bytes())},
        timeout=30,
    )


def test_uploads_while_redis_is_down_are_accepted_and_processed_after(
    active_scanner, private_redis, settings
):
    _, token = AuthToken.objects.create(mobile_user())
    env = service_env(
        settings,
        REDIS_URL=private_redis.url,
        RECEIPTS_SWEEP_INTERVAL_SECONDS="2",
        RECEIPTS_SWEEP_AFTER_SECONDS="3",
    )
    web = WebProcess(env, free_port()).start()
    schedule = Path(settings.MEDIA_ROOT).parent / "beat-schedule"
    worker = WorkerProcess(env, "--beat", f"--schedule={schedule}").start()
    try:
        private_redis.stop()

        answers = [upload(web, token, RECEIPTS[n % 4]) for n in range(10)]

        assert [a.status_code for a in answers] == [201] * 10, answers[0].text
        health = httpx.get(f"{web.url}/healthz", timeout=5)
        assert health.status_code == 503
        assert health.json()["broker"] == "unreachable"

        private_redis.start()

        ids = [a.json()["id"] for a in answers]
        wait_until(
            lambda: Document.objects.filter(pk__in=ids, status="ready").count() == 10,
            120,
            "processing of the ten documents",
        )
        assert web.alive()
        assert worker.poll() is None
    finally:
        worker.stop()
        web.stop()
