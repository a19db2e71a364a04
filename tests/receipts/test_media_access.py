"""Uploaded files are never served without a check of who asks.

Originals, previews, thumbnails and PDFs are served only by views that check the
caller: the attachments panel (signed in, "Bijlagen bekijken", the installation's
company) and the mobile API (the phone token of the document's sender). No URL serves
MEDIA_URL or the storage's own paths. Each file URL is asked anonymously, as a user
without the function, as another mobile user and for another company's document: each
is refused, and the file's bytes never come back.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from receipts.models import Document
from tests.receipts.factories import mobile_user
from tests.receipts.panel import received
from tests.users.factories import UserFactory, profile_with
from users.models import Company, ScannerFunction

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff"
PDF = b"%PDF"


@pytest.fixture
def document(active_scanner) -> Document:
    document = received(mobile_user(email="anna@example.com"))
    assert document.status == Document.Status.READY
    assert document.pdf and document.pages.get().thumbnail
    return document


def web_file_urls(document: Document) -> list[str]:
    urls = [reverse("attachment-pdf", args=[document.pk])]
    for page in document.pages.all():
        for rendition in ("thumbnail", "preview", "original"):
            urls.append(
                reverse("attachment-page", args=[document.pk, page.number, rendition])
            )
    return urls


def api_file_urls(document: Document) -> list[str]:
    return [
        reverse(f"api:receipt-{rendition}", args=[document.pk])
        for rendition in ("thumbnail", "preview", "pdf")
    ]


def storage_paths(document: Document) -> list[str]:
    names = [document.pdf.name]
    for page in document.pages.all():
        names += [page.original.name, page.preview.name, page.thumbnail.name]
    return [name for name in names if name]


def bearer(user) -> APIClient:
    _instance, token = AuthToken.objects.create(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def assert_refused(response, *statuses: int) -> None:
    assert response.status_code in statuses, response.status_code
    body = content(response)
    assert not body.startswith((JPEG, PDF))


def test_the_entitled_callers_get_the_files(document, superuser):
    """The control: the same URLs do serve the files to whom they belong."""
    viewer = UserFactory()
    viewer.groups.add(profile_with(ScannerFunction.VIEW_ATTACHMENTS).group)
    browser = Client()
    browser.force_login(viewer)
    for url in web_file_urls(document):
        response = browser.get(url)
        if url.endswith("/original/"):  # never served, not even to the entitled
            assert_refused(response, 404)
        else:
            assert response.status_code == 200, url
            assert content(response).startswith((JPEG, PDF))
    phone = bearer(document.uploaded_by)
    for url in api_file_urls(document):
        response = phone.get(url)
        assert response.status_code == 200, url
        assert content(response).startswith((JPEG, PDF))


def test_anonymous_callers_get_no_file(document):
    for url in web_file_urls(document):
        response = Client().get(url)
        assert_refused(response, 302)
        assert response["Location"].startswith(reverse("login"))
    for url in api_file_urls(document):
        assert_refused(APIClient().get(url), 401)


def test_a_user_without_the_view_function_gets_no_file(document, plain_user):
    browser = Client()
    browser.force_login(plain_user)
    for url in web_file_urls(document):
        assert_refused(browser.get(url), 403)


def test_another_mobile_user_gets_no_file_of_annas(document):
    bob = mobile_user(email="bob@example.com")
    phone = bearer(bob)
    for url in api_file_urls(document):
        assert_refused(phone.get(url), 404)


def test_a_user_without_the_scanner_function_gets_no_file_with_a_token(
    document, plain_user
):
    phone = bearer(plain_user)
    for url in api_file_urls(document):
        assert_refused(phone.get(url), 401, 403, 404)


def test_another_companys_document_is_not_served(document, superuser):
    other = Company.objects.create(name="Andere B.V.")
    Document.objects.filter(pk=document.pk).update(company=other)
    browser = Client()
    browser.force_login(superuser)
    for url in web_file_urls(document):
        assert_refused(browser.get(url), 404)


def test_no_url_serves_the_storage_paths(document, superuser):
    """Not MEDIA_URL, not the bare storage names: not even for the superuser."""
    browser = Client()
    browser.force_login(superuser)
    for name in storage_paths(document):
        for url in (settings.MEDIA_URL + name, "/" + name):
            with pytest.raises(Resolver404):
                resolve(url)
            assert_refused(browser.get(url), 404)


def test_the_api_serves_files_as_downloads_that_cannot_run_scripts(document):
    phone = bearer(document.uploaded_by)
    response = phone.get(reverse("api:receipt-preview", args=[document.pk]))

    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in response["Cache-Control"]
