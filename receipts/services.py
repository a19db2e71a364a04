"""Every write of the receipts app."""

import errno
import hashlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from integrations.selectors import scanner_inactive_error
from mamut.errors import ApplicationError
from receipts import processing
from receipts.models import (
    Document,
    DocumentEvent,
    DocumentPage,
    IdempotencyRecord,
    MobileDevice,
    StatusChange,
)
from users.models import Company, ScannerFunction, User
from users.selectors import scanner_access
from users.throttling import sign_in_succeeded

if TYPE_CHECKING:
    from vouchers.models import Voucher

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

    document: Document | None = None
    try:
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
    except OSError as error:
        # The rows are rolled back; remove what was written, so nothing is half-saved.
        _files_remove(document)
        raise storage_error(error) from error
    except BaseException:
        _files_remove(document)
        raise
    return document


#: ``Retry-After`` of an upload refused because the storage failed, in seconds.
STORAGE_RETRY_AFTER = 120


def storage_error(error: OSError) -> ApplicationError:
    """The answer to an upload whose original could not be written.

    A full disk (or quota) is 507 ``storage_full``, any other storage fault 503
    ``storage_unavailable``; both tell the app when to send it again.
    """
    logger.error("Could not store an upload: %r", error)
    headers = {"Retry-After": str(STORAGE_RETRY_AFTER)}
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return ApplicationError(
            _("The server's storage is full. The app sends the document again later."),
            code="storage_full",
            status_code=507,
            headers=headers,
        )
    return ApplicationError(
        _("The document could not be stored. The app sends it again later."),
        code="storage_unavailable",
        status_code=503,
        headers=headers,
    )


def _files_remove(document: Document | None) -> None:
    """Remove every file written for a document that was not received after all,
    a partly written one too (the storage may fail in the middle of a file)."""
    if document is None:
        return
    folder = f"documents/{document.pk}"
    try:
        if not default_storage.exists(folder):
            return
        for name in default_storage.listdir(folder)[1]:
            default_storage.delete(f"{folder}/{name}")
    except OSError:  # the storage is failing anyway; log what is left behind
        logger.warning("Could not remove the files of %s after a failed upload", folder)


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
    client may retry with the same key. A first call that never finished (its process
    was killed) is taken over by a retry after ``RECEIPTS_IDEMPOTENCY_STALE_SECONDS``,
    so one lost request cannot block a phone's queue for good.
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
        if existing.state == IdempotencyRecord.State.DONE:
            return StoredResponse(existing.response_status, existing.response_body)
        if not _idempotency_takeover(existing):
            raise ApplicationError(
                _("The first upload with this Idempotency-Key is still running."),
                code="request_in_progress",
                status_code=409,
            ) from None
        record = existing

    # created_at is the claim: a retry that takes a stale record over moves it, and
    # from then on this request may neither finish nor free the record.
    owned = IdempotencyRecord.objects.filter(
        pk=record.pk,
        state=IdempotencyRecord.State.IN_PROGRESS,
        created_at=record.created_at,
    )
    try:
        # The call's rows and the stored answer commit together: one commit fewer
        # per upload, and no crash between them can leave the key in progress.
        with transaction.atomic():
            response = call()
            finished = owned.update(
                state=IdempotencyRecord.State.DONE,
                response_status=response.status,
                response_body=response.body,
            )
            if not finished:  # taken over by a retry: that one creates the document
                raise ApplicationError(
                    _("The first upload with this Idempotency-Key is still running."),
                    code="request_in_progress",
                    status_code=409,
                )
    except BaseException:
        owned.delete()
        raise
    return response


