"""Every write of the receipts app."""

import hashlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from integrations.selectors import scanner_require_active
from mamut.errors import ApplicationError
from receipts import processing
from receipts.models import (
    Document,
    DocumentPage,
    IdempotencyRecord,
    MobileDevice,
    StatusChange,
)
from users.models import Company, ScannerFunction, User
from users.selectors import mobile_registration_active

FILE_TYPES = {
    processing.Kind.JPEG: DocumentPage.FileType.JPEG,
    processing.Kind.PNG: DocumentPage.FileType.PNG,
    processing.Kind.HEIF: DocumentPage.FileType.HEIF,
    processing.Kind.PDF: DocumentPage.FileType.PDF,
}
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IncomingPage:
    """One uploaded page: an open binary file positioned anywhere, and its size."""

    file: IO[bytes]
    size: int


def page_sha256(page: IncomingPage) -> str:
    return processing.sha256_and_size(page.file)[0]


def upload_fingerprint(
    *, kind: str, note: str, captured_at: datetime | None, page_hashes: Sequence[str]
) -> str:
    """What makes two uploads 'the same payload' for the Idempotency-Key rule."""
    parts = [kind, note, captured_at.isoformat() if captured_at else "", *page_hashes]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _check_limits(*, user: User, pages: Sequence[IncomingPage]) -> None:
    if not pages:
        raise ApplicationError(
            _("Send at least one page in a part named 'file'."),
            code="invalid_file",
            fields={"file": [_("This field is required.")]},
        )
    if len(pages) > settings.RECEIPTS_MAX_PAGES:
        raise ApplicationError(
            _("A document can have at most %(count)d pages.")
            % {"count": settings.RECEIPTS_MAX_PAGES},
            code="too_large",
            status_code=413,
        )
    for page in pages:
        if page.size > settings.RECEIPTS_MAX_FILE_BYTES:
            raise ApplicationError(
                _("A page can be at most %(mb)d MB.")
                % {"mb": settings.RECEIPTS_MAX_FILE_BYTES // 1_000_000},
                code="too_large",
                status_code=413,
            )
    total = sum(page.size for page in pages)
    if total > settings.RECEIPTS_MAX_REQUEST_BYTES:
        raise ApplicationError(
            _("A document can be at most %(mb)d MB in all.")
            % {"mb": settings.RECEIPTS_MAX_REQUEST_BYTES // 1_000_000},
            code="too_large",
            status_code=413,
        )
    used = (
        Document.objects.filter(uploaded_by=user, deleted_at__isnull=True).aggregate(
            used=Sum("size_bytes")
        )["used"]
        or 0
    )
    if used + total > settings.RECEIPTS_USER_QUOTA_BYTES:
        raise ApplicationError(
            _(
                "Your storage quota is used up. Ask the bookkeeper to clear old "
                "documents."
            ),
            code="quota_exceeded",
            status_code=413,
        )


def document_receive(
    *,
    user: User,
    kind: str,
    pages: Sequence[IncomingPage],
    note: str = "",
    captured_at: datetime | None = None,
    page_hashes: Sequence[str] | None = None,
) -> Document:
    """Store the original pages, commit the document, then queue its processing.

    The type of each page is decided from its bytes. The response never waits for
    processing: the task is queued only after the commit.
    """
    if kind not in Document.Kind.values:
        raise ApplicationError(
            _("Choose 'receipt' or 'invoice'."),
            code="invalid",
            fields={"kind": [_("Choose 'receipt' or 'invoice'.")]},
        )
    _check_limits(user=user, pages=pages)
    # A quick look at the bytes only; the full, safe decode happens in processing.
    file_types = [FILE_TYPES[processing.detect_kind(page.file)] for page in pages]
    hashes = list(page_hashes) if page_hashes else [page_sha256(p) for p in pages]

    with transaction.atomic():
        document = Document.objects.create(
            company=Company.objects.current(),
            uploaded_by=user,
            kind=kind,
            note=note,
            captured_at=captured_at,
            size_bytes=sum(page.size for page in pages),
        )
        for number, (page, file_type, sha) in enumerate(
            zip(pages, file_types, hashes, strict=True), start=1
        ):
            record = DocumentPage(
                document=document,
                number=number,
                file_type=file_type,
                size_bytes=page.size,
                sha256=sha,
            )
            record.original.save("original", File(page.file), save=False)
            record.save()
        StatusChange.objects.create(document=document, status=document.status)
        transaction.on_commit(lambda: _queue_processing(document.pk))
    return document


def _queue_processing(document_id: uuid.UUID) -> None:
    """Queue processing; if the broker is down the upload still stands.

    The document stays ``received`` and the sweeper queues it once the broker is back.
    """
    from receipts.tasks import document_process

    try:
        document_process.delay(str(document_id))
    except Exception:  # any broker failure: the sweeper recovers
        logger.warning("Could not queue document %s; the sweeper will", document_id)


# --- Idempotency ------------------------------------------------------------------


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: dict


def idempotent_call(
    *, user: User, key: uuid.UUID, fingerprint: str, call: Callable[[], StoredResponse]
) -> StoredResponse:
    """Run ``call`` once per (user, key); repeats get the first answer.

    Same key and payload again → the stored answer, nothing created; another payload →
    422 ``idempotency_key_reused``; while the first is still running → 409
    ``request_in_progress``. A call that fails with an error stores nothing, so the
    client may retry with the same key.
    """
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=user, key=key, fingerprint=fingerprint
            )
    except IntegrityError:
        existing = IdempotencyRecord.objects.get(user=user, key=key)
        if existing.fingerprint != fingerprint:
            raise ApplicationError(
                _("This Idempotency-Key was used for another upload. Use a new key."),
                code="idempotency_key_reused",
                status_code=422,
            ) from None
        if existing.state == IdempotencyRecord.State.IN_PROGRESS:
            raise ApplicationError(
                _("The first upload with this Idempotency-Key is still running."),
                code="request_in_progress",
                status_code=409,
            ) from None
        return StoredResponse(existing.response_status, existing.response_body)

    try:
        response = call()
    except BaseException:
        record.delete()
        raise
    record.state = IdempotencyRecord.State.DONE
    record.response_status = response.status
    record.response_body = response.body
    record.save(update_fields=["state", "response_status", "response_body"])
    return response


def document_trash(*, document: Document, by: User) -> None:
    """Move a document to the trash; it stays restorable there for 30 days."""
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.deleted_at is not None:
            return
        locked.deleted_at = timezone.now()
        locked.save(update_fields=["deleted_at", "updated_at"])
    document.deleted_at = locked.deleted_at


# --- Phone sign-in ------------------------------------------------------------------


@dataclass(frozen=True)
class PhoneSignIn:
    user: User
    token: str
    expires_at: datetime


def _attempt_keys(*, email: str, ip: str) -> list[tuple[str, int]]:
    return [
        (
            f"signin-failures:email:{email.lower()}",
            settings.MOBILE_SIGNIN_MAX_PER_EMAIL,
        ),
        (f"signin-failures:ip:{ip}", settings.MOBILE_SIGNIN_MAX_PER_IP),
    ]


def _check_attempts(*, email: str, ip: str) -> None:
    for key, limit in _attempt_keys(email=email, ip=ip):
        try:
            failures = cache.get(key) or 0
        except Exception:  # the cache is down: sign-in still works, unthrottled
            logger.warning("Sign-in attempts not checked: the cache is unreachable")
            return
        if failures >= limit:
            raise ApplicationError(
                _("Too many failed attempts. Try again in a few minutes."),
                code="throttled",
                status_code=429,
                headers={"Retry-After": str(settings.MOBILE_SIGNIN_WINDOW_SECONDS)},
            )


def _count_failure(*, email: str, ip: str) -> None:
    window = settings.MOBILE_SIGNIN_WINDOW_SECONDS
    for key, _limit in _attempt_keys(email=email, ip=ip):
        try:
            cache.add(key, 0, timeout=window)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
        except Exception:  # the cache is down: nothing to count in
            logger.warning("Sign-in failure not counted: the cache is unreachable")
            return


def phone_sign_in(
    *, email: str, password: str, device_name: str, ip: str, request=None
) -> PhoneSignIn:
    """Sign a phone in with the e-mail address and password of the business software.

    Wrong e-mail or password → 401 ``invalid_credentials`` (the same answer for both);
    service inactive → 403 ``service_inactive``; not a registered mobile user → 403
    ``not_registered``; no "Toegang tot Visma Mobile Scanner" → 403
    ``permission_denied``; too many failures for the e-mail or the IP → 429.
    """
    _check_attempts(email=email, ip=ip)
    user = authenticate(request, username=email, password=password)
    if user is None:
        _count_failure(email=email, ip=ip)
        raise ApplicationError(
            _("The email address or password is not correct."),
            code="invalid_credentials",
            status_code=401,
        )
    phone_access_check(user=user)
    instance, token = AuthToken.objects.create(user)
    MobileDevice.objects.create(token=instance, name=device_name[:100])
    return PhoneSignIn(user=user, token=token, expires_at=instance.expiry)


def phone_access_check(*, user: User) -> None:
    """Raise the reason this signed-in user may not use the scanner now, if any."""
    scanner_require_active()
    if mobile_registration_active(user) is None:
        raise ApplicationError(
            _(
                "You are not registered as a mobile user. Ask your administrator to "
                "register you, or register yourself under Administration → Settings "
                "→ User → Services."
            ),
            code="not_registered",
            status_code=403,
        )
    if not user.has_perm(ScannerFunction.USE):
        raise ApplicationError(
            _("Your access profile does not include Visma Mobile Scanner."),
            code="permission_denied",
            status_code=403,
        )


def phone_sign_out(*, token: AuthToken) -> None:
    """Revoke the token the phone signed in with."""
    token.delete()


def phone_tokens_revoke(*, user: User) -> int:
    """Revoke every phone token of ``user`` at once; their next call answers 401."""
    count, _by_model = AuthToken.objects.filter(user=user).delete()
    return count


def phone_token_revoke(*, user: User, device_id: int) -> bool:
    """Revoke one phone of ``user`` (from the "Diensten" tab)."""
    device = MobileDevice.objects.filter(pk=device_id, token__user=user).first()
    if device is None:
        return False
    device.token.delete()
    return True
