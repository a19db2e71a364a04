from django.urls import path

from vouchers import views

urlpatterns = [
    path("", views.voucher_entry, name="voucher-entry"),
]