def _idempotency_takeover(record: IdempotencyRecord) -> bool:
    """Claim an in-progress record older than the stale limit; True if this request
    now owns it. Only one of several racing retries wins the claim."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.RECEIPTS_IDEMPOTENCY_STALE_SECONDS)
    if record.created_at >= stale_before:
        return False
    claimed = IdempotencyRecord.objects.filter(
        pk=record.pk,
        state=IdempotencyRecord.State.IN_PROGRESS,
        created_at=record.created_at,
    ).update(created_at=now)
    if claimed:
        record.created_at = now
        logger.warning(
            "Upload key %s of user %s was left in progress; a retry takes it over",
            record.key,
            record.user_id,
        )
    return bool(claimed)


TRASH_DAYS = 30


def _event(
    *,
    action: str,
    document_id: uuid.UUID,
    actor: User,
    voucher=None,
    detail: dict | None = None,
) -> None:
    DocumentEvent.objects.create(
        action=action,
        document_id=document_id,
        actor=actor,
        actor_email=actor.email,
        voucher_label=str(voucher) if voucher is not None else "",
        detail=detail or {},
    )


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


def document_link(
    *,
    document: Document,
    voucher: "Voucher | None",
    by: User,
    filled: dict[str, str] | None = None,
) -> None:
    """Link a document to a saved voucher; a document has at most one voucher.

    Needs "Bijlagen koppelen en verwijderen". A voucher not saved yet (``None``) is
    refused with ``voucher_not_saved``; a document in the trash or linked to another
    voucher with ``trashed`` / ``already_linked``. ``filled`` (the voucher fields the
    document filled, see :func:`voucher_fill_from_document`) goes into the audit
    record of the link.
    """
    _require_link_permission(user=by)
    if voucher is None or voucher.pk is None:
        raise ApplicationError(
            _("Save the voucher first, then link the document to it."),
            code="voucher_not_saved",
            status_code=409,
        )
    with transaction.atomic():
        locked = _locked(document)
        if locked.deleted_at is not None:
            raise ApplicationError(
                _("This document is in the trash. Restore it first."),
                code="trashed",
                status_code=409,
            )
        if locked.voucher_id == voucher.pk:
            return
        if locked.voucher_id is not None:
            raise ApplicationError(
                _(
                    "This document is already linked to another voucher. Unlink it "
                    "there first."
                ),
                code="already_linked",
                status_code=409,
            )
        locked.voucher = voucher
        locked.save(update_fields=["voucher", "updated_at"])
        _event(
            action=DocumentEvent.Action.LINKED,
            document_id=locked.pk,
            actor=by,
            voucher=voucher,
            detail={"filled": dict(filled or {})},
        )
    document.voucher = voucher


# --- Filling a voucher from a document ---------------------------------------------

# The voucher fields a document can fill, in the form's order.
FILLABLE_FIELDS = ("date", "description", "amount", "vat_code")
DUTCH_VAT_CODES = {Decimal("21"): "21", Decimal("9"): "9", Decimal("0"): "0"}


class HeldBack:
    """Why a field read from the document does not fill the voucher."""

    LOW_CONFIDENCE = "low_confidence"
    OTHER_CURRENCY = "other_currency"
    CURRENCY_UNKNOWN = "currency_unknown"
    NOT_A_DUTCH_RATE = "not_a_dutch_rate"


@dataclass(frozen=True)
class VoucherSuggestion:
    """What a document offers a voucher: values per voucher field, as form strings.

    ``values`` holds the fields it can fill; ``held_back`` the voucher fields it has
    something for but will not fill, with the reason (:class:`HeldBack`).
    """

    values: dict[str, str]
    held_back: dict[str, str]
    currency: str = ""


@dataclass(frozen=True)
class VoucherFill:
    """The voucher's values with its empty fields filled; ``filled`` says which."""

    values: dict[str, str]
    filled: dict[str, str]
    suggestion: VoucherSuggestion


