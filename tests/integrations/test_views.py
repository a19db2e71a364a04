"""The Integratie tab, every wizard step (also the refused ones), the deactivation."""

import pytest
from django.urls import reverse

from integrations.models import Integration, IntegrationEvent, TermsAcceptance
from integrations.selectors import scanner_is_active
from integrations.terms import terms_current
from tests.integrations.conftest import add_terms_version
from tests.users.factories import profile_with
from users.models import ENTER_VOUCHERS

pytestmark = pytest.mark.django_db

TAB = reverse("integration-settings")
WIZARD = reverse("scanner-wizard")
INFORMATION = reverse("scanner-wizard-information")
FINISH = reverse("scanner-wizard-finish")
CANCEL = reverse("scanner-wizard-cancel")
DEACTIVATE = reverse("scanner-deactivate")
VOUCHER_ENTRY = reverse("voucher-entry")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def open_wizard(client, **params) -> str:
    """Step 1 as the button opens it; returns the wizard token in the page."""
    response = client.get(WIZARD, params)
    assert response.status_code == 200
    return response.context["state"].token


def accept_terms(client, token: str, follow: bool = False, **fields):
    return client.post(
        WIZARD, {"wizard": token, "accept": "on", **fields}, follow=follow
    )


def finish(client, token: str, follow: bool = False, **fields):
    return client.post(FINISH, {"wizard": token, **fields}, follow=follow)


def snapshot() -> tuple:
    """Everything a wizard step could change in the database."""
    return (
        list(Integration.objects.values()),
        list(IntegrationEvent.objects.values()),
        list(TermsAcceptance.objects.values()),
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The tab -------------------------------------------------------------------


def test_company_settings_has_the_tab_integratie(admin_client):
    text = admin_client.get(reverse("company-settings")).text

    assert f'href="{TAB}"' in text
    assert ">Integratie<" in text


def test_tab_shows_inactive_status_and_the_button_to_a_manager(admin_client):
    response = admin_client.get(TAB)

    assert response.status_code == 200
    assert 'aria-selected="true">Integratie<' in response.text
    assert "Niet actief" in response.text
    assert ">Visma Mobile Scanner</button>" in response.text
    assert "De service is nog niet geactiveerd." in response.text


def test_tab_shows_status_and_history_once_active(admin_client, active_scanner):
    text = admin_client.get(TAB).text

    assert "Actief sinds" in text
    assert "Geactiveerd door" in text
    assert "admin@example.com" in text
    assert "Versie 1" in text
    assert "Geschiedenis" in text
    assert "Geactiveerd" in text
    assert "127.0.0.1" in text


def test_plain_user_sees_the_status_but_not_the_button(client, plain_user):
    client.force_login(plain_user)

    response = client.get(TAB)

    assert response.status_code == 200
    assert "Niet actief" in response.text
    assert ">Visma Mobile Scanner</button>" not in response.text


def test_only_who_manages_integrations_sees_the_ip_addresses(
    client, plain_user, active_scanner
):
    client.force_login(plain_user)

    text = client.get(TAB).text

    assert "Geactiveerd door" in text and "admin@example.com" in text
    assert "IP-adres" not in text
    assert "127.0.0.1" not in text


# --- Step 1: the terms -----------------------------------------------------------


def test_step_one_shows_the_dutch_terms_and_the_checkbox(admin_client):
    response = admin_client.get(WIZARD)

    assert response.status_code == 200
    assert "Stap 1 van 2" in response.text
    assert "Voorwaarden Visma Mobile Scanner-integratie" in response.text
    assert "Ik ga akkoord met de voorwaarden" in response.text
    assert 'name="accept"' in response.text
    assert "checked" not in response.text
    for label in ("Vorige", "Volgende", "Annuleren"):
        assert f">{label}</button>" in response.text


def test_step_one_follows_the_browser_language_english(admin_client):
    response = admin_client.get(WIZARD, headers={"accept-language": "en"})

    assert "Terms of the Visma Mobile Scanner integration" in response.text
    assert "I accept the terms" in response.text
    assert ">Next</button>" in response.text


def test_next_without_the_box_ticked_is_refused_with_a_message(admin_client):
    token = open_wizard(admin_client)

    response = admin_client.post(WIZARD, {"wizard": token})

    assert response.status_code == 400
    assert "U moet akkoord gaan met de voorwaarden om verder te gaan." in (
        response.text
    )
    assert response.context["state"].token == token  # the same wizard goes on
    assert admin_client.get(INFORMATION)["Location"] == WIZARD


def test_next_with_the_box_ticked_goes_to_step_two(admin_client):
    token = open_wizard(admin_client)

    response = accept_terms(admin_client, token)

    assert response.status_code == 302
    assert response["Location"] == INFORMATION
    assert not scanner_is_active()


def test_next_with_a_token_the_session_does_not_hold_is_refused(admin_client):
    open_wizard(admin_client)

    response = accept_terms(admin_client, "forged-token")

    assert response["Location"] == WIZARD
    assert admin_client.get(INFORMATION)["Location"] == WIZARD


# --- Step 2: the information -----------------------------------------------------


def test_step_two_explains_the_app_where_to_open_it_and_mobile_users(admin_client):
    accept_terms(admin_client, open_wizard(admin_client))

    response = admin_client.get(INFORMATION)

    assert response.status_code == 200
    assert "Stap 2 van 2" in response.text
    for words in ("smartphone", "scan de code hieronder", "mobiele gebruiker"):
        assert words in response.text
    for label in ("Vorige", "Voltooien", "Annuleren"):
        assert f">{label}</button>" in response.text
    assert not scanner_is_active()


def test_step_two_without_accepted_terms_goes_back_to_step_one(admin_client):
    open_wizard(admin_client)

    response = admin_client.get(INFORMATION, follow=True)

    assert response.redirect_chain[0][0] == WIZARD
    assert "U moet akkoord gaan met de voorwaarden" in response.text


def test_back_from_step_two_keeps_the_tick(admin_client):
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)

    response = admin_client.get(WIZARD)

    assert response.context["state"].token == token
    assert response.context["state"].accepted
    assert "checked" in response.text


