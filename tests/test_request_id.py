"""Each request has a request id: answered in X-Request-ID, on each of its log lines."""

import io
import json
import logging
import re
import uuid
from pathlib import Path

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from mamut.logs import RequestIdFilter
from receipts.models import Document
from tests.receipts.factories import mobile_user
from tests.test_settings import run_python

BASE_DIR = Path(__file__).resolve().parent.parent
DATA = BASE_DIR / "tests" / "data" / "receipts"
GENERATED = re.compile(r"^[0-9a-f]{32}$")


@pytest.mark.django_db
def test_a_request_without_an_id_is_given_a_new_one(client):
    first = client.get("/healthz")
    second = client.get("/healthz")

    assert GENERATED.match(first["X-Request-ID"])
    assert GENERATED.match(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_a_uuid_from_the_proxy_is_kept_and_anything_else_replaced(client):
    sent = str(uuid.uuid4())

    kept = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    long = client.get("/healthz", HTTP_X_REQUEST_ID="a" * 5000)

    assert kept["X-Request-ID"] == sent
    assert GENERATED.match(hostile["X-Request-ID"])
    assert GENERATED.match(long["X-Request-ID"])


@pytest.mark.django_db(transaction=True)
def test_the_log_lines_of_an_upload_carry_its_request_id(
    active_scanner, caplog, settings
):
    """The upload's processing runs in-process here (no broker): its lines too."""
    settings.RECEIPTS_OCR_ENABLED = False
    _, token = AuthToken.objects.create(mobile_user())
    phone = APIClient()
    sent = uuid.uuid4().hex
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.INFO)
    caplog.clear()

    response = phone.post(
        "/api/v1/receipts/",
        {
            "kind": "receipt",
            "file": [io.BytesIO((DATA / "sroie-000.jpg").read_bytes())],
        },
        format="multipart",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        HTTP_X_REQUEST_ID=sent,
    )

    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == sent
    document = Document.objects.get(pk=response.json()["id"])
    assert document.status == "ready"
    ready = [
        r for r in caplog.records if f"Document {document.pk} is ready" in r.message
    ]
    assert len(ready) == 1
    assert {r.request_id for r in caplog.records} == {sent}


LOG_ONE_LINE = """
import logging, django
django.setup()
from django_guid import set_guid
set_guid("4b5c0b6f1f7e4a0b9a3c2d1e0f9a8b7c")
logging.getLogger("receipts.pipeline").info("Document %s is ready", "d-1")
"""


def log_one_line(settings_module: str, **extra: str) -> str:
    result = run_python(
        LOG_ONE_LINE,
        settings_module,
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="scanner.example.com",
        **extra,
    )
    return result.stderr.strip().splitlines()[-1]


def test_production_logs_one_json_object_a_line_with_the_request_id():
    line = json.loads(log_one_line("mamut.settings.production"))

    assert line["request_id"] == "4b5c0b6f1f7e4a0b9a3c2d1e0f9a8b7c"
    assert line["message"] == "Document d-1 is ready"
    assert line["level"] == "INFO"
    assert line["name"] == "receipts.pipeline"
    assert "time" in line


def test_local_logs_are_plain_text_unless_json_is_asked_for():
    plain = log_one_line("mamut.settings.local")
    asked = log_one_line("mamut.settings.local", DJANGO_LOG_FORMAT="json")

    assert plain.endswith(
        "INFO [4b5c0b6f1f7e4a0b9a3c2d1e0f9a8b7c] receipts.pipeline "
        "Document d-1 is ready"
    )
    assert json.loads(asked)["request_id"] == "4b5c0b6f1f7e4a0b9a3c2d1e0f9a8b7c"


def test_an_unknown_log_format_is_refused_with_the_choices():
    result = run_python(
        "import django; django.setup()",
        "mamut.settings.local",
        check=False,
        DJANGO_LOG_FORMAT="xml",
    )

    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be 'plain' or 'json'" in result.stderr
