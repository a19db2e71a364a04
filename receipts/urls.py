from django.urls import path

from receipts import apis

app_name = "api"

urlpatterns = [
    path("receipts/", apis.ReceiptListApi.as_view(), name="receipt-list"),
    path(
        "receipts/<uuid:document_id>/",
        apis.ReceiptDetailApi.as_view(),
        name="receipt-detail",
    ),
]
