"""The mobile document API, one test per row of the contract."""

import io
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from receipts.models import Document, MobileDevice
from tests.receipts.factories import jpeg_bytes, png_bytes
from tests.receipts.factories import mobile_user as registered_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/receipts/"
DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"


def sign_in(user) -> tuple[APIClient, str]:
    instance, token = AuthToken.objects.create(user)
    MobileDevice.objects.create(token=instance, name="Pixel 8")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client, token


@pytest.fixture
def mobile_user(active_scanner):
    return registered_user()


@pytest.fixture
def phone(active_scanner, mobile_user) -> APIClient:
    return sign_in(mobile_user)[0]


def upload(client: APIClient, *pages: bytes, key: str | None = None, **fields):
    data = {"kind": "receipt", **fields}
    data["file"] = [
        io.BytesIO(page) if isinstance(page, bytes) else page for page in pages
    ]
    headers = {"HTTP_IDEMPOTENCY_KEY": key or str(uuid.uuid4())}
    return client.post(URL, data, format="multipart", **headers)


def test_upload_of_two_pages_is_received(phone):
    response = upload(phone, jpeg_bytes(), png_bytes(), note="Taxi")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "status", "kind", "pages", "url"}
    assert body["status"] == "received"
    assert body["pages"] == 2
    assert body["url"].endswith(f"/api/v1/receipts/{body['id']}/")
    document = Document.objects.get(pk=body["id"])
    assert document.note == "Taxi"
    assert document.pages.count() == 2


def test_upload_without_idempotency_key_is_refused(phone):
    response = phone.post(URL, {"kind": "receipt", "file": [io.BytesIO(jpeg_bytes())]})

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"
    assert not Document.objects.exists()


def test_same_key_and_payload_returns_the_first_answer_and_creates_nothing(phone):
    key = str(uuid.uuid4())
    first = upload(phone, jpeg_bytes(), key=key)
    again = upload(phone, jpeg_bytes(), key=key)

    assert again.status_code == 201
    assert again.json() == first.json()
    assert Document.objects.count() == 1


def test_same_key_with_another_payload_is_422(phone):
    key = str(uuid.uuid4())
    upload(phone, jpeg_bytes(), key=key)

    response = upload(phone, jpeg_bytes(color="black"), key=key)

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


def test_html_named_jpg_is_unsupported_media_type(phone):
    html = io.BytesIO(b"<html><script>alert(1)</script></html>")
    html.name = "bon.jpg"

    response = upload(phone, html)

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_empty_file_is_invalid_file(phone):
    empty = io.BytesIO(b"")
    empty.name = "leeg.jpg"

    response = upload(phone, empty)

    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_file", "invalid"}


def test_page_over_the_file_limit_is_too_large(phone, settings):
    data = jpeg_bytes(400, 400)
    settings.RECEIPTS_MAX_FILE_BYTES = len(data) - 1

    response = upload(phone, data)

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Document.objects.exists()


def test_request_over_the_request_limit_is_too_large(phone, settings):
    settings.RECEIPTS_MAX_REQUEST_BYTES = 1000

    response = upload(phone, jpeg_bytes(400, 400))

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_wrong_kind_is_a_field_error(phone):
    response = upload(phone, jpeg_bytes(), kind="bonnetje")

    assert response.status_code == 400
    assert "kind" in response.json()["fields"]


def test_note_over_500_characters_is_a_field_error(phone):
    response = upload(phone, jpeg_bytes(), note="x" * 501)

    assert response.status_code == 400
    assert "note" in response.json()["fields"]


def test_list_shows_own_documents_newest_first_with_status_filter(phone, mobile_user):
    first = upload(phone, jpeg_bytes()).json()["id"]
    second = upload(phone, png_bytes()).json()["id"]
    colleague = registered_user()
    upload(sign_in(colleague)[0], jpeg_bytes())
    Document.objects.filter(pk=first).update(status="ready")

    listed = phone.get(URL).json()
    ready = phone.get(URL, {"status": "ready"}).json()

    assert [d["id"] for d in listed["results"]] == [second, first]
    assert [d["id"] for d in ready["results"]] == [first]
    assert "next" in listed


def test_list_with_unknown_status_is_a_field_error(phone):
    response = phone.get(URL, {"status": "kwijt"})

    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_detail_has_every_field_of_the_contract(phone):
    document_id = upload(phone, jpeg_bytes(), note="Parkeren").json()["id"]

    body = phone.get(f"{URL}{document_id}/").json()

    assert {
        "id",
        "status",
        "kind",
        "note",
        "pages",
        "created_at",
        "failure",
        "duplicate_of",
        "linked",
        "voucher",
        "voucher_year",
        "fields",
        "text",
        "thumbnail_url",
        "preview_url",
        "pdf_url",
    } <= set(body)
    assert body["note"] == "Parkeren"
    assert body["failure"] is None
    assert body["linked"] is False
    assert (body["voucher"], body["voucher_year"]) == (None, None)


