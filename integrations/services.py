"""Every write of the integrations app: activating and deactivating an integration.

Both take a row lock on the integration first, so two administrators finishing the
wizard at the same moment (or one double click) make one activation: the second waits
for the first, then finds the service active and changes nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from integrations.models import Integration, IntegrationEvent, TermsAcceptance
from integrations.selectors import integrations_may_manage
from integrations.terms import terms_current, terms_outdated_error
from mamut.errors import ApplicationError
from users.models import User


def _ensure_may_manage(actor: User) -> None:
    if not integrations_may_manage(user=actor):
        raise ApplicationError(
            _("You may not manage integrations."),
            code="permission_denied",
            status_code=status.HTTP_403_FORBIDDEN,
        )


def _integration_locked(kind: str) -> Integration:
    """The integration's row, created if missing, locked until the transaction ends."""
    integration, _created = Integration.objects.select_for_update().get_or_create(
        kind=kind
    )
    return integration


def _ensure_current_terms(*, version: int, language: str, text_sha256: str) -> None:
    """The accepted text must be the current version's, exactly as it reads now."""
    try:
        current = terms_current(language=language)
    except LookupError:
        current = None
    accepted = (version, language, text_sha256)
    if current is None or (current.version, current.language, current.sha256) != (
        accepted
    ):
        raise terms_outdated_error()


@transaction.atomic
def integration_activate(
    *,
    kind: str,
    actor: User,
    terms_version: int,
    terms_language: str,
    terms_sha256: str,
    ip_address: str | None,
) -> Integration:
    """Activate the integration with the terms the actor accepted.

    The acceptance must be of the current terms version, with the hash of its text
    in the language it was shown in. Records the acceptance and an ``activated``
    event. An integration that is already active is returned unchanged (no second
    acceptance or event), so a repeated finish is harmless.
    """
    _ensure_may_manage(actor)
    _ensure_current_terms(
        version=terms_version, language=terms_language, text_sha256=terms_sha256
    )
    integration = _integration_locked(kind)
    if integration.is_active:
        return integration

    now = timezone.now()
    acceptance = TermsAcceptance.objects.create(
        integration=integration,
        terms_version=terms_version,
        language=terms_language,
        text_sha256=terms_sha256,
        accepted_by=actor,
        accepted_at=now,
        ip_address=ip_address,
    )
    integration.is_active = True
    integration.activated_at = now
    integration.activated_by = actor
    integration.terms_acceptance = acceptance
    integration.save(
        update_fields=["is_active", "activated_at", "activated_by", "terms_acceptance"]
    )
    IntegrationEvent.objects.create(
        integration=integration,
        action=IntegrationEvent.Action.ACTIVATED,
        actor=actor,
        occurred_at=now,
        ip_address=ip_address,
        terms_acceptance=acceptance,
    )
    return integration


@transaction.atomic
def integration_deactivate(
    *, kind: str, actor: User, ip_address: str | None
) -> Integration:
    """Deactivate the integration and record a ``deactivated`` event.

    Nothing else is removed: mobile-user registrations and received documents stay, so
    a later activation lets registered users continue. An inactive integration is
    returned unchanged.
    """
    _ensure_may_manage(actor)
    integration = _integration_locked(kind)
    if not integration.is_active:
        return integration

    integration.is_active = False
    integration.activated_at = None
    integration.activated_by = None
    integration.terms_acceptance = None
    integration.save(
        update_fields=["is_active", "activated_at", "activated_by", "terms_acceptance"]
    )
    IntegrationEvent.objects.create(
        integration=integration,
        action=IntegrationEvent.Action.DEACTIVATED,
        actor=actor,
        occurred_at=timezone.now(),
        ip_address=ip_address,
    )
    return integration


def scanner_activate(
    *,
    actor: User,
    terms_version: int,
    terms_language: str,
    terms_sha256: str,
    ip_address: str | None,
) -> Integration:
    """Activate Visma Mobile Scanner; see ``integration_activate``."""
    return integration_activate(
        kind=Integration.Kind.MOBILE_SCANNER,
        actor=actor,
        terms_version=terms_version,
        terms_language=terms_language,
        terms_sha256=terms_sha256,
        ip_address=ip_address,
    )


def scanner_deactivate(*, actor: User, ip_address: str | None) -> Integration:
    """Deactivate Visma Mobile Scanner; see ``integration_deactivate``."""
    return integration_deactivate(
        kind=Integration.Kind.MOBILE_SCANNER, actor=actor, ip_address=ip_address
    )
