"""A reference client for the mobile API: what the phone does, from the command line.

    python -m receipts.client login --server http://127.0.0.1:8000 --email a@b.nl
    python -m receipts.client upload p1.jpg p2.jpg --kind receipt --note Taxi --wait
    python -m receipts.client status <id> --wait
    python -m receipts.client list
    python -m receipts.client logout

It uses only the public API. The token is kept in ``~/.config/mamut-scanner/
credentials.json`` (``--credentials`` or ``MAMUT_SCANNER_CREDENTIALS`` to choose
another file). An upload carries a fresh Idempotency-Key; on a network error it is
sent again with the same key, so it is never stored twice.
"""

import argparse
import getpass
import json
import locale
import os
import platform
import sys
import time
import uuid
from pathlib import Path
from typing import Any, TextIO

import httpx

DEFAULT_CREDENTIALS = Path.home() / ".config" / "mamut-scanner" / "credentials.json"
FINAL_STATUSES = {"ready", "failed"}


class ClientError(Exception):
    """The server refused, or could not be reached: ``code`` and a message."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{detail} ({code})")
        self.code = code
        self.detail = detail


def _language() -> str:
    lang = os.environ.get("LANG") or (locale.getlocale()[0] or "")
    return "en" if lang.lower().startswith("en") else "nl"


class ScannerClient:
    def __init__(
        self,
        server: str,
        token: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        retries: int = 3,
        backoff: float = 1.0,
    ) -> None:
        headers = {"Accept-Language": _language()}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(
            base_url=server.rstrip("/") + "/api/v1/",
            headers=headers,
            timeout=httpx.Timeout(60.0, connect=10.0),
            transport=transport,
        )
        self.retries = retries
        self.backoff = backoff

    def _answer(self, response: httpx.Response) -> Any:
        if response.status_code == 204:
            return None
        try:
            body = response.json()
        except ValueError:
            raise ClientError(
                "bad_response", f"HTTP {response.status_code} without JSON"
            ) from None
        if response.is_error:
            raise ClientError(body.get("code", "error"), body.get("detail", ""))
        return body

    def login(self, email: str, password: str, device_name: str) -> dict:
        response = self.http.post(
            "auth/token/",
            json={"email": email, "password": password, "device_name": device_name},
        )
        return self._answer(response)

    def logout(self) -> None:
        self._answer(self.http.delete("auth/token/"))

    def upload(
        self, paths: list[Path], *, kind: str, note: str = "", key: str | None = None
    ) -> dict:
        """Send one document of several pages; retried with the same key on errors."""
        key = key or str(uuid.uuid4())
        attempt = 0
        while True:
            files = [
                ("file", (path.name, path.read_bytes(), "application/octet-stream"))
                for path in paths
            ]
            try:
                response = self.http.post(
                    "receipts/",
                    data={"kind": kind, "note": note},
                    files=files,
                    headers={"Idempotency-Key": key},
                )
            except httpx.TransportError as error:
                attempt += 1
                if attempt > self.retries:
                    raise ClientError("network_error", str(error)) from error
                time.sleep(self.backoff * attempt)
                continue
            if response.status_code == 409 and attempt < self.retries:
                attempt += 1  # the first attempt is still running on the server
                time.sleep(self.backoff * attempt)
                continue
            return self._answer(response)

    def status(self, document_id: str) -> dict:
        return self._answer(self.http.get(f"receipts/{document_id}/"))

    def wait(
        self,
        document_id: str,
        *,
        out: TextIO,
        interval: float = 1.0,
        timeout: float = 300,
    ) -> dict:
        """Poll until the document is ready or failed, with a progress line."""
        started = time.monotonic()
        while True:
            document = self.status(document_id)
            elapsed = time.monotonic() - started
            out.write(f"\r{document_id}: {document['status']:<10} {elapsed:5.0f} s")
            out.flush()
            if document["status"] in FINAL_STATUSES or elapsed > timeout:
                out.write("\n")
                return document
            time.sleep(interval)

    def documents(self, status: str = "") -> list[dict]:
        params = {"status": status} if status else {}
        return self._answer(self.http.get("receipts/", params=params))["results"]


def _credentials_path(args: argparse.Namespace) -> Path:
    return Path(
        args.credentials
        or os.environ.get("MAMUT_SCANNER_CREDENTIALS")
        or DEFAULT_CREDENTIALS
    )


def _saved(args: argparse.Namespace) -> dict:
    path = _credentials_path(args)
    if not path.exists():
        raise ClientError("not_signed_in", "Sign in first: login --server … --email …")
    return json.loads(path.read_text())


def _client(args: argparse.Namespace) -> ScannerClient:
    saved = _saved(args)
    return ScannerClient(saved["server"], saved["token"])


def _print_document(document: dict, out: TextIO) -> None:
    failure = document.get("failure") or {}
    reason = f"  {failure.get('code')}: {failure.get('detail')}" if failure else ""
    duplicate = "  possible duplicate" if document.get("duplicate_of") else ""
    out.write(
        f"{document['id']}  {document['status']:<10} {document['kind']:<8} "
        f"{document['pages']} p.  {document['created_at']}{duplicate}{reason}\n"
    )


def run(argv: list[str], out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m receipts.client")
    parser.add_argument("--credentials", help="where the token is kept")
    commands = parser.add_subparsers(dest="command", required=True)
    login = commands.add_parser("login", help="sign in and keep the token")
    login.add_argument("--server", required=True)
    login.add_argument("--email", required=True)
    login.add_argument("--password", help="asked for when left out")
    login.add_argument("--device", default=f"CLI on {platform.node()}")
    upload = commands.add_parser("upload", help="send one document of N pages")
    upload.add_argument("files", nargs="+", type=Path)
    upload.add_argument("--kind", choices=["receipt", "invoice"], default="receipt")
    upload.add_argument("--note", default="")
    upload.add_argument("--wait", action="store_true", help="wait until processed")
    status = commands.add_parser("status", help="show one document")
    status.add_argument("id")
    status.add_argument("--wait", action="store_true")
    listing = commands.add_parser("list", help="your documents, newest first")
    listing.add_argument("--status", default="")
    commands.add_parser("logout", help="revoke the token")
    args = parser.parse_args(argv)

    try:
        if args.command == "login":
            password = args.password or getpass.getpass("Password: ")
            answer = ScannerClient(args.server).login(args.email, password, args.device)
            path = _credentials_path(args)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                json.dumps({"server": args.server, "token": answer["token"]})
            )
            path.chmod(0o600)
            out.write(
                f"Signed in as {answer['user']['email']} until "
                f"{answer['expires_at']}.\n"
            )
        elif args.command == "upload":
            client = _client(args)
            created = client.upload(args.files, kind=args.kind, note=args.note)
            out.write(f"{created['id']}  {created['status']}  {created['pages']} p.\n")
            if args.wait:
                _print_document(client.wait(created["id"], out=out), out)
        elif args.command == "status":
            client = _client(args)
            document = (
                client.wait(args.id, out=out) if args.wait else client.status(args.id)
            )
            _print_document(document, out)
        elif args.command == "list":
            for document in _client(args).documents(args.status):
                _print_document(document, out)
        elif args.command == "logout":
            _client(args).logout()
            _credentials_path(args).unlink(missing_ok=True)
            out.write("Signed out.\n")
    except ClientError as error:
        out.write(f"Error: {error.detail} ({error.code})\n")
        return 1
    except httpx.HTTPError as error:
        out.write(f"Error: cannot reach the server: {error}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
