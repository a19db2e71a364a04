from django.contrib import admin
from django.http import HttpRequest

from integrations.models import Integration, IntegrationEvent, TermsAcceptance


class ReadOnlyAdmin(admin.ModelAdmin):
    """For inspection only: changes go through the wizard and its services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Integration)
class IntegrationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "is_active", "activated_at", "activated_by"]


@admin.register(IntegrationEvent)
class IntegrationEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "integration", "action", "actor", "ip_address"]
    list_filter = ["integration", "action"]


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(ReadOnlyAdmin):
    list_display = [
        "accepted_at",
        "integration",
        "terms_version",
        "language",
        "accepted_by",
        "ip_address",
    ]