def test_another_users_document_is_404(phone, active_scanner):
    document_id = upload(phone, jpeg_bytes()).json()["id"]
    intruder = registered_user()
    client, _ = sign_in(intruder)

    assert client.get(f"{URL}{document_id}/").status_code == 404
    assert client.delete(f"{URL}{document_id}/").status_code == 404


def test_delete_moves_the_document_to_the_trash(phone):
    document_id = upload(phone, jpeg_bytes()).json()["id"]

    assert phone.delete(f"{URL}{document_id}/").status_code == 204

    assert phone.get(f"{URL}{document_id}/").status_code == 404
    assert Document.objects.get(pk=document_id).deleted_at is not None


# --- Who may call: the permission matrix --------------------------------------


def calls(document_id: str) -> list[tuple[str, str]]:
    return [
        ("get", URL),
        ("post", URL),
        ("get", f"{URL}{document_id}/"),
        ("delete", f"{URL}{document_id}/"),
    ]


@pytest.fixture
def someones_document(mobile_user, active_scanner) -> str:
    client, _ = sign_in(mobile_user)
    return upload(client, jpeg_bytes()).json()["id"]


def expired_token_client(user) -> APIClient:
    client, _ = sign_in(user)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(1))
    return client


def revoked_token_client(user) -> APIClient:
    client, _ = sign_in(user)
    AuthToken.objects.filter(user=user).delete()
    return client


def wrong_token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + "f" * 64)
    return client


@pytest.mark.parametrize(
    "make_client",
    [
        lambda user: APIClient(),
        wrong_token_client,
        expired_token_client,
        revoked_token_client,
    ],
    ids=["anonymous", "wrong-token", "expired-token", "revoked-token"],
)
def test_every_endpoint_answers_401_without_a_valid_token(
    make_client, mobile_user, someones_document
):
    client = make_client(mobile_user)
    for method, url in calls(someones_document):
        response = getattr(client, method)(url)
        assert response.status_code == 401, (method, url)
        assert response.json()["code"] == "not_authenticated"


def test_every_endpoint_answers_403_service_inactive(
    mobile_user, someones_document, active_scanner, scanner_off
):
    client, _ = sign_in(mobile_user)
    scanner_off()

    for method, url in calls(someones_document):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
        assert response.json()["code"] == "service_inactive"


def test_every_endpoint_answers_403_without_the_scanner_function(
    someones_document, active_scanner
):
    user = registered_user()
    client, _ = sign_in(user)
    user.groups.clear()

    for method, url in calls(someones_document):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
        assert response.json()["code"] == "permission_denied"


def test_inactive_account_gets_401(mobile_user, someones_document):
    client, _ = sign_in(mobile_user)
    mobile_user.is_active = False
    mobile_user.save()

    assert client.get(URL).status_code == 401


def test_errors_follow_accept_language(
    mobile_user, someones_document, active_scanner, scanner_off
):
    client, _ = sign_in(mobile_user)
    scanner_off()

    dutch = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl").json()["detail"]
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]

    assert english == "The Visma Mobile Scanner service is not active for this company."
    assert dutch == "De service Visma Mobile Scanner is niet actief voor dit bedrijf."


def test_using_a_token_records_when_the_phone_was_last_used(mobile_user, phone):
    MobileDevice.objects.update(last_used_at=timezone.now() - timedelta(hours=1))

    phone.get(URL)

    device = MobileDevice.objects.get()
    assert timezone.now() - device.last_used_at < timedelta(minutes=1)


def test_a_phone_used_again_within_a_minute_is_not_written_again(
    mobile_user, phone, django_assert_max_num_queries
):
    phone.get(URL)
    recorded = MobileDevice.objects.get().last_used_at

    with django_assert_max_num_queries(4) as queries:  # token, access, page
        phone.get(URL)

    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
    assert MobileDevice.objects.get().last_used_at == recorded


def test_an_upload_takes_a_bounded_number_of_statements(
    phone, django_assert_max_num_queries
):
    """Token (with its user and phone), access (one statement), the idempotency
    record, the quota, the company, three inserts, the stored answer, the commits:
    each statement is a round trip and PostgreSQL CPU on every upload (README,
    Performance), so more must be a choice, not an accident."""
    upload(phone, jpeg_bytes())  # the phone's "last used" and the token's renewal

    with django_assert_max_num_queries(15):
        response = upload(phone, jpeg_bytes(color="black"))

    assert response.status_code == 201


# --- Schema and docs ------------------------------------------------------------