# --- Finish ----------------------------------------------------------------------


def test_finish_activates_and_records_the_acceptance(admin_client, superuser):
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)

    response = finish(admin_client, token, follow=True)

    assert response.redirect_chain[0][0] == TAB
    assert scanner_is_active()
    acceptance = TermsAcceptance.objects.get()
    assert acceptance.accepted_by == superuser
    assert acceptance.ip_address == "127.0.0.1"
    assert acceptance.language == "nl"
    assert acceptance.terms_version == 1
    assert acceptance.text_sha256 == terms_current(language="nl").sha256
    assert messages_of(response)[0] == (
        "Visma Mobile Scanner is geactiveerd. Registreer elke gebruiker als mobiele "
        "gebruiker; op de telefoon opent de app via http://testserver/m/."
    )


def test_behind_a_trusted_proxy_the_acceptance_records_the_browsers_address(
    admin_client, settings
):
    settings.LOGIN_TRUSTED_PROXY_COUNT = 1
    proxied = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)

    admin_client.post(FINISH, {"wizard": token}, **proxied)
    admin_client.post(DEACTIVATE, **proxied)

    assert TermsAcceptance.objects.get().ip_address == "203.0.113.7"
    assert {event.ip_address for event in IntegrationEvent.objects.all()} == {
        "203.0.113.7"
    }


def test_finish_in_english_records_the_english_text(admin_client):
    english = {"headers": {"accept-language": "en"}}
    token = admin_client.get(WIZARD, **english).context["state"].token
    admin_client.post(WIZARD, {"wizard": token, "accept": "on"}, **english)

    admin_client.post(FINISH, {"wizard": token}, **english)

    acceptance = TermsAcceptance.objects.get()
    assert acceptance.language == "en"
    assert acceptance.text_sha256 == terms_current(language="en").sha256


def test_a_direct_post_to_finish_activates_nothing(admin_client):
    before = snapshot()

    response = admin_client.post(FINISH, {}, follow=True)

    assert response.redirect_chain[0][0] == WIZARD
    assert "Deze wizard is verlopen of al voltooid." in messages_of(response)[0]
    assert snapshot() == before
    assert not scanner_is_active()