def _field(fields: dict, name: str) -> tuple[str, float] | None:
    entry = fields.get(name)
    if not isinstance(entry, dict) or entry.get("value") in (None, ""):
        return None
    try:
        confidence = float(entry.get("confidence", 0))
    except (TypeError, ValueError):
        confidence = 0.0
    return str(entry["value"]), confidence


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def vat_code_from_amounts(*, total: Decimal, vat_amount: Decimal) -> str | None:
    """The Dutch VAT code whose VAT on ``total`` is ``vat_amount`` (to the cent)."""
    from vouchers.models import vat_of

    if total <= 0 or vat_amount <= 0:
        return None
    for code in ("21", "9"):
        if abs(vat_of(amount=total, vat_code=code) - vat_amount) <= Decimal("0.01"):
            return code
    return None


def voucher_suggestion(*, document: Document) -> VoucherSuggestion:
    """What the fields read from ``document`` would put into a voucher.

    A field read with a confidence below ``RECEIPTS_FILL_MIN_CONFIDENCE`` fills
    nothing. Date → date; supplier (and for an invoice its number) → description;
    total → amount including VAT, only when the currency is the euro (a receipt in
    ringgit puts no RM into a voucher in euros); VAT rate 21/9/0 → VAT code, or the
    code whose VAT on the total is the VAT amount printed.
    """
    fields = document.extracted_fields or {}
    minimum = settings.RECEIPTS_FILL_MIN_CONFIDENCE
    usable: dict[str, str] = {}
    low: set[str] = set()
    for name in ("supplier", "date", "total", "vat_amount", "vat_rate", "currency"):
        found = _field(fields, name)
        if found is None:
            continue
        if found[1] >= minimum:
            usable[name] = found[0]
        else:
            low.add(name)
    invoice_number = _field(fields, "invoice_number")
    if invoice_number and invoice_number[1] >= minimum:
        usable["invoice_number"] = invoice_number[0]

    values: dict[str, str] = {}
    held: dict[str, str] = {}

    if "date" in usable:
        values["date"] = usable["date"]
    elif "date" in low:
        held["date"] = HeldBack.LOW_CONFIDENCE

    supplier = usable.get("supplier", "")
    number = usable.get("invoice_number", "")
    if document.kind == Document.Kind.INVOICE and number:
        values["description"] = (
            _("%(supplier)s, invoice %(number)s")
            % {"supplier": supplier, "number": number}
            if supplier
            else _("Invoice %(number)s") % {"number": number}
        )[:200]
    elif supplier:
        values["description"] = supplier[:200]
    elif "supplier" in low:
        held["description"] = HeldBack.LOW_CONFIDENCE

    currency = usable.get("currency", "")
    total = _decimal(usable["total"]) if "total" in usable else None
    if total is not None:
        if currency == "EUR":
            values["amount"] = str(total.quantize(Decimal("0.01")))
        else:
            held["amount"] = (
                HeldBack.OTHER_CURRENCY if currency else HeldBack.CURRENCY_UNKNOWN
            )
    elif "total" in low:
        held["amount"] = HeldBack.LOW_CONFIDENCE

    rate = _decimal(usable["vat_rate"]) if "vat_rate" in usable else None
    vat_amount = _decimal(usable["vat_amount"]) if "vat_amount" in usable else None
    if rate is not None and rate in DUTCH_VAT_CODES:
        values["vat_code"] = DUTCH_VAT_CODES[rate]
    elif (
        total is not None
        and vat_amount is not None
        and (code := vat_code_from_amounts(total=total, vat_amount=vat_amount))
    ):
        values["vat_code"] = code
    elif rate is not None:
        held["vat_code"] = HeldBack.NOT_A_DUTCH_RATE
    elif {"vat_rate", "vat_amount"} & low:
        held["vat_code"] = HeldBack.LOW_CONFIDENCE

    return VoucherSuggestion(values=values, held_back=held, currency=currency)


def _empty(value) -> bool:
    return value is None or str(value).strip() == ""


