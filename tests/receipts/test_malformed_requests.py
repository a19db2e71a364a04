"""Malformed JSON, wrong types, huge fields and broken headers on every API endpoint
and method: a 4xx with ``{"code", "detail"}``, never a 5xx. (Schemathesis in
test_schema_fuzz.py sends what the schema allows; these are what it does not.)"""

import json
from base64 import b64encode
from urllib.parse import quote

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.receipts.factories import jpeg_bytes, mobile_user
from tests.receipts.test_apis import sign_in, upload

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
HUGE = "x" * 1_000_000


def paths(document_id: str) -> list[str]:
    return [
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/receipts/",
        f"/api/v1/receipts/{document_id}/",
        f"/api/v1/receipts/{document_id}/thumbnail/",
        f"/api/v1/receipts/{document_id}/preview/",
        f"/api/v1/receipts/{document_id}/pdf/",
        "/api/v1/receipts/not-a-uuid/",
        "/api/v1/no-such-endpoint/",
    ]


def multipart(body: bytes, boundary: str = "b0undary") -> tuple[bytes, str]:
    return body, f"multipart/form-data; boundary={boundary}"


BODIES = {
    "malformed json": (b'{"email": "a@b.nl", ', "application/json"),
    "json nested 100000 deep": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    "json array": (b'[{"email": "a@b.nl"}]', "application/json"),
    "json null": (b"null", "application/json"),
    "json number": (b"1e999999", "application/json"),
    "json string": (b'"hello"', "application/json"),
    "json NaN": (b'{"email": NaN}', "application/json"),
    "wrong types": (
        json.dumps(
            {
                "email": 12,
                "password": ["a"],
                "device_name": {"a": 1},
                "kind": 3.5,
                "note": None,
                "file": True,
                "captured_at": [],
            }
        ).encode(),
        "application/json",
    ),
    "huge fields": (
        json.dumps(
            {
                "email": HUGE + "@example.com",
                "password": HUGE,
                "device_name": HUGE,
                "kind": HUGE,
                "note": HUGE,
            }
        ).encode(),
        "application/json",
    ),
    "json past the body limit": (
        json.dumps({"note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}).encode(),
        "application/json",
    ),
    "not utf-8": (b'{"email": "\xff\xfe\xfa"}', "application/json"),
    "text/plain": (b"email=a@b.nl", "text/plain"),
    "xml": (
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
        "application/xml",
    ),
    "form with 5000 fields": (
        "&".join(f"f{n}=1" for n in range(5000)).encode(),
        "application/x-www-form-urlencoded",
    ),
    "multipart, broken": multipart(
        b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"'
        b"\r\n\r\n\xff\xd8\xff"
    ),
    "multipart, no boundary": (b"--x\r\n\r\n", "multipart/form-data"),
    "multipart, 300 files": multipart(
        b"".join(
            b'--b0undary\r\nContent-Disposition: form-data; name="file"; '
            b'filename="%d.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
            % n
            + jpeg_bytes(8, 8)
            + b"\r\n"
            for n in range(300)
        )
        + b'--b0undary\r\nContent-Disposition: form-data; name="kind"\r\n\r\n'
        b"receipt\r\n--b0undary--\r\n"
    ),
    "multipart, huge field": multipart(
        b'--b0undary\r\nContent-Disposition: form-data; name="note"\r\n\r\n'
        + b"n" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        + b"\r\n--b0undary--\r\n"
    ),
}


def assert_clear_error(response, what) -> None:
    assert response.status_code < 500, (what, response.content[:500])
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), what
        body = response.json()
        assert isinstance(body["code"], str) and body["code"], what
        assert isinstance(body["detail"], str) and body["detail"], what


@pytest.fixture
def phone_and_document(active_scanner) -> tuple[APIClient, str]:
    phone, _ = sign_in(mobile_user())
    return phone, upload(phone, jpeg_bytes()).json()["id"]


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_a_malformed_body_on_every_endpoint_is_a_clear_4xx(body, phone_and_document):
    phone, document_id = phone_and_document
    data, content_type = body

    for path in paths(document_id):
        for method in METHODS:
            response = phone.generic(
                method.upper(),
                path,
                data,
                content_type,
                HTTP_IDEMPOTENCY_KEY="3f1c4d5e-0000-4000-8000-000000000001",
            )
            assert_clear_error(response, (method, path))
            if method == "post" and path.endswith(("/token/", "/receipts/")):
                assert 400 <= response.status_code < 500, (path, response.content)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer " + "a" * 100_000},
        {"HTTP_AUTHORIZATION": "Bearer \xff\xfe"},
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": "Bearer a b c"},
        {"HTTP_AUTHORIZATION": "Basic " + "Zm9vOmJhcg=="},
        {"HTTP_ACCEPT_LANGUAGE": "x" * 10_000},
        {"HTTP_IDEMPOTENCY_KEY": "k" * 100_000},
    ],
    ids=[
        "huge token",
        "token not utf-8",
        "empty token",
        "token with spaces",
        "basic auth",
        "huge accept-language",
        "huge idempotency key",
    ],
)
def test_broken_headers_on_every_endpoint_are_a_clear_4xx(headers, phone_and_document):
    phone, document_id = phone_and_document
    client = APIClient(**headers)
    if "HTTP_AUTHORIZATION" not in headers:
        client = phone
        client.defaults.update(headers)

    for path in paths(document_id):
        for method in METHODS:
            response = getattr(client, method)(path)
            assert_clear_error(response, (method, path, headers.keys()))


