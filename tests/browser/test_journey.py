"""The whole journey of ../shared/seed/visma-mobile-scanner-nl.txt, top to bottom, in
Dutch, in Debian's Chromium, against gunicorn with PostgreSQL, Redis and a real Celery
worker (not the development server), on a fresh database.

The superuser signs in, makes a custom access profile with the scanner functions,
activates the service through the wizard, creates a user with a newly registered
employee and that profile, and registers the user as mobile user. On a phone (a second
browser context with a phone's screen) the user signs in to the web app and sends a
two-page receipt, which appears in the voucher entry window without a reload and is
linked to a new voucher. The user is deactivated as mobile user (the phone's next call
gets 401) and the service is deactivated (a sign-in gets 403 ``service_inactive``).

Every step leaves a screenshot in ``var/test-artefacts/journey/NN-step.png`` (or under
``TEST_ARTIFACTS_DIR``).
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import _new_page, service_env
from receipts.models import Document
from tests.phone.conftest import _phone_page
from tests.screens import Album, artefacts_dir
from tests.services.conftest import WebProcess, free_port
from users.models import User
from users.selectors import mobile_registration_active

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]

RECEIPTS = Path(__file__).resolve().parent.parent / "data" / "receipts"
PROFILE = "Scannergebruikers"
EMPLOYEE = "Sanne Visser"
EMAIL = "sanne@example.com"
PASSWORD = "Kassabon-Fiets-Regen-27"
# Processing runs in a separate worker on a shared machine: wait generously.
PROCESSING = 90_000


@pytest.fixture
def web(celery_worker_process, settings) -> Iterator[WebProcess]:
    """gunicorn on the test database, beside a real worker, with a clean cache (the
    sign-in counters live in Redis)."""
    from django.core.cache import cache

    cache.clear()
    server = WebProcess(service_env(settings), free_port()).start(timeout=180)
    yield server
    server.stop()
    cache.clear()


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """Assertions wait longer than Playwright's 5 s: the machine running gunicorn, the
    worker and the browser may be busy."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def album() -> Album:
    return Album(artefacts_dir("journey"))


@pytest.fixture
def desktop(browser, web, album) -> Iterator[Page]:
    """A Dutch desktop browser; its last screen is kept as ``last-web.png``.

    ``page.failed`` lists every request of its pages that gunicorn answered with an
    error (a missing static file, a favicon, a 500)."""
    context, page = _new_page(browser, "nl-NL", album.directory, "web")
    page.failed = []
    context.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.failed.append(f"{response.status} {response.url}")
        ),
    )
    yield page
    page.screenshot(path=str(album.directory / "last-web.png"), full_page=True)
    context.close()


@pytest.fixture
def phone(browser, web, album) -> Iterator[Page]:
    """A Dutch phone (touch, small screen), a browser context of its own."""
    context, page = _phone_page(browser, album.directory, web, "nl-NL", "phone")
    yield page
    page.screenshot(path=str(album.directory / "last-phone.png"), full_page=True)
    context.close()


def menu(page: Page, *labels: str) -> None:
    """Beheer → Instellingen → ... in the main menu."""
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_text("Beheer", exact=True).click()
    for label in labels:
        nav.get_by_role("link", name=label, exact=True).click()


def integration_tab(page: Page) -> None:
    menu(page, "Administratie")
    page.get_by_role("tab", name="Integratie").click()


def phone_fetch(page: Page, method: str, path: str, token: str = "", body=None):
    """A call to the mobile API from the phone's page, as its app makes them."""
    return page.evaluate(
        """async ([method, path, token, body]) => {
            const headers = {"Accept": "application/json"};
            if (token) headers["Authorization"] = "Bearer " + token;
            if (body) headers["Content-Type"] = "application/json";
            const response = await fetch("/api/v1/" + path, {
                method, headers, body: body ? JSON.stringify(body) : undefined,
            });
            return {status: response.status, data: await response.json()};
        }""",
        [method, path, token, body],
    )


