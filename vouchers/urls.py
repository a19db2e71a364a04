from django.urls import path

from vouchers import views

urlpatterns = [
    path("", views.voucher_entry, name="voucher-entry"),
    path("<int:voucher_id>/", views.voucher_edit, name="voucher-edit"),
    path("list/", views.voucher_list_view, name="voucher-list"),
]