def test_finish_without_ticking_the_box_activates_nothing(admin_client):
    token = open_wizard(admin_client)
    before = snapshot()

    response = finish(admin_client, token)

    assert response["Location"] == WIZARD
    assert snapshot() == before


def test_finish_after_unticking_the_box_again_activates_nothing(admin_client):
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)
    admin_client.post(WIZARD, {"wizard": token})  # back, untick, "Volgende"

    finish(admin_client, token)

    assert not scanner_is_active()


def test_a_double_click_on_finish_makes_one_activation_and_no_error(admin_client):
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)

    first = finish(admin_client, token)
    second = finish(admin_client, token, follow=True)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Visma Mobile Scanner is al actief." in messages_of(second)
    assert IntegrationEvent.objects.count() == 1


def test_a_replayed_finish_after_deactivation_activates_nothing(
    admin_client, superuser
):
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)
    finish(admin_client, token)
    admin_client.post(DEACTIVATE)
    before = snapshot()

    response = finish(admin_client, token)

    assert response["Location"] == WIZARD
    assert not scanner_is_active()
    assert snapshot() == before


def test_a_wizard_of_another_user_cannot_be_finished(
    admin_client, client, integration_manager
):
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)
    client.force_login(integration_manager)

    client.post(WIZARD, {"wizard": token, "accept": "on"})
    finish(client, token)

    assert not scanner_is_active()


def test_an_expired_wizard_activates_nothing(admin_client, settings):
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)
    settings.INTEGRATIONS_WIZARD_MAX_AGE = -1

    response = finish(admin_client, token, follow=True)

    assert not scanner_is_active()
    assert "Deze wizard is verlopen of al voltooid." in messages_of(response)[0]


def test_terms_changed_before_next_sends_back_to_the_new_terms(admin_client, terms_dir):
    token = open_wizard(admin_client)
    add_terms_version(terms_dir, 2)

    response = accept_terms(admin_client, token, follow=True)

    assert response.redirect_chain[0][0] == WIZARD
    assert "De voorwaarden zijn gewijzigd" in messages_of(response)[0]
    assert response.context["state"].terms.version == 2
    assert response.context["state"].token != token


def test_terms_changed_before_finish_activates_nothing(admin_client, terms_dir):
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)
    add_terms_version(terms_dir, 2)
    before = snapshot()

    response = finish(admin_client, token, follow=True)

    assert snapshot() == before
    assert "De voorwaarden zijn gewijzigd" in messages_of(response)[0]
    assert response.context["state"].terms.version == 2


# --- Cancel and next -------------------------------------------------------------


def test_cancel_leaves_the_wizard_and_forgets_the_tick(admin_client):
    token = open_wizard(admin_client)
    accept_terms(admin_client, token)

    response = admin_client.post(CANCEL, {"wizard": token})

    assert response["Location"] == TAB
    assert admin_client.get(INFORMATION)["Location"] == WIZARD
    assert finish(admin_client, token)["Location"] == WIZARD
    assert not scanner_is_active()


def test_the_wizard_from_voucher_entry_returns_there(admin_client):
    token = open_wizard(admin_client, next=VOUCHER_ENTRY)
    response = accept_terms(admin_client, token, next=VOUCHER_ENTRY)
    assert response["Location"] == f"{INFORMATION}?next=%2Fvoucher-entry%2F"
    page = admin_client.get(response["Location"]).text
    assert f'name="next" value="{VOUCHER_ENTRY}"' in page

    response = finish(admin_client, token, next=VOUCHER_ENTRY)

    assert response["Location"] == VOUCHER_ENTRY
    assert scanner_is_active()


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_a_next_to_another_site_is_ignored(admin_client, unsafe):
    token = open_wizard(admin_client, next=unsafe)
    accept_terms(admin_client, token, next=unsafe)

    response = finish(admin_client, token, next=unsafe)

    assert response["Location"] == TAB


# --- Deactivation ----------------------------------------------------------------


def test_the_button_asks_to_confirm_deactivation_when_active(
    admin_client, active_scanner
):
    response = admin_client.get(WIZARD)

    assert response.status_code == 200
    assert (
        "Weet u zeker dat u de service Visma Mobile Scanner wilt deactiveren?"
        in response.text
    )
    assert ">Bevestigen</button>" in response.text
    assert ">Annuleren</button>" in response.text
    assert scanner_is_active()


