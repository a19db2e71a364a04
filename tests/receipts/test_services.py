import io
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mamut.errors import ApplicationError
from receipts.models import Document, IdempotencyRecord
from receipts.services import (
    IncomingPage,
    StoredResponse,
    document_receive,
    idempotent_call,
)
from tests.receipts.factories import UserFactory, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def incoming(data: bytes) -> IncomingPage:
    return IncomingPage(file=io.BytesIO(data), size=len(data))


def test_receive_stores_each_page_under_a_server_made_name(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        document = document_receive(
            user=user,
            kind="receipt",
            note="Lunch met klant",
            pages=[incoming(jpeg_bytes()), incoming(png_bytes())],
        )

    pages = list(document.pages.all())
    assert [page.file_type for page in pages] == ["jpg", "png"]
    assert pages[0].original.name == f"documents/{document.pk}/original-1.jpg"
    assert pages[0].original.read() == jpeg_bytes()
    assert document.status == Document.Status.RECEIVED
    assert [c.status for c in document.status_changes.all()] == ["received"]
    assert len(callbacks) == 1  # processing is queued only after the commit


def test_receive_decides_the_type_from_the_bytes_not_the_name():
    user = UserFactory()
    html = b"<html><script>alert(1)</script></html>"

    with pytest.raises(ApplicationError) as error:
        document_receive(user=user, kind="receipt", pages=[incoming(html)])

    assert error.value.code == "unsupported_media_type"
    assert error.value.status_code == 415
    assert not Document.objects.exists()


def test_empty_file_is_invalid():
    with pytest.raises(ApplicationError) as error:
        document_receive(user=UserFactory(), kind="receipt", pages=[incoming(b"")])

    assert error.value.code == "invalid_file"


def test_unknown_kind_is_refused_with_a_field_error():
    with pytest.raises(ApplicationError) as error:
        document_receive(user=UserFactory(), kind="bon", pages=[incoming(jpeg_bytes())])

    assert error.value.fields and "kind" in error.value.fields


def test_too_many_pages_is_too_large(settings):
    settings.RECEIPTS_MAX_PAGES = 2
    pages = [incoming(jpeg_bytes()) for _ in range(3)]

    with pytest.raises(ApplicationError) as error:
        document_receive(user=UserFactory(), kind="receipt", pages=pages)

    assert (error.value.code, error.value.status_code) == ("too_large", 413)


def test_a_page_at_the_size_limit_is_accepted_and_one_byte_more_is_not(settings):
    data = jpeg_bytes()
    settings.RECEIPTS_MAX_FILE_BYTES = len(data)
    document_receive(user=UserFactory(), kind="receipt", pages=[incoming(data)])

    settings.RECEIPTS_MAX_FILE_BYTES = len(data) - 1
    with pytest.raises(ApplicationError) as error:
        document_receive(user=UserFactory(), kind="receipt", pages=[incoming(data)])
    assert error.value.code == "too_large"


def test_quota_counts_the_users_documents_outside_the_trash(settings):
    user = UserFactory()
    data = jpeg_bytes()
    settings.RECEIPTS_USER_QUOTA_BYTES = len(data) * 2
    document_receive(user=user, kind="receipt", pages=[incoming(data)])
    first = document_receive(user=user, kind="receipt", pages=[incoming(data)])

    with pytest.raises(ApplicationError) as error:
        document_receive(user=user, kind="receipt", pages=[incoming(data)])
    assert error.value.code == "quota_exceeded"

    Document.objects.filter(pk=first.pk).update(deleted_at="2026-01-01T00:00:00Z")
    document_receive(user=user, kind="receipt", pages=[incoming(data)])


def _created(status: int = 201) -> StoredResponse:
    return StoredResponse(status, {"id": str(uuid.uuid4())})


def test_same_key_and_payload_returns_the_first_answer_once():
    user = UserFactory()
    key = uuid.uuid4()
    calls = []

    def call() -> StoredResponse:
        calls.append(1)
        return _created()

    first = idempotent_call(user=user, key=key, fingerprint="a", call=call)
    again = idempotent_call(user=user, key=key, fingerprint="a", call=call)

    assert again == first
    assert len(calls) == 1


def test_same_key_with_another_payload_is_refused():
    user = UserFactory()
    key = uuid.uuid4()
    idempotent_call(user=user, key=key, fingerprint="a", call=_created)

    with pytest.raises(ApplicationError) as error:
        idempotent_call(user=user, key=key, fingerprint="b", call=_created)

    assert (error.value.code, error.value.status_code) == (
        "idempotency_key_reused",
        422,
    )


def test_same_key_while_the_first_is_running_is_a_conflict():
    user = UserFactory()
    key = uuid.uuid4()
    IdempotencyRecord.objects.create(user=user, key=key, fingerprint="a")

    with pytest.raises(ApplicationError) as error:
        idempotent_call(user=user, key=key, fingerprint="a", call=_created)

    assert (error.value.code, error.value.status_code) == ("request_in_progress", 409)


def test_a_first_call_that_never_finished_is_taken_over_by_a_later_retry(settings):
    settings.RECEIPTS_IDEMPOTENCY_STALE_SECONDS = 300
    user = UserFactory()
    key = uuid.uuid4()
    # The process of the first upload was killed after it recorded the key.
    lost = IdempotencyRecord.objects.create(user=user, key=key, fingerprint="a")
    IdempotencyRecord.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - timedelta(seconds=301)
    )

    response = idempotent_call(user=user, key=key, fingerprint="a", call=_created)
    again = idempotent_call(user=user, key=key, fingerprint="a", call=_created)

    assert response.status == 201
    assert again == response
    record = IdempotencyRecord.objects.get(user=user, key=key)
    assert record.state == IdempotencyRecord.State.DONE


@pytest.mark.django_db(transaction=True)
def test_a_slow_first_call_taken_over_by_a_retry_neither_finishes_nor_frees_it(
    settings,
):
    settings.RECEIPTS_IDEMPOTENCY_STALE_SECONDS = 300
    user = UserFactory()
    key = uuid.uuid4()

    def retry_claims() -> None:  # another request, on its own connection
        try:
            IdempotencyRecord.objects.filter(user=user, key=key).update(
                created_at=timezone.now() + timedelta(seconds=1)
            )
        finally:
            connection.close()

    def slow_first() -> StoredResponse:
        # Still running when the stale limit passed, and a retry took the key over.
        thread = threading.Thread(target=retry_claims)
        thread.start()
        thread.join()
        return _created()

    with pytest.raises(ApplicationError) as error:
        idempotent_call(user=user, key=key, fingerprint="a", call=slow_first)

    assert (error.value.code, error.value.status_code) == ("request_in_progress", 409)
    record = IdempotencyRecord.objects.get(user=user, key=key)  # the retry's, kept
    assert record.state == IdempotencyRecord.State.IN_PROGRESS


def test_keys_are_scoped_to_the_user():
    key = uuid.uuid4()
    idempotent_call(user=UserFactory(), key=key, fingerprint="a", call=_created)

    response = idempotent_call(
        user=UserFactory(), key=key, fingerprint="b", call=_created
    )

    assert response.status == 201


def test_a_failed_call_frees_the_key_for_a_retry():
    user = UserFactory()
    key = uuid.uuid4()

    def failing() -> StoredResponse:
        raise ApplicationError("nope", code="invalid_file")

    with pytest.raises(ApplicationError):
        idempotent_call(user=user, key=key, fingerprint="a", call=failing)

    assert idempotent_call(user=user, key=key, fingerprint="a", call=_created)
