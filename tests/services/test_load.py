"""Many phones at once against gunicorn and a real worker: nothing refused, none lost.

The same code as ``make bench``'s load run (bench/load.py), smaller; never timings.
"""

import json
import uuid

import httpx
import pytest
from knox.models import AuthToken

from bench.load import LoadRun, receipt_files, run_uploads, wait_ready
from conftest import WorkerProcess, service_env
from receipts.models import Document
from tests.receipts.factories import mobile_user
from tests.services.conftest import WebProcess, free_port

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def servers(active_scanner, settings, tmp_path):
    """gunicorn and a worker (OCR off: "ready" is the end of image processing) with
    JSON logs, as in production."""
    env = service_env(settings, RECEIPTS_OCR_ENABLED="false", DJANGO_LOG_FORMAT="json")
    worker = WorkerProcess(env)
    worker.log.flush()
    log_start = worker.log.tell()
    worker.start()
    web = WebProcess(env, free_port(), access_log=tmp_path / "access.log")
    try:
        web.start()
        yield web, worker, log_start
    finally:
        web.stop()
        worker.stop()
        worker.log.close()


def test_forty_uploads_from_eight_phones_all_end_ready(servers):
    web, _, _ = servers
    tokens = [AuthToken.objects.create(mobile_user())[1] for _ in range(8)]

    run = run_uploads(web.url, tokens, receipt_files(), uploads=40, clients=8)
    wait_ready(web.url, run, timeout=240)

    assert run.errors == []
    assert run.lost == []
    assert len(run.documents) == 40
    assert Document.objects.filter(status="ready").count() == 40
    assert web.alive()


def test_the_access_log_and_the_worker_log_an_upload_under_its_request_id(servers):
    web, worker, log_start = servers
    _, token = AuthToken.objects.create(mobile_user())
    name, data = receipt_files()[0]

    answer = httpx.post(
        f"{web.url}/api/v1/receipts/",
        headers={
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": str(uuid.uuid4()),
        },
        data={"kind": "receipt"},
        files={"file": (name, data, "image/jpeg")},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    request_id = answer.headers["X-Request-ID"]
    document = answer.json()["id"]
    run = wait_ready_one(web.url, token, document)
    assert run.lost == []

    with open(worker.log.name, encoding="utf-8", errors="replace") as log:
        log.seek(log_start)
        lines = [json.loads(line) for line in log if line.startswith("{")]
    ready = [
        line for line in lines if f"Document {document} is ready" in line["message"]
    ]
    assert [line["request_id"] for line in ready] == [request_id]
    succeeded = [
        line
        for line in lines
        if "receipts.process_document" in line["message"]
        and "succeeded" in line["message"]
        and line["request_id"] == request_id
    ]
    assert len(succeeded) == 1
    web.stop()  # flushes the access log
    access = (web.access_log).read_text().splitlines()
    posted = [line for line in access if '"POST /api/v1/receipts/ ' in line]
    assert len(posted) == 1
    assert posted[0].endswith(f"request_id={request_id}")


def test_one_gunicorn_worker_keeps_a_phones_connection_open_between_requests(
    active_scanner, settings
):
    """gunicorn.conf.py: threaded workers keep the connection alive (a sync worker
    closed it after every answer, and the phone opened a new one per upload)."""
    web = WebProcess(service_env(settings), free_port(), workers=1).start()
    try:
        local_ends = set()
        with httpx.Client(base_url=web.url, timeout=30) as http:
            answers = []
            for _ in range(3):
                answers.append(http.get("/healthz"))
                stream = answers[-1].extensions["network_stream"]
                local_ends.add(stream.get_extra_info("client_addr"))
    finally:
        web.stop()

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len(local_ends) == 1
    assert answers[-1].headers.get("connection", "").lower() != "close"


def wait_ready_one(url: str, token: str, document: str) -> LoadRun:
    run = LoadRun(uploads=1, clients=1, documents={document: token})
    return wait_ready(url, run, timeout=120)
