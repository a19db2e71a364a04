from django.contrib import admin

from integrations.models import Integration, IntegrationEvent, TermsAcceptance
from mamut.admin import ReadOnlyAdmin


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