def test_confirm_deactivates(admin_client, active_scanner):
    response = admin_client.post(DEACTIVATE, follow=True)

    assert response.redirect_chain[0][0] == TAB
    assert not scanner_is_active()
    assert "De service Visma Mobile Scanner is gedeactiveerd." in messages_of(response)
    assert IntegrationEvent.objects.filter(action="deactivated").count() == 1


def test_cancel_on_the_question_keeps_the_service_active(admin_client, active_scanner):
    response = admin_client.post(CANCEL)

    assert response["Location"] == TAB
    assert scanner_is_active()


def test_step_posts_while_active_change_nothing(admin_client, active_scanner):
    before = snapshot()

    admin_client.post(WIZARD, {"accept": "on"})
    admin_client.get(INFORMATION)
    admin_client.post(FINISH)

    assert snapshot() == before


# --- GET never changes state; permissions ----------------------------------------


@pytest.mark.parametrize("active", [False, True])
def test_get_never_changes_state(admin_client, superuser, active, request):
    if active:
        request.getfixturevalue("active_scanner")
    before = snapshot()

    for url in (TAB, WIZARD, INFORMATION, FINISH, CANCEL, DEACTIVATE, VOUCHER_ENTRY):
        response = admin_client.get(url)
        assert response.status_code in (200, 302, 405), url

    assert admin_client.get(FINISH).status_code == 405
    assert admin_client.get(DEACTIVATE).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("active", [False, True])
def test_plain_user_gets_403_on_every_step(client, plain_user, active, request):
    if active:
        request.getfixturevalue("active_scanner")
    client.force_login(plain_user)
    before = snapshot()

    for method, url in [
        ("get", WIZARD),
        ("post", WIZARD),
        ("get", INFORMATION),
        ("post", FINISH),
        ("get", FINISH),
        ("post", CANCEL),
        ("post", DEACTIVATE),
    ]:
        response = getattr(client, method)(url, {"accept": "on"})
        assert response.status_code == 403, (method, url)

    assert snapshot() == before


def test_a_user_with_the_function_may_use_the_wizard(client, integration_manager):
    client.force_login(integration_manager)
    token = open_wizard(client)
    accept_terms(client, token)

    finish(client, token)

    assert Integration.objects.get().activated_by == integration_manager


def test_state_changes_need_the_csrf_token(superuser):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    token = open_wizard(client)

    assert accept_terms(client, token).status_code == 403
    assert finish(client, token).status_code == 403


# --- The voucher entry window ----------------------------------------------------


@pytest.fixture
def bookkeeper(plain_user):
    """A user who may enter vouchers, without any scanner function."""
    plain_user.groups.add(profile_with(ENTER_VOUCHERS).group)
    return plain_user


def test_voucher_entry_has_the_toolbar_with_its_buttons(client, bookkeeper):
    client.force_login(bookkeeper)

    text = client.get(VOUCHER_ENTRY).text

    assert 'role="toolbar"' in text
    for label in ("Nieuw", "Opslaan", "Vernieuwen"):
        assert f">{label}</button>" in text
    assert "disabled" not in text.split('role="toolbar"')[1].split("</div>")[0]


def test_voucher_entry_offers_activation_to_a_manager_while_inactive(admin_client):
    text = admin_client.get(VOUCHER_ENTRY).text

    assert ">Visma Mobile Scanner activeren</button>" in text
    assert f'action="{WIZARD}"' in text
    assert f'name="next" value="{VOUCHER_ENTRY}"' in text


def test_voucher_entry_has_no_activation_button_once_active(
    admin_client, active_scanner
):
    assert "Visma Mobile Scanner activeren" not in admin_client.get(VOUCHER_ENTRY).text


def test_voucher_entry_offers_no_activation_to_a_plain_user(client, bookkeeper):
    client.force_login(bookkeeper)

    text = client.get(VOUCHER_ENTRY).text

    assert 'role="toolbar"' in text
    assert "Visma Mobile Scanner activeren" not in text
