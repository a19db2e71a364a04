"""Media in S3-compatible object storage: the same pipeline, files in a bucket.

The bucket is served by moto's S3 server on loopback: a real S3 API over HTTP, since
no object store can be reached from here.
"""

import io
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from receipts import pipeline
from receipts.models import Document
from receipts.services import IncomingPage, document_receive
from tests.receipts.factories import UserFactory
from tests.services.conftest import free_port

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"
BUCKET = "mamut-media"


@pytest.fixture
def bucket(settings, monkeypatch):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": None,
                "file_overwrite": True,
            },
        },
    }
    yield s3
    server.stop()


def test_a_document_is_stored_and_processed_in_the_bucket(bucket):
    data = (DATA / "sroie-000.jpg").read_bytes()
    document = document_receive(
        user=UserFactory(),
        kind="receipt",
        pages=[IncomingPage(file=io.BytesIO(data), size=len(data))],
    )

    pipeline.document_process(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == Document.Status.READY
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    page = document.pages.get()
    assert {page.original.name, page.preview.name, page.thumbnail.name} <= keys
    assert document.pdf.name in keys
    original = bucket.get_object(Bucket=BUCKET, Key=page.original.name)["Body"].read()
    assert original == data