def voucher_fill(*, document: Document, values: dict) -> VoucherFill:
    """Fill the empty voucher fields in ``values`` from ``document``; pure.

    What the user typed is never overwritten: only a field that is empty (absent,
    ``None`` or blank) takes the document's value.
    """
    suggestion = voucher_suggestion(document=document)
    result = {name: value for name, value in values.items()}
    filled: dict[str, str] = {}
    for name in FILLABLE_FIELDS:
        if name in suggestion.values and _empty(values.get(name)):
            result[name] = suggestion.values[name]
            filled[name] = suggestion.values[name]
    return VoucherFill(values=result, filled=filled, suggestion=suggestion)


def _check_linkable(*, document: Document, by: User) -> None:
    _require_link_permission(user=by)
    if document.deleted_at is not None:
        raise ApplicationError(
            _("This document is in the trash. Restore it first."),
            code="trashed",
            status_code=409,
        )
    if document.voucher_id is not None:
        raise ApplicationError(
            _(
                "This document is already linked to another voucher. Unlink it "
                "there first."
            ),
            code="already_linked",
            status_code=409,
        )


def voucher_fill_from_document(
    *, document: Document, values: dict, by: User
) -> VoucherFill:
    """ "+" on a voucher not saved yet: its empty fields from the document.

    Nothing is saved: the bookkeeper checks the voucher, completes it and saves it
    with "Opslaan", which links the document (:func:`voucher_create_with_document`).
    Refused like a link: without "Bijlagen koppelen en verwijderen", for a document
    in the trash or linked to a voucher already.
    """
    _check_linkable(document=document, by=by)
    return voucher_fill(document=document, values=values)


def _same(saved, suggested: str) -> bool:
    if isinstance(saved, Decimal):
        return saved == _decimal(suggested)
    if hasattr(saved, "isoformat"):
        return saved.isoformat() == suggested
    return str(saved) == suggested


def voucher_create_with_document(
    *, document: Document, by: User, filled_fields=(), **fields
) -> "Voucher":
    """Save a new voucher and link ``document`` to it, in one transaction.

    ``filled_fields`` are the fields the document filled when "+" was pressed; the
    audit record of the link names those still holding the document's value. If the
    link is refused the voucher is not saved and its number is given back.
    """
    from vouchers.services import voucher_create

    _check_linkable(document=document, by=by)
    suggestion = voucher_suggestion(document=document)
    filled = {
        name: suggestion.values[name]
        for name in FILLABLE_FIELDS
        if name in filled_fields
        and name in suggestion.values
        and _same(fields.get(name), suggestion.values[name])
    }
    with transaction.atomic():
        voucher = voucher_create(**fields)
        document_link(document=document, voucher=voucher, by=by, filled=filled)
    return voucher


def document_unlink(*, document: Document, by: User) -> None:
    """Remove the document's link to its voucher (nothing happens if it has none)."""
    _require_link_permission(user=by)
    with transaction.atomic():
        locked = _locked(document)
        if locked.voucher_id is None:
            return
        voucher = locked.voucher
        locked.voucher = None
        locked.save(update_fields=["voucher", "updated_at"])
        _event(
            action=DocumentEvent.Action.UNLINKED,
            document_id=locked.pk,
            actor=by,
            voucher=voucher,
        )
    document.voucher = None


def document_trash(*, document: Document, by: User) -> None:
    """Move a document to the trash; it stays restorable there for 30 days.

    A linked document is refused with 409 ``linked``: unlink it first. The sender may
    trash his own documents (from the phone); the bookkeeper needs "Bijlagen koppelen
    en verwijderen" for anyone's.
    """
    if document.uploaded_by_id != by.pk:
        _require_link_permission(user=by)
    with transaction.atomic():
        locked = _locked(document)
        if locked.deleted_at is not None:
            return
        if locked.voucher_id is not None:
            raise ApplicationError(
                _(
                    "This document is linked to voucher %(voucher)s. Unlink it before "
                    "deleting it."
                )
                % {"voucher": locked.voucher},
                code="linked",
                status_code=409,
            )
        locked.deleted_at = timezone.now()
        locked.save(update_fields=["deleted_at", "updated_at"])
        _event(action=DocumentEvent.Action.TRASHED, document_id=locked.pk, actor=by)
    document.deleted_at = locked.deleted_at


