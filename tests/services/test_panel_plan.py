"""On PostgreSQL the panel's default view reads the documents through an index."""

import pytest
from django.db import connection

from receipts.models import Document
from receipts.selectors import PanelFilter, document_panel_page, panel_queryset
from tests.receipts.factories import mobile_user
from tests.receipts.panel import many

pytestmark = pytest.mark.services


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE receipts_document")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_default_panel_query_uses_an_index_not_a_seq_scan(
    active_scanner, django_assert_num_queries
):
    sender = mobile_user(email="anna@example.com")
    many(sender, 20_000)
    Document.objects.filter(pk__in=Document.objects.values("pk")[:2000]).update(
        deleted_at="2026-11-01T00:00Z"
    )

    with django_assert_num_queries(3):  # the company, the documents, first pages
        page = document_panel_page(show=PanelFilter.ALL)
    assert len(page.documents) == 24

    plans = {
        show: plan_of(panel_queryset(show=show)[:25])
        for show in (PanelFilter.ALL, PanelFilter.TRASH)
    }
    for show, plan in plans.items():
        assert "receipts_document" in plan, plan
        assert "Seq Scan on receipts_document" not in plan, (show, plan)
    assert "receipts_document_panel" in plans[PanelFilter.ALL]
