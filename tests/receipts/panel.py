"""Documents for the attachments panel tests: real ones, and many at once."""

import io
import uuid

from receipts.models import Document, DocumentPage
from receipts.pipeline import document_process
from receipts.services import IncomingPage, document_receive
from tests.receipts.factories import jpeg_bytes
from users.models import Company, User

# What the reading step stores for the generated Dutch receipt (see test_extraction).
READ = {
    "supplier": {"value": "Bakkerij De Korenaar B.V.", "confidence": 0.8},
    "date": {"value": "2026-12-03", "confidence": 0.9},
    "total": {"value": "23.45", "confidence": 0.75},
    "vat_amount": {"value": "4.07", "confidence": 0.8},
    "vat_rate": {"value": "21", "confidence": 0.85},
    "currency": {"value": "EUR", "confidence": 0.9},
    "invoice_number": {"value": "F2026-0042", "confidence": 0.8},
}


def received(user: User, *, note: str = "", color: str = "white") -> Document:
    """A document sent as the phone does, then processed as the worker would."""
    data = jpeg_bytes(color=color)
    document = document_receive(
        user=user,
        kind="receipt",
        note=note,
        pages=[IncomingPage(file=io.BytesIO(data), size=len(data))],
    )
    document_process(document_id=str(document.pk))
    document.refresh_from_db()
    return document


def many(user: User, count: int, *, batch: int = 5000) -> None:
    """``count`` one-page documents, bulk-created (no files, no processing)."""
    company = Company.objects.current()
    for offset in range(0, count, batch):
        documents = [
            Document(
                id=uuid.uuid4(),
                company=company,
                uploaded_by=user,
                kind="receipt",
                status="ready",
            )
            for _index in range(min(batch, count - offset))
        ]
        Document.objects.bulk_create(documents)
        DocumentPage.objects.bulk_create(
            DocumentPage(
                document=document,
                number=1,
                file_type="jpg",
                original=f"documents/{document.pk}/original-1.jpg",
                thumbnail=f"documents/{document.pk}/thumbnail.jpg",
                size_bytes=1000,
                sha256=uuid.uuid4().hex * 2,
            )
            for document in documents
        )