def test_schema_is_served_and_names_every_error_code(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    text = response.content.decode()
    for code in [
        "idempotency_key_required",
        "idempotency_key_reused",
        "request_in_progress",
        "unsupported_media_type",
        "invalid_file",
        "too_large",
        "quota_exceeded",
        "not_authenticated",
        "service_inactive",
    ]:
        assert code in text, code


def test_docs_page_loads_its_assets_locally(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn" not in html.lower()


def test_schema_validates_against_openapi_3():
    from django.core.management import call_command

    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)

    assert "openapi: 3" in out.getvalue()


# --- Derived files ----------------------------------------------------------------


@pytest.fixture
def processed(phone, django_capture_on_commit_callbacks) -> dict:
    receipt = (DATA / "sroie-000.jpg").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        document_id = upload(phone, receipt).json()["id"]
    return phone.get(f"{URL}{document_id}/").json()


def test_processed_document_links_its_files(processed):
    assert processed["status"] == "ready"
    for key in ("thumbnail_url", "preview_url", "pdf_url"):
        assert processed[key].startswith("http://testserver/api/v1/receipts/")


@pytest.mark.parametrize(
    ("key", "content_type", "disposition"),
    [
        ("thumbnail_url", "image/jpeg", "inline"),
        ("preview_url", "image/jpeg", "inline"),
        ("pdf_url", "application/pdf", "attachment"),
    ],
)
def test_files_are_served_safely_to_their_owner(
    phone, processed, key, content_type, disposition
):
    response = phone.get(processed[key])

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    body = b"".join(response.streaming_content)
    assert body[:4] in (b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"%PDF")


def test_files_need_the_owners_token(processed, active_scanner):
    stranger = registered_user()
    client, _ = sign_in(stranger)

    assert APIClient().get(processed["thumbnail_url"]).status_code == 401
    assert client.get(processed["thumbnail_url"]).status_code == 404


def test_files_of_a_document_still_processing_are_not_found(phone):
    document_id = upload(phone, jpeg_bytes()).json()["id"]

    response = phone.get(f"{URL}{document_id}/thumbnail/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_uploads_past_the_users_rate_are_throttled(phone, monkeypatch):
    from django.core.cache import cache

    from mamut.throttling import ResilientScopedRateThrottle

    cache.clear()
    monkeypatch.setattr(
        ResilientScopedRateThrottle, "THROTTLE_RATES", {"uploads": "2/minute"}
    )
    assert upload(phone, jpeg_bytes()).status_code == 201
    assert upload(phone, png_bytes()).status_code == 201

    response = upload(phone, jpeg_bytes(color="red"))

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert phone.get(URL).status_code == 200  # reading is not throttled


def test_a_used_token_is_renewed_for_90_days(phone, mobile_user):
    AuthToken.objects.filter(user=mobile_user).update(
        expiry=timezone.now() + timedelta(days=10)
    )

    phone.get(URL)

    expiry = AuthToken.objects.get(user=mobile_user).expiry
    assert expiry - timezone.now() > timedelta(days=89)


def test_delete_of_a_linked_document_is_409_linked_and_shows_the_link(
    phone, mobile_user
):
    from receipts.services import document_link
    from tests.vouchers.factories import voucher

    document_id = upload(phone, jpeg_bytes()).json()["id"]
    saved = voucher()
    admin = mobile_user.__class__.objects.filter(is_superuser=True).first()
    document_link(
        document=Document.objects.get(pk=document_id), voucher=saved, by=admin
    )

    body = phone.get(f"{URL}{document_id}/").json()
    response = phone.delete(f"{URL}{document_id}/")

    assert (body["linked"], body["voucher"], body["voucher_year"]) == (
        True,
        saved.number,
        saved.year,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "linked"
    assert Document.objects.get(pk=document_id).deleted_at is None


def test_detail_gives_the_fields_read_and_leaves_out_those_not_found(phone):
    document_id = upload(phone, jpeg_bytes()).json()["id"]
    Document.objects.filter(pk=document_id).update(
        text="Totaal € 23,45\nDatum 03-12-2026",
        extracted_fields={
            "total": {"value": "23.45", "confidence": 0.75},
            "date": {"value": "2026-12-03", "confidence": 0.9},
        },
    )

    body = phone.get(f"{URL}{document_id}/").json()

    assert body["fields"] == {
        "date": {"value": "2026-12-03", "confidence": 0.9},
        "total": {"value": "23.45", "confidence": 0.75},
    }
    assert body["text"] == "Totaal € 23,45\nDatum 03-12-2026"


def test_a_document_not_read_yet_has_no_fields_and_no_text(phone):
    document_id = upload(phone, jpeg_bytes()).json()["id"]

    body = phone.get(f"{URL}{document_id}/").json()

    assert body["fields"] == {}
    assert body["text"] == ""
