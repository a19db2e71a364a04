"""The browser pages of the attachments panel (the mobile API is in receipts.urls)."""

from django.urls import path

from receipts import views

urlpatterns = [
    path("", views.attachments_panel, name="attachments-panel"),
    path("<uuid:document_id>/", views.attachment_detail, name="attachment-detail"),
    path(
        "<uuid:document_id>/pdf/",
        views.attachment_file,
        {"rendition": "pdf"},
        name="attachment-pdf",
    ),
    path(
        "<uuid:document_id>/pages/<int:number>/<str:rendition>/",
        views.attachment_file,
        name="attachment-page",
    ),
    path("<uuid:document_id>/link/", views.attachment_link, name="attachment-link"),
    path(
        "<uuid:document_id>/unlink/", views.attachment_unlink, name="attachment-unlink"
    ),
    path("<uuid:document_id>/delete/", views.attachment_trash, name="attachment-trash"),
    path(
        "<uuid:document_id>/restore/",
        views.attachment_restore,
        name="attachment-restore",
    ),
    path(
        "<uuid:document_id>/delete-for-good/",
        views.attachment_purge,
        name="attachment-purge",
    ),
    path(
        "<uuid:document_id>/not-a-duplicate/",
        views.attachment_duplicate_dismiss,
        name="attachment-duplicate-dismiss",
    ),
]
