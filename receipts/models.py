"""Documents received from the phone, their pages and their processing history.

A document's status moves::

    received ──▶ processing ──▶ ready
                     │    ▲
                     │    └── (worker lost: retried, at most 3 attempts)
                     └──────▶ failed (code + human reason)

Every transition is saved as a :class:`StatusChange` with its time. The originals are
kept unchanged; previews, thumbnails and the bundled PDF are derived from them and
carry no metadata. Deleting moves a document to the trash (``deleted_at``); it is never
removed silently.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from users.models import Company


def original_upload_to(page: "DocumentPage", filename: str) -> str:
    """Server-made names only: the client's file name is never used on disk."""
    return f"documents/{page.document_id}/original-{page.number}.{page.file_type}"


def derived_upload_to(instance: models.Model, filename: str) -> str:
    document_id = getattr(instance, "document_id", None) or instance.pk
    return f"documents/{document_id}/{filename}"


class Document(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        INVOICE = "invoice", _("Invoice")

    class OcrStatus(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("read")
        SKIPPED = "skipped", _("not available")
        FAILED = "failed", _("failed")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    failure_code = models.CharField(max_length=40, blank=True)
    failure_detail = models.CharField(max_length=500, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size"), default=0)
    pdf = models.FileField(upload_to=derived_upload_to, max_length=200, blank=True)
    phash = models.CharField(max_length=64, blank=True, db_index=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duplicate_dismissed = models.BooleanField(default=False)
    processing_attempts = models.PositiveSmallIntegerField(default=0)
    ocr_status = models.CharField(
        _("text recognition"),
        max_length=12,
        choices=OcrStatus.choices,
        default=OcrStatus.PENDING,
    )
    ocr_failure = models.CharField(max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    # {"supplier": {"value": "...", "confidence": 0.8}, ...}: see receipts.extraction.
    extracted_fields = models.JSONField(_("extracted fields"), default=dict, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    voucher = models.ForeignKey(
        "vouchers.Voucher",
        verbose_name=_("voucher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["uploaded_by", "-created_at"]),
            models.Index(fields=["company", "status"]),
            # The attachments panel: the company's documents outside the trash,
            # newest first (and the trash, newest deletion first).
            models.Index(
                fields=["company", "-created_at", "-id"],
                condition=models.Q(deleted_at__isnull=True),
                name="receipts_document_panel",
            ),
            models.Index(
                fields=["company", "-deleted_at", "-id"],
                condition=models.Q(deleted_at__isnull=False),
                name="receipts_document_trash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id}"

    def failure_text(self) -> str:
        """Why processing failed, in the active language (the pipeline stores the
        English message id, whatever the language of the moment)."""
        return gettext(self.failure_detail) if self.failure_detail else ""


class DocumentPage(models.Model):
    class FileType(models.TextChoices):
        JPEG = "jpg", "JPEG"
        PNG = "png", "PNG"
        HEIF = "heic", "HEIC/HEIF"
        PDF = "pdf", "PDF"

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="pages"
    )
    number = models.PositiveSmallIntegerField()
    file_type = models.CharField(max_length=4, choices=FileType.choices)
    original = models.FileField(upload_to=original_upload_to, max_length=200)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    preview = models.FileField(upload_to=derived_upload_to, max_length=200, blank=True)
    thumbnail = models.FileField(
        upload_to=derived_upload_to, max_length=200, blank=True
    )
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="receipts_page_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} p{self.number}"


class StatusChange(models.Model):
    """One transition of a document's status, append-only."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=12, choices=Document.Status.choices)
    code = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.status}"

    def detail_text(self) -> str:
        """The reason in the active language (stored as the English message id)."""
        return gettext(self.detail) if self.detail else ""


class IdempotencyRecord(models.Model):
    """The first answer to an upload with a client's ``Idempotency-Key``.

    A repeat with the same key and payload gets this answer again; another payload gets
    422; a repeat while the first is still running gets 409.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress"
        DONE = "done"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.UUIDField()
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.IN_PROGRESS
    )
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="receipts_idempotency_user_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class MobileDevice(models.Model):
    """A phone signed in with a token (the token itself is knox's, stored hashed)."""

    token = models.OneToOneField(
        "knox.AuthToken", on_delete=models.CASCADE, related_name="device"
    )
    name = models.CharField(_("device name"), max_length=100)
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), auto_now_add=True)

    class Meta:
        ordering = ["-last_used_at"]
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.name


class DocumentEventQuerySet(models.QuerySet["DocumentEvent"]):
    """Append-only: rows are added, never changed or removed through the ORM."""

    def update(self, **kwargs) -> int:
        raise TypeError("Document events cannot be changed.")

    def delete(self):
        raise TypeError("Document events cannot be deleted.")


class DocumentEvent(models.Model):
    """Who linked, unlinked, deleted, restored or removed a document, and when.

    The document and voucher are kept as text so that the record outlives a document
    deleted for good.
    """

    class Action(models.TextChoices):
        LINKED = "linked", _("Linked")
        UNLINKED = "unlinked", _("Unlinked")
        TRASHED = "trashed", _("Moved to the trash")
        RESTORED = "restored", _("Restored")
        PURGED = "purged", _("Deleted for good")
        DUPLICATE_DISMISSED = "duplicate_dismissed", _("Not a duplicate")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    actor_email = models.CharField(_("who (e-mail)"), max_length=254)
    action = models.CharField(_("what"), max_length=30, choices=Action.choices)
    document_id = models.UUIDField(_("document"), db_index=True)
    voucher_label = models.CharField(_("voucher"), max_length=30, blank=True)
    # What else the action did: a link records the voucher fields the document
    # filled, {"filled": {"date": "2026-12-03", ...}}.
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = DocumentEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("document event")
        verbose_name_plural = _("document events")

    def __str__(self) -> str:
        return f"{self.actor_email} {self.action} {self.document_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("Document events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Document events cannot be deleted.")
