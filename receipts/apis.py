"""The mobile REST API for documents: thin views over services and selectors.

Every view is a plain ``APIView`` with nested ``Input``/``Output`` serializers.
"""

import uuid

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamut.errors import ApplicationError
from mamut.http import client_ip
from mamut.throttling import ResilientScopedRateThrottle
from receipts.models import Document
from receipts.selectors import (
    document_fields,
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
    phone_access_check,
    phone_sign_in,
    phone_sign_out,
    upload_fingerprint,
)
from receipts.uploads import UploadLimitHandler
from users.models import Company
from users.selectors import scanner_function_choices, user_has_function


class MobileScannerAccess(BasePermission):
    """The service is active and the signed-in user may use the scanner."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        try:
            phone_access_check(user=request.user)
        except ApplicationError as error:
            if error.code == "not_registered":
                # Deactivating a mobile user revokes its tokens; a token that
                # outlived its registration is no sign-in at all.
                raise exceptions.AuthenticationFailed() from None
            raise
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


class ExtractedValue(serializers.Serializer):
    value = serializers.CharField()
    confidence = serializers.FloatField(min_value=0, max_value=1)


class ExtractedFields(serializers.Serializer):
    """The fields read from the receipt; a field that was not found is absent."""

    supplier = ExtractedValue(required=False, help_text="The seller's name as printed.")
    date = ExtractedValue(required=False, help_text="The document date, YYYY-MM-DD.")
    total = ExtractedValue(
        required=False,
        help_text='The total including VAT, a decimal string ("12.50").',
    )
    vat_amount = ExtractedValue(
        required=False, help_text='The VAT amount, a decimal string ("2.17").'
    )
    vat_rate = ExtractedValue(
        required=False, help_text='The VAT rate in percent ("21", "6").'
    )
    currency = ExtractedValue(
        required=False, help_text='The ISO 4217 currency code ("EUR", "MYR").'
    )
    invoice_number = ExtractedValue(
        required=False, help_text="The invoice number, for invoices."
    )


class DocumentOutput(serializers.ModelSerializer):
    pages = serializers.IntegerField(source="pages.count")
    failure = serializers.SerializerMethodField()
    duplicate_of = serializers.SerializerMethodField()
    linked = serializers.SerializerMethodField()
    voucher = serializers.IntegerField(
        source="voucher.number",
        allow_null=True,
        read_only=True,
        help_text="The number of the voucher it is linked to, or null.",
    )
    voucher_year = serializers.IntegerField(
        source="voucher.year",
        allow_null=True,
        read_only=True,
        help_text="The year of that voucher (numbers start again each year), or null.",
    )
    # Not "get_fields": that name is the serializer's own.
    fields = serializers.SerializerMethodField(method_name="extracted_fields")
    text = serializers.CharField(
        read_only=True, help_text="The full text read from page 1 (may be empty)."
    )
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
            "voucher_year",
            "fields",
            "text",
            "url",
            "thumbnail_url",
            "preview_url",
            "pdf_url",
        ]

    def get_failure(self, document: Document) -> dict | None:
        if document.status != Document.Status.FAILED:
            return None
        return {"code": document.failure_code, "detail": document.failure_text()}

    def get_duplicate_of(self, document: Document) -> str | None:
        if document.duplicate_of_id is None or document.duplicate_dismissed:
            return None
        return str(document.duplicate_of_id)

    def get_linked(self, document: Document) -> bool:
        return document.voucher_id is not None

    @extend_schema_field(ExtractedFields)
    def extracted_fields(self, document: Document) -> dict:
        return document_fields(document=document)

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


class DocumentPage(serializers.Serializer):
    """One page of the cursor-paginated document list."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DocumentOutput(many=True)


