"""Reads of the integrations app."""

from integrations.models import Integration


def scanner_is_active() -> bool:
    """Whether the Visma Mobile Scanner service is active for the company.

    The mobile API answers 403 ``service_inactive`` on every call while this is false.
    """
    return Integration.objects.filter(
        kind=Integration.Kind.MOBILE_SCANNER, is_active=True
    ).exists()
