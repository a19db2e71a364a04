"""The reference client against a live server, as a person at a terminal uses it."""

import io
import json
import uuid
from pathlib import Path

import httpx
import pytest

from receipts.client import ScannerClient, run
from receipts.models import Document
from tests.receipts.factories import mobile_user
from tests.users.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).resolve().parent.parent / "data" / "receipts"


@pytest.fixture
def credentials(tmp_path: Path) -> Path:
    return tmp_path / "credentials.json"


def cli(credentials: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run(["--credentials", str(credentials), *argv], out=out)
    return code, out.getvalue()


def test_login_upload_wait_list_and_logout(live_server, active_scanner, credentials):
    user = mobile_user()

    code, said = cli(
        credentials,
        "login",
        "--server",
        live_server.url,
        "--email",
        user.email,
        "--password",
        PASSWORD,
    )
    assert code == 0, said
    assert json.loads(credentials.read_text())["token"]
    assert oct(credentials.stat().st_mode)[-3:] == "600"

    code, said = cli(
        credentials,
        "upload",
        str(DATA / "sroie-000.jpg"),
        str(DATA / "sroie-001.jpg"),
        "--note",
        "Lunch",
        "--wait",
    )
    assert code == 0, said
    assert "ready" in said
    document = Document.objects.get()
    assert document.pages.count() == 2
    assert document.note == "Lunch"

    code, said = cli(credentials, "list")
    assert str(document.pk) in said

    code, said = cli(credentials, "logout")
    assert code == 0
    code, said = cli(credentials, "list")
    assert code == 1
    assert "not_signed_in" in said


def test_wrong_password_is_reported_with_its_code(
    live_server, active_scanner, credentials
):
    user = mobile_user()

    code, said = cli(
        credentials,
        "login",
        "--server",
        live_server.url,
        "--email",
        user.email,
        "--password",
        "fout",
    )

    assert code == 1
    assert "invalid_credentials" in said
    assert not credentials.exists()


class FlakyTransport(httpx.BaseTransport):
    """Drops the connection after the server has handled the first upload."""

    def __init__(self, server: str) -> None:
        self.real = httpx.HTTPTransport()
        self.server = server
        self.uploads = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.real.handle_request(request)
        if request.method == "POST" and request.url.path.endswith("/receipts/"):
            self.uploads += 1
            if self.uploads == 1:
                response.read()
                raise httpx.ReadError("connection lost", request=request)
        return response


def test_upload_retried_after_a_lost_answer_is_stored_once(live_server, active_scanner):
    user = mobile_user()
    token = ScannerClient(live_server.url).login(user.email, PASSWORD, "test")["token"]
    transport = FlakyTransport(live_server.url)
    client = ScannerClient(live_server.url, token, transport=transport, backoff=0)

    created = client.upload([DATA / "sroie-003.jpg"], kind="receipt")

    assert transport.uploads == 2  # sent twice, with the same key
    assert Document.objects.count() == 1
    assert str(Document.objects.get().pk) == created["id"]
    assert uuid.UUID(created["id"])
