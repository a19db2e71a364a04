"""The phone web app in Chromium on an emulated phone, against the live server.

It talks only to the public API; tasks run in-process, so an upload is processed by
the time the app asks for it again.
"""

import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from knox.models import AuthToken
from PIL import Image
from playwright.sync_api import expect
from rest_framework.test import APIClient

from receipts.models import Document, IdempotencyRecord
from tests.receipts.factories import mobile_user
from tests.screens import shot
from tests.users.factories import PASSWORD, mobile_ready_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIPTS = Path(__file__).resolve().parent.parent / "data" / "receipts"
TIMEOUT = 30_000


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto(page.app_url + "?email=" + quote(email))
    expect(page.get_by_label("E-mailadres")).to_have_value(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def signed_in(page, email: str) -> None:
    sign_in(page, email)
    expect(page.get_by_role("heading", name="Nieuwe bon")).to_be_visible()


def add_photo(page, name: str) -> None:
    page.get_by_label("Foto maken").set_input_files(str(RECEIPTS / name))


def documents(page):
    return page.get_by_role("region", name="Mijn bonnen").get_by_role("listitem")


def token_on(page) -> str:
    return page.evaluate(
        "JSON.parse(localStorage.getItem('mamut-phone-session')).token"
    )


def test_employee_photographs_two_pages_sends_them_and_sees_ready(
    phone, active_scanner
):
    user = mobile_user()
    signed_in(phone, user.email)
    expect(phone.get_by_text(f"Aangemeld als {user.email}")).to_be_visible()

    add_photo(phone, "sroie-000.jpg")
    add_photo(phone, "sroie-001.jpg")
    add_photo(phone, "sroie-003.jpg")
    expect(phone.get_by_role("img", name="Pagina 3")).to_be_visible()
    shot(phone, "three-pages")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Pagina 2 verwijderen").click()
    expect(phone.get_by_role("button", name=re.compile("verwijderen"))).to_have_count(2)
    phone.get_by_label("Factuur").check()
    phone.get_by_label("Notitie").fill("Lunch met klant")
    shot(phone, "before-send")
    phone.get_by_role("button", name="Versturen").click()

    row = documents(phone).filter(has_text="Lunch met klant")
    expect(row).to_contain_text("Factuur", timeout=TIMEOUT)
    expect(row).to_contain_text("klaar", timeout=TIMEOUT)
    expect(row).to_contain_text("2 pagina's")
    expect(row.get_by_role("img", name="Miniatuur")).to_be_visible(timeout=TIMEOUT)
    shot(phone, "ready")
    document = Document.objects.get()
    assert document.uploaded_by == user
    assert document.kind == "invoice"
    assert document.note == "Lunch met klant"
    assert document.status == "ready"
    assert document.pages.count() == 2


def test_a_large_photo_is_scaled_down_on_the_phone_keeping_its_aspect(
    phone, active_scanner, tmp_path
):
    user = mobile_user()
    photo = tmp_path / "groot.png"
    Image.new("RGB", (4000, 3000), "white").save(photo)
    signed_in(phone, user.email)

    phone.get_by_label("Foto maken").set_input_files(str(photo))
    expect(phone.get_by_role("img", name="Pagina 1")).to_be_visible()
    phone.get_by_role("button", name="Versturen").click()
    expect(documents(phone).first).to_contain_text("klaar", timeout=TIMEOUT)

    page = Document.objects.get().pages.get()
    with page.original.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert image.size == (2500, 1875)


def test_the_sign_in_form_is_filled_from_the_qr_link_and_dutch_by_default(
    phone, active_scanner
):
    phone.goto(phone.app_url + "?email=jan%40example.com")

    expect(phone.get_by_role("heading", name="Aanmelden")).to_be_visible()
    expect(phone.get_by_label("E-mailadres")).to_have_value("jan@example.com")
    assert phone.evaluate("document.documentElement.lang") == "nl"
    shot(phone, "sign-in")


def test_an_english_phone_gets_the_app_in_english(phone_en, active_scanner):
    user = mobile_user()
    phone_en.goto(phone_en.app_url)
    phone_en.get_by_label("Email address").fill(user.email)
    phone_en.get_by_label("Password").fill("wrong password")
    phone_en.get_by_role("button", name="Sign in").click()

    expect(phone_en.get_by_role("alert")).to_have_text(
        "The email address or password is not correct."
    )
    phone_en.get_by_label("Password").fill(PASSWORD)
    phone_en.get_by_role("button", name="Sign in").click()
    expect(phone_en.get_by_role("heading", name="New document")).to_be_visible()
    expect(phone_en.get_by_role("heading", name="My documents")).to_be_visible()
    shot(phone_en, "signed-in")


def _wrong_password(scanner_off):
    return mobile_user().email, "fout-wachtwoord"


def _not_registered(scanner_off):
    return mobile_ready_user().email, PASSWORD


def _service_inactive(scanner_off):
    user = mobile_user()
    scanner_off()
    return user.email, PASSWORD


def _permission_denied(scanner_off):
    user = mobile_user()
    user.groups.set([Group.objects.create(name="Zonder scanner")])
    return user.email, PASSWORD


def _throttled(scanner_off):
    from django.core.cache import cache

    user = mobile_user()
    cache.set(f"signin-failures:email:{user.email}", 100, timeout=600)
    return user.email, PASSWORD


@pytest.mark.parametrize(
    "situation, message",
    [
        (_wrong_password, "Het e-mailadres of wachtwoord is onjuist."),
        (_not_registered, "U bent niet geregistreerd als mobiele gebruiker."),
        (_service_inactive, "Visma Mobile Scanner is niet actief voor dit bedrijf."),
        (_permission_denied, "geeft geen toegang tot Visma Mobile Scanner"),
        (_throttled, "Te veel mislukte pogingen."),
    ],
    ids=[
        "invalid_credentials",
        "not_registered",
        "service_inactive",
        "permission_denied",
        "throttled",
    ],
)
def test_each_refusal_has_its_own_message(phone, scanner_off, situation, message):
    email, password = situation(scanner_off)

    sign_in(phone, email, password)

    expect(phone.get_by_role("alert")).to_contain_text(message)
    expect(phone.get_by_role("heading", name="Nieuwe bon")).to_be_hidden()
    shot(phone, "refused")
    assert not AuthToken.objects.exists()


def test_offline_send_waits_on_the_phone_and_arrives_once_when_back_online(
    phone, active_scanner
):
    user = mobile_user()
    signed_in(phone, user.email)
    add_photo(phone, "sroie-000.jpg")
    phone.get_by_label("Notitie").fill("Parkeren")

    phone.context.set_offline(True)
    phone.get_by_role("button", name="Versturen").click()

    row = documents(phone).filter(has_text="Parkeren")
    expect(row).to_contain_text("wacht op verbinding")
    expect(phone.get_by_role("status")).to_contain_text("Geen verbinding")
    expect(phone.get_by_text("Offline", exact=True)).to_be_visible()
    shot(phone, "offline")
    assert not Document.objects.exists()

    phone.context.set_offline(False)
    expect(row).to_contain_text("klaar", timeout=TIMEOUT)
    expect(documents(phone)).to_have_count(1)
    shot(phone, "back-online")
    assert Document.objects.count() == 1


def test_a_send_whose_answer_is_lost_is_retried_with_its_key_and_stored_once(
    phone, active_scanner
):
    user = mobile_user()
    signed_in(phone, user.email)
    add_photo(phone, "sroie-001.jpg")
    add_photo(phone, "sroie-019.jpg")
    lost = []

    def lose_the_answer(route):
        if route.request.method != "POST" or lost:
            route.continue_()
            return
        # The upload reaches the server; the connection drops before the answer.
        route.fetch()
        lost.append(route.request.headers["idempotency-key"])
        route.abort("internetdisconnected")

    phone.route("**/api/v1/receipts/", lose_the_answer)
    phone.get_by_role("button", name="Versturen").click()

    expect(documents(phone).first).to_contain_text("klaar", timeout=TIMEOUT)
    expect(documents(phone)).to_have_count(1)
    assert len(lost) == 1
    document = Document.objects.get()
    assert document.pages.count() == 2
    record = IdempotencyRecord.objects.get()
    assert str(record.key) == lost[0]
    assert record.response_body["id"] == str(document.pk)


def test_a_document_kept_offline_survives_closing_the_app(phone, active_scanner):
    user = mobile_user()
    signed_in(phone, user.email)
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    add_photo(phone, "sroie-003.jpg")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Versturen").click()
    expect(documents(phone).first).to_contain_text("wacht op verbinding")

    phone.reload()  # offline: the service worker serves the app shell

    expect(phone.get_by_role("heading", name="Nieuwe bon")).to_be_visible()
    expect(documents(phone).first).to_contain_text("wacht op verbinding")
    shot(phone, "reopened-offline")
    phone.context.set_offline(False)
    expect(documents(phone).first).to_contain_text("klaar", timeout=TIMEOUT)
    assert Document.objects.count() == 1


def test_signing_out_revokes_the_token_on_the_server(phone, active_scanner):
    user = mobile_user()
    signed_in(phone, user.email)
    token = token_on(phone)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/me/").status_code == 200

    phone.get_by_role("button", name="Afmelden").click()

    expect(phone.get_by_role("heading", name="Aanmelden")).to_be_visible()
    expect(phone.get_by_role("alert")).to_have_text("U bent afgemeld op deze telefoon.")
    assert phone.evaluate("localStorage.getItem('mamut-phone-session')") is None
    assert client.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()


def test_my_documents_follow_their_status_by_themselves(phone, active_scanner):
    from users.models import Company

    user = mobile_user()
    document = Document.objects.create(
        company=Company.objects.current(),
        uploaded_by=user,
        kind="receipt",
        note="Taxi",
        status="processing",
    )
    signed_in(phone, user.email)
    row = documents(phone).filter(has_text="Taxi")
    expect(row).to_contain_text("verwerken")

    document.status = "failed"
    document.failure_code = "unreadable"
    document.failure_detail = "De foto is onleesbaar."
    document.save()

    expect(row).to_contain_text("mislukt: De foto is onleesbaar.", timeout=TIMEOUT)
    shot(phone, "failed")


def test_the_upload_shows_a_progress_bar(phone, active_scanner):
    user = mobile_user()
    signed_in(phone, user.email)
    add_photo(phone, "sroie-000.jpg")
    held = []

    def hold_the_upload(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    phone.route("**/api/v1/receipts/", hold_the_upload)

    phone.get_by_role("button", name="Versturen").click()

    bar = phone.get_by_role("progressbar", name="Versturen")
    expect(bar).to_be_visible()
    expect(documents(phone).first).to_contain_text("wordt verstuurd")
    shot(phone, "progress")
    held[0].continue_()
    expect(bar).to_be_hidden(timeout=TIMEOUT)
    expect(documents(phone).first).to_contain_text("klaar", timeout=TIMEOUT)


def test_a_phone_signed_out_from_the_services_tab_asks_to_sign_in_again(
    phone, active_scanner
):
    from receipts.services import phone_tokens_revoke

    user = mobile_user()
    signed_in(phone, user.email)

    phone_tokens_revoke(user=user)

    expect(phone.get_by_role("alert")).to_have_text(
        "U bent afgemeld. Meld u opnieuw aan.", timeout=TIMEOUT
    )
    expect(phone.get_by_role("heading", name="Aanmelden")).to_be_visible()


def test_the_link_under_the_qr_code_opens_the_app_with_the_email_filled_in(
    page, phone, live_server, active_scanner
):
    user = mobile_user()
    page.goto(live_server.url + "/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(live_server.url + "/settings/user/services/")

    expect(page.get_by_role("img", name="QR-code voor de telefoon-app")).to_be_visible()
    shot(page, "services-qr")
    link = page.get_by_role("link", name=re.compile(r"\?email="))
    phone.goto(link.get_attribute("href"))

    expect(phone.get_by_label("E-mailadres")).to_have_value(user.email)
    phone.get_by_label("Wachtwoord").fill(PASSWORD)
    phone.get_by_role("button", name="Aanmelden").click()
    expect(phone.get_by_role("heading", name="Nieuwe bon")).to_be_visible()


def test_a_document_linked_to_a_voucher_says_which_one(phone, active_scanner):
    from receipts.services import document_link
    from tests.vouchers.factories import voucher
    from users.models import Company, User

    user = mobile_user()
    document = Document.objects.create(
        company=Company.objects.current(),
        uploaded_by=user,
        kind="invoice",
        note="Drukwerk",
        status="ready",
    )
    saved = voucher()
    document_link(
        document=document,
        voucher=saved,
        by=User.objects.filter(is_superuser=True).first(),
    )

    signed_in(phone, user.email)

    expect(documents(phone).filter(has_text="Drukwerk")).to_contain_text(
        f"gekoppeld aan boeking {saved.year}-{saved.number}"
    )


def test_a_document_refused_for_a_full_quota_is_sent_again_once_there_is_room(
    phone, active_scanner, settings
):
    settings.RECEIPTS_USER_QUOTA_BYTES = 1_000  # smaller than any photo
    user = mobile_user()
    signed_in(phone, user.email)
    add_photo(phone, "sroie-000.jpg")
    phone.get_by_label("Notitie").fill("Taxi")
    phone.get_by_role("button", name="Versturen").click()

    row = documents(phone).filter(has_text="Taxi")
    expect(row).to_contain_text("niet verstuurd", timeout=TIMEOUT)
    shot(phone, "refused-quota")
    assert not Document.objects.exists()

    settings.RECEIPTS_USER_QUOTA_BYTES = 2_000_000_000  # the bookkeeper made room
    row.get_by_role("button", name="Opnieuw versturen").click()

    expect(row).to_contain_text("klaar", timeout=TIMEOUT)
    expect(documents(phone)).to_have_count(1)
    assert Document.objects.get().note == "Taxi"


def test_the_app_keeps_a_phone_signed_in_past_the_first_expiry_date(
    phone, active_scanner
):
    # The server renews the token on use; the app must not sign out by the date it
    # was given at sign-in.
    user = mobile_user()
    signed_in(phone, user.email)
    phone.evaluate(
        """() => {
          const key = 'mamut-phone-session';
          const value = JSON.parse(localStorage.getItem(key));
          value.expires_at = '2000-01-01T00:00:00Z';
          localStorage.setItem(key, JSON.stringify(value));
        }"""
    )

    phone.reload()

    expect(phone.get_by_role("heading", name="Nieuwe bon")).to_be_visible()
    expect(phone.get_by_text(f"Aangemeld als {user.email}")).to_be_visible()
