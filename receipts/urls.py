from django.urls import path

from receipts import apis

app_name = "api"

urlpatterns = [
    path("auth/token/", apis.TokenApi.as_view(), name="auth-token"),
    path("me/", apis.MeApi.as_view(), name="me"),
    path("receipts/", apis.ReceiptListApi.as_view(), name="receipt-list"),
    path(
        "receipts/<uuid:document_id>/",
        apis.ReceiptDetailApi.as_view(),
        name="receipt-detail",
    ),
    *(
        path(
            f"receipts/<uuid:document_id>/{rendition}/",
            apis.ReceiptFileApi.as_view(),
            {"rendition": rendition},
            name=f"receipt-{rendition}",
        )
        for rendition in apis.ReceiptFileApi.RENDITIONS
    ),
]
