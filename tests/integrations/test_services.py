"""Activating and deactivating Visma Mobile Scanner through the service layer."""

import pytest
from django.db import IntegrityError, transaction

from integrations.models import Integration, IntegrationEvent, TermsAcceptance
from integrations.selectors import (
    integration_history,
    scanner_activation_offered,
    scanner_is_active,
    scanner_require_active,
)
from integrations.services import scanner_activate, scanner_deactivate
from integrations.terms import Terms, terms_current
from mamut.errors import ApplicationError
from tests.integrations.conftest import add_terms_version

pytestmark = pytest.mark.django_db


def activate(user, terms: Terms, ip: str | None = "192.0.2.10") -> Integration:
    return scanner_activate(
        actor=user,
        terms_version=terms.version,
        terms_language=terms.language,
        terms_sha256=terms.sha256,
        ip_address=ip,
    )


def nothing_recorded() -> bool:
    return not (TermsAcceptance.objects.exists() or IntegrationEvent.objects.exists())


# --- Activate --------------------------------------------------------------------


def test_activation_records_status_acceptance_and_event(superuser, current_terms):
    integration = activate(superuser, current_terms)

    assert scanner_is_active()
    integration.refresh_from_db()
    assert integration.activated_by == superuser
    assert integration.activated_at is not None
    acceptance = integration.terms_acceptance
    assert acceptance.terms_version == current_terms.version
    assert acceptance.language == "nl"
    assert acceptance.text_sha256 == current_terms.sha256
    assert acceptance.accepted_by == superuser
    assert acceptance.ip_address == "192.0.2.10"
    assert acceptance.accepted_at == integration.activated_at
    (event,) = integration_history(kind=Integration.Kind.MOBILE_SCANNER)
    assert event.action == IntegrationEvent.Action.ACTIVATED
    assert event.actor == superuser
    assert event.terms_acceptance == acceptance
    assert event.ip_address == "192.0.2.10"


def test_activation_records_the_language_the_terms_were_shown_in(superuser):
    english = terms_current(language="en")

    integration = activate(superuser, english)

    assert integration.terms_acceptance.language == "en"
    assert integration.terms_acceptance.text_sha256 == english.sha256


def test_activating_an_active_service_changes_nothing(superuser, integration_manager):
    terms = terms_current(language="nl")
    first = activate(superuser, terms)

    second = activate(integration_manager, terms)

    assert second.pk == first.pk
    assert second.activated_by == superuser
    assert TermsAcceptance.objects.count() == 1
    assert IntegrationEvent.objects.count() == 1


# --- Deactivate ------------------------------------------------------------------


def test_deactivation_records_an_event_and_keeps_the_history(superuser, active_scanner):
    integration = scanner_deactivate(actor=superuser, ip_address="192.0.2.11")

    assert not scanner_is_active()
    assert integration.activated_at is None
    assert integration.activated_by is None
    assert integration.terms_acceptance is None
    actions = [
        event.action
        for event in integration_history(kind=Integration.Kind.MOBILE_SCANNER)
    ]
    assert actions == ["deactivated", "activated"]
    assert TermsAcceptance.objects.count() == 1  # the acceptance stays on record


def test_deactivating_an_inactive_service_changes_nothing(superuser):
    scanner_deactivate(actor=superuser, ip_address=None)
    scanner_deactivate(actor=superuser, ip_address=None)

    assert not scanner_is_active()
    assert not IntegrationEvent.objects.exists()


def test_reactivation_accepts_the_terms_again_and_appends_to_history(
    superuser, active_scanner, current_terms
):
    scanner_deactivate(actor=superuser, ip_address=None)

    integration = activate(superuser, current_terms)

    assert scanner_is_active()
    assert Integration.objects.count() == 1
    assert TermsAcceptance.objects.count() == 2
    assert integration.terms_acceptance != active_scanner.terms_acceptance
    actions = [
        event.action
        for event in integration_history(kind=Integration.Kind.MOBILE_SCANNER)
    ]
    assert actions == ["activated", "deactivated", "activated"]


# --- Terms versions --------------------------------------------------------------


def test_activation_with_an_older_terms_version_is_refused(superuser, terms_dir):
    old = terms_current(language="nl")
    add_terms_version(terms_dir, 2)

    with pytest.raises(ApplicationError) as refusal:
        activate(superuser, old)

    assert refusal.value.code == "terms_outdated"
    assert not scanner_is_active()
    assert nothing_recorded()