def document_restore(*, document: Document, by: User) -> None:
    """Take a document out of the trash, back into the attachments panel."""
    _require_link_permission(user=by)
    with transaction.atomic():
        locked = _locked(document)
        if locked.deleted_at is None:
            return
        locked.deleted_at = None
        locked.save(update_fields=["deleted_at", "updated_at"])
        _event(action=DocumentEvent.Action.RESTORED, document_id=locked.pk, actor=by)
    document.deleted_at = None


def _purge(document: Document) -> None:
    """Remove the rows, then the files through the storage once committed."""
    files = [document.pdf] if document.pdf else []
    for page in document.pages.all():
        files += [f for f in (page.original, page.preview, page.thumbnail) if f]
    names = [(f.storage, f.name) for f in files]
    document.delete()

    def remove_files() -> None:
        for storage, name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Could not remove %s", name)

    transaction.on_commit(remove_files)


def document_purge(*, document: Document, by: User) -> None:
    """Delete a document in the trash for good, with its files. Not undoable.

    Only from the trash: a document outside it is refused with ``not_in_trash``.
    """
    _require_link_permission(user=by)
    with transaction.atomic():
        locked = _locked(document)
        if locked.deleted_at is None:
            raise ApplicationError(
                _("Move the document to the trash before deleting it for good."),
                code="not_in_trash",
                status_code=409,
            )
        document_id = locked.pk
        _purge(locked)
        _event(action=DocumentEvent.Action.PURGED, document_id=document_id, actor=by)


def documents_trash_empty(*, now: datetime | None = None) -> int:
    """Delete for good what has been in the trash for more than 30 days."""
    cutoff = (now or timezone.now()) - timedelta(days=TRASH_DAYS)
    count = 0
    for document_id in Document.objects.filter(deleted_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            document = (
                Document.objects.select_for_update()
                .filter(pk=document_id, deleted_at__lt=cutoff)
                .first()
            )
            if document is not None:
                _purge(document)
                count += 1
    return count


def document_duplicate_dismiss(*, document: Document, by: User) -> None:
    """The bookkeeper says the document is not a duplicate; the flag goes away."""
    _require_link_permission(user=by)
    with transaction.atomic():
        locked = _locked(document)
        if locked.duplicate_of_id is None or locked.duplicate_dismissed:
            return
        locked.duplicate_dismissed = True
        locked.save(update_fields=["duplicate_dismissed", "updated_at"])
        _event(
            action=DocumentEvent.Action.DUPLICATE_DISMISSED,
            document_id=locked.pk,
            actor=by,
        )
    document.duplicate_dismissed = True


def _require_link_permission(*, user: User) -> None:
    if not user.has_perm(ScannerFunction.LINK_ATTACHMENTS):
        raise ApplicationError(
            _("Your access profile does not include linking and deleting attachments."),
            code="permission_denied",
            status_code=403,
        )


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
    sign_in_succeeded(request, email=email)
    phone_access_check(user=user)
    # The API no longer sweeps a user's expired tokens on every request (knox does):
    # the phones that stopped using theirs are cleared here.
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    instance, token = AuthToken.objects.create(user)
    MobileDevice.objects.create(token=instance, name=device_name[:100])
    return PhoneSignIn(user=user, token=token, expires_at=instance.expiry)


def phone_access_check(*, user: User) -> None:
    """Raise the reason this signed-in user may not use the scanner now, if any."""
    access = scanner_access(user)
    if not access.service_active:
        raise scanner_inactive_error()
    if not access.registered:
        raise ApplicationError(
            _(
                "You are not registered as a mobile user. Ask your administrator to "
                "register you, or register yourself under Administration → Settings "
                "→ User → Services."
            ),
            code="not_registered",
            status_code=403,
        )
    if not access.may_use:
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
