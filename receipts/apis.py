"""The mobile REST API for documents: thin views over services and selectors.

Every view is a plain ``APIView`` with nested ``Input``/``Output`` serializers.
"""

import uuid

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from integrations.selectors import scanner_is_active
from mamut.errors import ApplicationError
from receipts.models import Document
from receipts.selectors import (
    document_file,
    document_get_for_sender,
    document_list_for_sender,
)
from receipts.services import (
    IncomingPage,
    StoredResponse,
    document_receive,
    document_trash,
    idempotent_call,
    page_sha256,
    upload_fingerprint,
)
from receipts.uploads import UploadLimitHandler
from users.models import ScannerFunction


class MobileScannerAccess(BasePermission):
    """The service is active and the signed-in user may use the scanner."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not scanner_is_active():
            raise ApplicationError(
                _("The Visma Mobile Scanner service is not active."),
                code="service_inactive",
                status_code=403,
            )
        if not request.user.has_perm(ScannerFunction.USE):
            raise ApplicationError(
                _("Your access profile does not include Visma Mobile Scanner."),
                code="permission_denied",
                status_code=403,
            )
        return True


ERROR = inline_serializer(
    "Error",
    {
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)


def errors(*codes: tuple[int, str]) -> dict[int, OpenApiResponse]:
    """Error responses for the schema, each with the codes it can carry."""
    by_status: dict[int, list[str]] = {}
    for status_code, code in codes:
        by_status.setdefault(status_code, []).append(code)
    return {
        status_code: OpenApiResponse(ERROR, description="code: " + " | ".join(codes))
        for status_code, codes in by_status.items()
    }


AUTH_ERRORS = (
    (401, "not_authenticated"),
    (403, "service_inactive"),
    (403, "permission_denied"),
)


class DocumentOutput(serializers.ModelSerializer):
    pages = serializers.IntegerField(source="pages.count")
    failure = serializers.SerializerMethodField()
    duplicate_of = serializers.SerializerMethodField()
    linked = serializers.SerializerMethodField()
    voucher = serializers.SerializerMethodField()
    # Not "get_fields": that name is the serializer's own.
    fields = serializers.SerializerMethodField(method_name="extracted_fields")
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "status",
            "kind",
            "note",
            "pages",
            "created_at",
            "captured_at",
            "failure",
            "duplicate_of",
            "linked",
            "voucher",
            "fields",
            "url",
            "thumbnail_url",
            "preview_url",
            "pdf_url",
        ]

    def get_failure(self, document: Document) -> dict | None:
        if document.status != Document.Status.FAILED:
            return None
        return {"code": document.failure_code, "detail": document.failure_detail}

    def get_duplicate_of(self, document: Document) -> str | None:
        if document.duplicate_of_id is None or document.duplicate_dismissed:
            return None
        return str(document.duplicate_of_id)

    def get_linked(self, document: Document) -> bool:
        return False

    def get_voucher(self, document: Document) -> int | None:
        return None

    def extracted_fields(self, document: Document) -> dict:
        return {}

    def get_url(self, document: Document) -> str:
        return self._absolute(reverse("api:receipt-detail", args=[document.pk]))

    def get_thumbnail_url(self, document: Document) -> str | None:
        return self._file_url(document, "thumbnail")

    def get_preview_url(self, document: Document) -> str | None:
        return self._file_url(document, "preview")

    def get_pdf_url(self, document: Document) -> str | None:
        return self._file_url(document, "pdf")

    def _file_url(self, document: Document, rendition: str) -> str | None:
        if document.status != Document.Status.READY:
            return None
        return self._absolute(reverse(f"api:receipt-{rendition}", args=[document.pk]))

    def _absolute(self, path: str) -> str:
        request: HttpRequest | None = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DocumentPagination(CursorPagination):
    ordering = ("-created_at", "-pk")
    page_size = 25


class ReceiptListApi(APIView):
    permission_classes = [MobileScannerAccess]
    parser_classes = [MultiPartParser]
    throttle_scope = "uploads"

    class Input(serializers.Serializer):
        file = serializers.ListField(child=serializers.FileField(), allow_empty=False)
        kind = serializers.ChoiceField(choices=Document.Kind.choices)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True)
        captured_at = serializers.DateTimeField(required=False)

    class Created(serializers.Serializer):
        id = serializers.UUIDField()
        status = serializers.CharField()
        kind = serializers.CharField()
        pages = serializers.IntegerField()
        url = serializers.URLField()

    def get_throttles(self):
        if self.request.method == "POST":
            return [ScopedRateThrottle()]
        return []

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Before the body is parsed: count bytes as they stream in.
        request._request.upload_handlers.insert(0, UploadLimitHandler(request._request))
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="receipts_upload",
        request={"multipart/form-data": Input},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                type=str,
                location=OpenApiParameter.HEADER,
                required=True,
                description="A UUID made by the client, the same for every retry.",
            )
        ],
        responses={
            201: Created,
            200: Created,
            **errors(
                (400, "idempotency_key_required"),
                (400, "invalid_file"),
                (400, "invalid"),
                (409, "request_in_progress"),
                (413, "too_large"),
                (413, "quota_exceeded"),
                (415, "unsupported_media_type"),
                (422, "idempotency_key_reused"),
                (429, "throttled"),
                *AUTH_ERRORS,
            ),
        },
    )
    def post(self, request: Request) -> Response:
        key = self._idempotency_key(request)
        data = request.data  # parses the body
        if getattr(request._request, "upload_too_large", False):
            raise ApplicationError(
                _("The upload is larger than allowed."),
                code="too_large",
                status_code=413,
            )
        payload = self.Input(
            data={**data.dict(), "file": request.FILES.getlist("file")}
        )
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        pages = [IncomingPage(file=f, size=f.size) for f in values["file"]]
        hashes = [page_sha256(page) for page in pages]
        fingerprint = upload_fingerprint(
            kind=values["kind"],
            note=values.get("note", ""),
            captured_at=values.get("captured_at"),
            page_hashes=hashes,
        )

        def receive() -> StoredResponse:
            document = document_receive(
                user=request.user,
                kind=values["kind"],
                note=values.get("note", ""),
                captured_at=values.get("captured_at"),
                pages=pages,
                page_hashes=hashes,
            )
            body = self.Created(
                {
                    "id": document.pk,
                    "status": document.status,
                    "kind": document.kind,
                    "pages": len(pages),
                    "url": request.build_absolute_uri(
                        reverse("api:receipt-detail", args=[document.pk])
                    ),
                }
            ).data
            return StoredResponse(status.HTTP_201_CREATED, dict(body))

        stored = idempotent_call(
            user=request.user, key=key, fingerprint=fingerprint, call=receive
        )
        return Response(stored.body, status=stored.status)

    @extend_schema(
        operation_id="receipts_list",
        parameters=[
            OpenApiParameter(
                "status", enum=Document.Status.values, required=False, type=str
            )
        ],
        responses={200: DocumentOutput(many=True), **errors(*AUTH_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        status_filter = request.query_params.get("status", "")
        if status_filter and status_filter not in Document.Status.values:
            raise ApplicationError(
                _("Unknown status."),
                code="invalid",
                fields={
                    "status": [
                        _("Choose one of: %(choices)s.")
                        % {"choices": ", ".join(Document.Status.values)}
                    ]
                },
            )
        documents = document_list_for_sender(user=request.user, status=status_filter)
        paginator = DocumentPagination()
        page = paginator.paginate_queryset(documents, request, view=self)
        output = DocumentOutput(page, many=True, context={"request": request})
        return paginator.get_paginated_response(output.data)

    @staticmethod
    def _idempotency_key(request: Request) -> uuid.UUID:
        raw = request.headers.get("Idempotency-Key", "")
        if not raw:
            raise ApplicationError(
                _("Send an Idempotency-Key header with a UUID made by the app."),
                code="idempotency_key_required",
            )
        try:
            return uuid.UUID(raw)
        except ValueError:
            raise ApplicationError(
                _("The Idempotency-Key must be a UUID."),
                code="idempotency_key_required",
            ) from None


class ReceiptDetailApi(APIView):
    permission_classes = [MobileScannerAccess]

    @extend_schema(
        operation_id="receipts_retrieve",
        responses={200: DocumentOutput, **errors((404, "not_found"), *AUTH_ERRORS)},
    )
    def get(self, request: Request, document_id: uuid.UUID) -> Response:
        document = self._document(request, document_id)
        return Response(DocumentOutput(document, context={"request": request}).data)

    @extend_schema(
        operation_id="receipts_destroy",
        responses={
            204: None,
            **errors((404, "not_found"), (409, "linked"), *AUTH_ERRORS),
        },
    )
    def delete(self, request: Request, document_id: uuid.UUID) -> Response:
        document = self._document(request, document_id)
        document_trash(document=document, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @staticmethod
    def _document(request: Request, document_id: uuid.UUID) -> Document:
        document = document_get_for_sender(user=request.user, document_id=document_id)
        if document is None:
            raise ApplicationError(_("Not found."), code="not_found", status_code=404)
        return document


class ReceiptFileApi(APIView):
    """A derived file of one's own document, never an upload served as is."""

    permission_classes = [MobileScannerAccess]
    RENDITIONS = {
        "thumbnail": ("image/jpeg", "inline", "jpg"),
        "preview": ("image/jpeg", "inline", "jpg"),
        "pdf": ("application/pdf", "attachment", "pdf"),
    }

    @extend_schema(
        responses={
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            **errors((404, "not_found"), *AUTH_ERRORS),
        },
    )
    def get(
        self, request: Request, document_id: uuid.UUID, rendition: str
    ) -> FileResponse:
        document = ReceiptDetailApi._document(request, document_id)
        file = document_file(document=document, rendition=rendition)
        if file is None:
            raise ApplicationError(_("Not found."), code="not_found", status_code=404)
        content_type, disposition, extension = self.RENDITIONS[rendition]
        response = FileResponse(
            file.open("rb"),
            content_type=content_type,
            as_attachment=disposition == "attachment",
            filename=f"{document.get_kind_display().lower()}-{document.pk}.{extension}",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response