def _cursor(query: str) -> str:
    """A cursor as DRF encodes one (base64 of a query string), URL-quoted."""
    return quote(b64encode(query.encode()).decode())


# Valid base64, decoded fine by DRF, with a position that is no date and time.
BAD_CURSORS = {
    "position not a date": _cursor("p=notadate"),
    "position with NUL": _cursor("p=2026-12-03 10:00:00%00+00:00"),
    "position out of range": _cursor("p=2026-13-45 25:61:00+00:00"),
    "position without time zone": _cursor("p=2026-12-03 10:00:00"),
    "position empty, backwards": _cursor("r=1&p="),
    "position huge": _cursor("p=" + "9" * 5000),
}


@pytest.mark.parametrize(
    "query",
    [
        "status=" + "x" * 100_000,
        "status=ready&status=failed&status=%00",
        "cursor=%%%%",
        "cursor=" + "A" * 100_000,
        "page_size=-1&limit=99999999999999999999",
        "&".join(f"f{n}=1" for n in range(5000)),
        *(f"cursor={position}" for position in BAD_CURSORS.values()),
    ],
    ids=[
        "huge status",
        "odd status",
        "broken cursor",
        "huge cursor",
        "odd paging",
        "5000 parameters",
        *(f"cursor, {name}" for name in BAD_CURSORS),
    ],
)
def test_broken_query_strings_are_a_clear_4xx(query, phone_and_document):
    phone, document_id = phone_and_document

    for path in paths(document_id):
        assert_clear_error(phone.get(f"{path}?{query}"), (path, query))


@pytest.mark.parametrize("cursor", BAD_CURSORS.values(), ids=BAD_CURSORS)
def test_a_cursor_with_a_bad_position_is_drfs_invalid_cursor_404(
    cursor, phone_and_document
):
    phone, _ = phone_and_document

    response = phone.get(f"/api/v1/receipts/?cursor={cursor}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_cursor_of_the_next_page_still_works(phone_and_document):
    phone, _ = phone_and_document
    for _number in range(25):
        upload(phone, jpeg_bytes())

    first = phone.get("/api/v1/receipts/").json()
    second = phone.get(first["next"]).json()

    assert len(first["results"]) == 25
    assert len(second["results"]) == 1


def test_a_path_that_no_view_answers_is_a_json_404(phone_and_document):
    phone, _ = phone_and_document

    response = phone.get("/api/v1/receipts/not-a-uuid/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_json_body_past_the_limit_is_413_too_large(active_scanner):
    data, content_type = BODIES["json past the body limit"]

    response = APIClient().post("/api/v1/auth/token/", data, content_type=content_type)

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


# --- The web pages --------------------------------------------------------------------

HUGE_NUMBER = "99999999999999999999"
ODD_PAGE_QUERIES = {
    "NUL in the search": "q=a%00b&show=all",
    "only NUL in the search": "q=%00",
    "huge page": f"page={HUGE_NUMBER}&show=all",
    "huge page, searched": f"page={HUGE_NUMBER}&q=Taxi",
    "negative page": "page=-5",
    "odd page": "page=1e3&show=%00",
    "huge voucher": f"voucher={HUGE_NUMBER}",
    "huge profile to copy": f"copy={HUGE_NUMBER}",
    "profile to copy in other digits": "copy=%C2%B2",
    "huge voucher number searched": f"q=2026-{HUGE_NUMBER}",
}


@pytest.fixture
def odd_query_caller(active_scanner, superuser):
    """The superuser (who may open every page), with a voucher and a document."""
    from django.test import Client

    from tests.vouchers.factories import voucher

    phone, _ = sign_in(mobile_user())
    upload(phone, jpeg_bytes(), note="Taxi")
    client = Client()
    client.force_login(superuser)
    client.voucher = voucher()
    return client


@pytest.mark.parametrize("query", ODD_PAGE_QUERIES.values(), ids=ODD_PAGE_QUERIES)
def test_odd_query_strings_on_every_web_page_are_never_a_500(query, odd_query_caller):
    """Every page of the web UI (the list pages: attachments panel, voucher entry,
    voucher list, user administration, access profiles) answers odd ?q=, ?page=,
    ?copy= with a page or a 4xx."""
    from django.urls import reverse

    from tests.test_url_access import ROUTES

    paths = [route.path for route in ROUTES if not (route.is_api or route.is_admin)]
    paths.append(reverse("voucher-edit", args=[odd_query_caller.voucher.pk]))
    wrong = []
    for path in paths:
        response = odd_query_caller.get(f"{path}?{query}")
        if response.status_code >= 500:
            wrong.append((path, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("copy", [HUGE_NUMBER, "2147483648", "%C2%B2"])
def test_copying_an_access_profile_that_cannot_exist_is_404(copy, odd_query_caller):
    from django.urls import reverse

    response = odd_query_caller.get(f"{reverse('access-profile-create')}?copy={copy}")

    assert response.status_code == 404