def test_activation_with_the_new_terms_version_records_it(superuser, terms_dir):
    add_terms_version(terms_dir, 2)

    integration = activate(superuser, terms_current(language="nl"))

    assert integration.terms_acceptance.terms_version == 2


def test_activation_with_a_text_that_was_changed_since_it_was_shown_is_refused(
    superuser, terms_dir
):
    shown = terms_current(language="nl")
    (terms_dir / "v1.nl.md").write_text(shown.text + "\nEen stille wijziging.\n")

    with pytest.raises(ApplicationError) as refusal:
        activate(superuser, shown)

    assert refusal.value.code == "terms_outdated"
    assert nothing_recorded()


def test_activation_with_a_made_up_version_or_language_is_refused(superuser):
    terms = terms_current(language="nl")

    for version, language in [(2, "nl"), (0, "nl"), (terms.version, "de")]:
        with pytest.raises(ApplicationError):
            scanner_activate(
                actor=superuser,
                terms_version=version,
                terms_language=language,
                terms_sha256=terms.sha256,
                ip_address=None,
            )

    assert nothing_recorded()


# --- Permissions -----------------------------------------------------------------


def test_a_plain_user_may_not_activate(plain_user, current_terms):
    with pytest.raises(ApplicationError) as refusal:
        activate(plain_user, current_terms)

    assert refusal.value.code == "permission_denied"
    assert refusal.value.status_code == 403
    assert not scanner_is_active()
    assert nothing_recorded()


def test_a_plain_user_may_not_deactivate(plain_user, active_scanner):
    with pytest.raises(ApplicationError) as refusal:
        scanner_deactivate(actor=plain_user, ip_address=None)

    assert refusal.value.code == "permission_denied"
    assert scanner_is_active()


def test_the_function_manage_integrations_allows_both(
    integration_manager, current_terms
):
    activate(integration_manager, current_terms)
    assert scanner_is_active()

    scanner_deactivate(actor=integration_manager, ip_address=None)
    assert not scanner_is_active()


def test_a_deactivated_superuser_account_may_not_activate(superuser, current_terms):
    superuser.is_active = False
    superuser.save()

    with pytest.raises(ApplicationError):
        activate(superuser, current_terms)


def test_activation_is_offered_only_to_managers_while_inactive(
    superuser, plain_user, integration_manager, current_terms
):
    assert scanner_activation_offered(user=superuser)
    assert scanner_activation_offered(user=integration_manager)
    assert not scanner_activation_offered(user=plain_user)

    activate(superuser, current_terms)

    assert not scanner_activation_offered(user=superuser)
    assert not scanner_activation_offered(user=integration_manager)


# --- What the mobile API asks ----------------------------------------------------


def test_require_active_refuses_with_service_inactive_while_inactive(superuser):
    with pytest.raises(ApplicationError) as refusal:
        scanner_require_active()

    assert refusal.value.code == "service_inactive"
    assert refusal.value.status_code == 403


def test_require_active_passes_while_active(active_scanner):
    scanner_require_active()


def test_service_inactive_is_rendered_as_the_api_error_body(superuser):
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    class Probe(APIView):
        permission_classes = ()

        def get(self, request):
            scanner_require_active()

    response = Probe.as_view()(APIRequestFactory().get("/api/probe"))

    assert response.status_code == 403
    assert response.data["code"] == "service_inactive"


# --- The audit record ------------------------------------------------------------


def test_audit_records_cannot_be_changed_or_deleted_through_the_orm(
    superuser, active_scanner
):
    event = IntegrationEvent.objects.get()
    acceptance = TermsAcceptance.objects.get()

    for record in (event, acceptance):
        with pytest.raises(TypeError):
            record.save()
        with pytest.raises(TypeError):
            record.delete()
    with pytest.raises(TypeError):
        IntegrationEvent.objects.update(ip_address=None)
    with pytest.raises(TypeError):
        TermsAcceptance.objects.all().delete()


def test_the_database_refuses_an_active_service_without_accepted_terms(superuser):
    with pytest.raises(IntegrityError), transaction.atomic():
        Integration.objects.create(kind=Integration.Kind.MOBILE_SCANNER, is_active=True)