class DocumentPagination(CursorPagination):
    ordering = ("-created_at", "-pk")
    page_size = 25

    def decode_cursor(self, request):
        """DRF's cursor, whose position (``created_at`` of the last row shown) must be
        an aware date and time too: anything else is DRF's invalid-cursor 404, not a
        500 from the database or a naive-datetime warning."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                position = parse_datetime(cursor.position)
            except ValueError:
                position = None
            if position is None or timezone.is_naive(position):
                raise exceptions.NotFound(self.invalid_cursor_message)
        return cursor


class ReceiptListApi(APIView):
    permission_classes = [MobileScannerAccess]
    parser_classes = [MultiPartParser]
    throttle_scope = "uploads"

    class UploadInput(serializers.Serializer):
        file = serializers.ListField(child=serializers.FileField(), allow_empty=False)
        kind = serializers.ChoiceField(choices=Document.Kind.choices)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True)
        captured_at = serializers.DateTimeField(required=False)

    class UploadCreated(serializers.Serializer):
        id = serializers.UUIDField()
        status = serializers.CharField()
        kind = serializers.CharField()
        pages = serializers.IntegerField()
        url = serializers.URLField()

    def get_throttles(self):
        if self.request.method == "POST":
            return [ResilientScopedRateThrottle()]
        return []

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Before the body is parsed: count bytes as they stream in.
        request._request.upload_handlers.insert(0, UploadLimitHandler(request._request))
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="receipts_upload",
        request={"multipart/form-data": UploadInput},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                type=str,
                location=OpenApiParameter.HEADER,
                required=True,
                description=(
                    "A UUID made by the client, the same for every retry. A retry "
                    "with the same key and the same upload gets the first answer "
                    "again (201, the same document), without a second document."
                ),
            )
        ],
        responses={
            201: UploadCreated,
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
                (503, "storage_unavailable"),
                (507, "storage_full"),
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
        payload = self.UploadInput(
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
            body = self.UploadCreated(
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
            ),
            OpenApiParameter(
                "cursor",
                type=str,
                required=False,
                description="From the `next` or `previous` link of a page.",
            ),
        ],
        responses={
            200: DocumentPage,
            **errors((400, "invalid"), (404, "not_found"), *AUTH_ERRORS),
        },
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


# --- Sign-in ------------------------------------------------------------------------


class UserOutput(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    name = serializers.CharField(source="get_full_name")


class TokenApi(APIView):
    """Sign a phone in (POST) or out (DELETE)."""

    class SignInInput(serializers.Serializer):
        email = serializers.EmailField()
        password = serializers.CharField(trim_whitespace=False)
        device_name = serializers.CharField(max_length=100)

    class SignInOutput(serializers.Serializer):
        token = serializers.CharField()
        expires_at = serializers.DateTimeField()
        user = UserOutput()

    def get_authenticators(self):
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_permissions()

    @extend_schema(
        operation_id="auth_token_create",
        auth=[],
        request=SignInInput,
        responses={
            201: SignInOutput,
            **errors(
                (400, "invalid"),
                (401, "invalid_credentials"),
                (403, "service_inactive"),
                (403, "not_registered"),
                (403, "permission_denied"),
                (413, "too_large"),
                (429, "throttled"),
            ),
        },
    )
    def post(self, request: Request) -> Response:
        payload = self.SignInInput(data=request.data)
        payload.is_valid(raise_exception=True)
        signed_in = phone_sign_in(
            email=payload.validated_data["email"],
            password=payload.validated_data["password"],
            device_name=payload.validated_data["device_name"],
            ip=client_ip(request._request),
            request=request._request,
        )
        output = self.SignInOutput(
            {
                "token": signed_in.token,
                "expires_at": signed_in.expires_at,
                "user": signed_in.user,
            }
        )
        return Response(output.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="auth_token_destroy",
        responses={204: None, **errors((401, "not_authenticated"))},
    )
    def delete(self, request: Request) -> Response:
        phone_sign_out(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    permission_classes = [MobileScannerAccess]

    class MeOutput(serializers.Serializer):
        user = UserOutput()
        employee = serializers.DictField(allow_null=True)
        company = serializers.CharField()
        service_active = serializers.BooleanField()
        functions = serializers.ListField(child=serializers.CharField())

    @extend_schema(
        operation_id="me_retrieve",
        responses={200: MeOutput, **errors(*AUTH_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        employee = user.employee
        functions = [
            permission.split(".", 1)[1]
            for permission, _label, _help in scanner_function_choices()
            if user_has_function(user, permission)
        ]
        output = self.MeOutput(
            {
                "user": user,
                "employee": (
                    {"name": employee.name, "number": employee.employee_number}
                    if employee
                    else None
                ),
                "company": Company.objects.current().name,
                "service_active": True,  # else the permission answered 403
                "functions": functions,
            }
        )
        return Response(output.data)