def test_the_whole_journey_in_dutch(
    web, desktop, phone, album, superuser, admin_password
):
    page = desktop

    # De supergebruiker meldt zich aan.
    page.goto(web.url + "/")
    expect(page.get_by_role("button", name="Inloggen")).to_be_visible()
    page.get_by_label("E-mailadres").fill(superuser.email)
    page.get_by_label("Wachtwoord").fill(admin_password)
    album.shot(page, "aanmelden")
    page.get_by_role("button", name="Inloggen").click()
    expect(
        page.get_by_role("heading", name=f"Welkom, {superuser.email}")
    ).to_be_visible()

    # Gebruikerstoegang: an access profile with every Visma Mobile Scanner function.
    menu(page, "Toegangsprofielen")
    page.get_by_role("link", name="Nieuw aangepast toegangsprofiel").click()
    page.get_by_label("Naam").fill(PROFILE)
    functions = page.get_by_role("group", name=re.compile("Visma Mobile Scanner"))
    boxes = functions.get_by_role("checkbox")
    expect(boxes).to_have_count(5)
    for box in boxes.all():
        box.check()
    album.shot(page, "toegangsprofiel")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Het toegangsprofiel {PROFILE} is opgeslagen."
    )
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=PROFILE)
    )
    expect(row.get_by_label("ja")).to_have_count(5)
    album.shot(page, "toegangsprofielen")

    # Zo activeert u Visma Mobile Scanner: Integratie, de knop, voorwaarden, Volgende,
    # Voltooien.
    integration_tab(page)
    expect(page.get_by_text("Niet actief", exact=True)).to_be_visible()
    page.get_by_role("button", name="Visma Mobile Scanner", exact=True).click()
    expect(page.get_by_text("Stap 1 van 2: Voorwaarden")).to_be_visible()
    page.get_by_label("Ik ga akkoord met de voorwaarden").check()
    album.shot(page, "voorwaarden")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text("Stap 2 van 2: Informatie")).to_be_visible()
    album.shot(page, "informatie")
    page.get_by_role("button", name="Voltooien").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Visma Mobile Scanner is geactiveerd."
    )
    expect(page.get_by_text("Actief", exact=True)).to_be_visible()
    album.shot(page, "service-actief")

    # Zo registreert u een mobiele gebruiker: a new user, linked to a new employee
    # with "Medewerker registreren", with e-mail, password and the custom profile.
    menu(page, "Gebruikersadministratie")
    page.get_by_role("link", name="Nieuwe gebruiker").click()
    page.get_by_label(re.compile("^Medewerker")).select_option(
        label="Medewerker registreren"
    )
    page.get_by_label("Naam van de nieuwe medewerker").fill(EMPLOYEE)
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Toegangsprofiel").select_option(label=PROFILE)
    album.shot(page, "nieuwe-gebruiker")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"De gebruiker {EMAIL} is opgeslagen."
    )
    expect(
        page.get_by_label(re.compile("^Medewerker")).locator("option:checked")
    ).to_contain_text(EMPLOYEE)
    expect(page.get_by_label("Toegangsprofiel").locator("option:checked")).to_have_text(
        PROFILE
    )

    # Registreren naast Registreer mobiele gebruiker, en bevestigen.
    page.get_by_role("button", name="Registreren").click()
    expect(
        page.get_by_role("heading", name="Registreer mobiele gebruiker")
    ).to_be_visible()
    album.shot(page, "registreren-bevestigen")
    page.get_by_role("button", name="Bevestigen").click()
    expect(
        page.get_by_text(re.compile(r"Geregistreerd sinds \d+ \w+ \d{4}"))
    ).to_be_visible()
    album.shot(page, "mobiele-gebruiker")
    sanne = User.objects.get(email=EMAIL)
    assert sanne.employee.name == EMPLOYEE
    assert mobile_registration_active(sanne) is not None

    # The bookkeeper's voucher entry window stays open while the phone sends.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Inboeken"
    ).click()
    panel = page.get_by_role("region", name="Bijlagen Visma Mobile Scanner")
    expect(panel.get_by_text("Geen documenten.")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    album.shot(page, "inboeken-leeg")

    # The phone: sign in to the web app and send a two-page receipt.
    phone.goto(phone.app_url)
    phone.get_by_label("E-mailadres").fill(EMAIL)
    phone.get_by_label("Wachtwoord").fill(PASSWORD)
    album.shot(phone, "telefoon-aanmelden")
    phone.get_by_role("button", name="Aanmelden").click()
    expect(phone.get_by_role("heading", name="Nieuwe bon")).to_be_visible()
    expect(phone.get_by_text(f"Aangemeld als {EMAIL}")).to_be_visible()
    for name in ("sroie-000.jpg", "sroie-001.jpg"):
        phone.get_by_label("Foto maken").set_input_files(str(RECEIPTS / name))
    expect(phone.get_by_role("img", name="Pagina 2")).to_be_visible()
    phone.get_by_label("Kassabon").check()
    phone.get_by_label("Notitie").fill("Lunch met klant")
    album.shot(phone, "telefoon-twee-paginas")
    phone.get_by_role("button", name="Versturen").click()
    mine = phone.get_by_role("region", name="Mijn bonnen").get_by_role("listitem")
    sent = mine.filter(has_text="Lunch met klant")
    # While the upload's answer is on its way the list may show the document twice
    # for a moment (still sending, and already on the server): wait for the one
    # that is ready, then for it to be the only one.
    expect(sent.filter(has_text="klaar")).to_be_visible(timeout=PROCESSING)
    expect(sent).to_have_count(1, timeout=PROCESSING)
    expect(sent).to_contain_text("2 pagina's")
    album.shot(phone, "telefoon-verstuurd")
    token = phone.evaluate(
        "JSON.parse(localStorage.getItem('mamut-phone-session')).token"
    )

    # It appears in the voucher entry window by itself: the page was not reloaded.
    document = panel.get_by_role("article", name=re.compile("^Kassabon van "))
    expect(document).to_be_visible(timeout=PROCESSING)
    expect(document.get_by_text("Lunch met klant")).to_be_visible()
    expect(document.get_by_text("Klaar")).to_be_visible(timeout=PROCESSING)
    expect(document.get_by_text("Niet gekoppeld")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    album.shot(page, "inboeken-ontvangen")

    # A new voucher, saved, then "+" links the document to it.
    toolbar = page.get_by_role("toolbar", name="Werkbalk")
    toolbar.get_by_role("button", name="Nieuw", exact=True).click()
    page.get_by_label("Datum").fill("2026-12-03")
    page.get_by_label("Omschrijving").fill("Lunch met klant")
    page.get_by_label("Bedrag incl. btw").fill("30.90")
    page.get_by_label("Btw-code").select_option(label="9 %")
    page.get_by_label("Kostenrekening").select_option(
        label="4500 Reis- en verblijfkosten"
    )
    page.get_by_label("Betaalrekening").select_option(label="1000 Kas")
    toolbar.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("heading", name="Boeking 2026-1")).to_be_visible()
    document.get_by_role("button", name="Koppelen aan deze boeking").click()
    expect(document.get_by_text("Gekoppeld aan boeking 2026-1")).to_be_visible()
    album.shot(page, "inboeken-gekoppeld")
    stored = Document.objects.get()
    assert stored.uploaded_by == sanne
    assert stored.pages.count() == 2
    assert str(stored.voucher) == "2026-1"

    # The phone sees the link too, on its next poll.
    expect(sent).to_contain_text("2026-1", timeout=PROCESSING)
    album.shot(phone, "telefoon-gekoppeld")

    # Zo deactiveert u een mobiele gebruiker: Gebruikersadministratie, Bewerken,
    # Deactiveren, bevestigen.
    menu(page, "Gebruikersadministratie")
    page.get_by_role("row").filter(has_text=EMAIL).get_by_role(
        "link", name="Bewerken"
    ).click()
    page.get_by_role("button", name="Deactiveren").click()
    album.shot(page, "deactiveren-bevestigen")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text(f"{EMAIL} is geen mobiele gebruiker meer.")).to_be_visible()
    album.shot(page, "gebruiker-gedeactiveerd")

    # The phone's next call is refused (401): the app goes back to sign-in.
    answer = phone_fetch(phone, "GET", "receipts/", token)
    assert answer["status"] == 401, answer
    expect(phone.get_by_role("heading", name="Aanmelden")).to_be_visible(
        timeout=PROCESSING
    )
    expect(phone.get_by_role("alert")).to_contain_text("U bent afgemeld.")
    album.shot(phone, "telefoon-afgemeld")

    # Zo deactiveert u de service: Integratie, de knop, bevestigen.
    integration_tab(page)
    page.get_by_role("button", name="Visma Mobile Scanner", exact=True).click()
    expect(
        page.get_by_text(
            "Weet u zeker dat u de service Visma Mobile Scanner wilt deactiveren?"
        )
    ).to_be_visible()
    album.shot(page, "service-deactiveren")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "De service Visma Mobile Scanner is gedeactiveerd."
    )
    expect(page.get_by_text("Niet actief", exact=True)).to_be_visible()
    album.shot(page, "service-gedeactiveerd")

    # A sign-in is now refused with 403 service_inactive, in the app and in the API.
    phone.get_by_label("E-mailadres").fill(EMAIL)
    phone.get_by_label("Wachtwoord").fill(PASSWORD)
    phone.get_by_role("button", name="Aanmelden").click()
    expect(phone.get_by_role("alert")).to_contain_text(
        "Visma Mobile Scanner is niet actief voor dit bedrijf."
    )
    album.shot(phone, "telefoon-service-inactief")
    answer = phone_fetch(
        phone,
        "POST",
        "auth/token/",
        body={"email": EMAIL, "password": PASSWORD, "device_name": "Pixel"},
    )
    assert answer["status"] == 403, answer
    assert answer["data"]["code"] == "service_inactive"

    # Every page, stylesheet, script and icon of the administrator's side was served.
    assert page.failed == []
