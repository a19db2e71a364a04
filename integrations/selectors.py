"""Reads of the integrations app."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from integrations.models import Integration, IntegrationEvent
from mamut.errors import ApplicationError
from users.models import ScannerFunction, User


def scanner_is_active() -> bool:
    """Whether the Visma Mobile Scanner service is active for the company.

    The mobile API answers 403 ``service_inactive`` on every call while this is false.
    """
    return Integration.objects.filter(
        kind=Integration.Kind.MOBILE_SCANNER, is_active=True
    ).exists()


def scanner_inactive_error() -> ApplicationError:
    """The mobile API's answer while the service is off: 403 ``service_inactive``."""
    return ApplicationError(
        _("The Visma Mobile Scanner service is not active for this company."),
        code="service_inactive",
        status_code=status.HTTP_403_FORBIDDEN,
    )


def scanner_require_active() -> None:
    """For the mobile API: 403 ``service_inactive`` unless the service is active."""
    if not scanner_is_active():
        raise scanner_inactive_error()


def integrations_may_manage(*, user: User) -> bool:
    """Whether the user may activate and deactivate integrations."""
    return user.is_active and user.has_perm(ScannerFunction.MANAGE_INTEGRATIONS)


def scanner_activation_offered(*, user: User) -> bool:
    """Whether to offer the user "Visma Mobile Scanner activeren" in a toolbar."""
    return integrations_may_manage(user=user) and not scanner_is_active()


def integration_get(*, kind: str) -> Integration | None:
    """The integration with who activated it and the accepted terms, if it exists."""
    return (
        Integration.objects.select_related("activated_by", "terms_acceptance")
        .filter(kind=kind)
        .first()
    )


def integration_history(*, kind: str) -> QuerySet[IntegrationEvent]:
    """The activations and deactivations of an integration, newest first."""
    return IntegrationEvent.objects.filter(integration__kind=kind).select_related(
        "actor", "terms_acceptance"
    )
