"""Every file of the hostile corpus through the upload API, processed in-process:
refused with a 4xx and a code, or received and then failed with a reason (or ready,
for a good picture whose broken EXIF is dropped); never a 5xx."""

import io
import uuid

import pytest
from django.conf import settings

from receipts.models import Document
from tests.hostile_files import corpus
from tests.receipts.factories import mobile_user
from tests.receipts.test_apis import URL, sign_in

pytestmark = pytest.mark.django_db

CORPUS = corpus(settings.RECEIPTS_MAX_FILE_BYTES)


@pytest.fixture
def phone(active_scanner):
    return sign_in(mobile_user())[0]


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.name for h in CORPUS])
def test_a_hostile_upload_is_refused_or_fails_with_a_reason(
    hostile, phone, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(
            URL,
            {"kind": "receipt", "file": [io.BytesIO(hostile.data)]},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )

    assert response.status_code == hostile.status, response.content[:300]
    if hostile.refused:
        assert response.json()["code"] == hostile.code
        assert response.json()["detail"]
        assert not Document.objects.exists()
        return
    document = phone.get(f"{URL}{response.json()['id']}/").json()
    if hostile.code:
        assert document["status"] == "failed"
        assert document["failure"]["code"] == hostile.code
        assert document["failure"]["detail"]
    else:
        assert document["status"] == "ready"
        assert phone.get(document["pdf_url"]).status_code == 200


def test_why_a_document_failed_is_told_in_the_phones_language(
    phone, django_capture_on_commit_callbacks
):
    truncated = next(h for h in CORPUS if h.name == "truncated jpeg, half")
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(
            URL,
            {"kind": "receipt", "file": [io.BytesIO(truncated.data)]},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
    detail = f"{URL}{response.json()['id']}/"

    dutch = phone.get(detail, HTTP_ACCEPT_LANGUAGE="nl").json()["failure"]
    english = phone.get(detail, HTTP_ACCEPT_LANGUAGE="en").json()["failure"]

    assert dutch == {
        "code": "invalid_file",
        "detail": "Het bestand is beschadigd of onvolledig en kan niet worden gelezen.",
    }
    assert english == {
        "code": "invalid_file",
        "detail": "The file is damaged or incomplete and cannot be read.",
    }
