"""The main pages under the Content-Security-Policy, in Debian's Chromium.

The policy allows no inline script, no inline style and no eval. Every page a user
meets is opened and used here (sign-in, the menu, the activation wizard, Inboeken
with the attachments panel and its refresh, a document, a user's edit page, the API
documentation, the phone app at /m/ with its service worker and blob: thumbnails);
any console error, page error or CSP violation fails the test.
"""

import io
import re
import uuid

import pytest
from knox.models import AuthToken
from playwright.sync_api import expect
from rest_framework.test import APIClient

from tests.receipts.factories import jpeg_bytes, mobile_user
from tests.users.factories import PASSWORD
from users.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_text_recognition(settings):
    """Documents are processed in-process here; reading them is not what is tested."""
    settings.RECEIPTS_OCR_ENABLED = False


# Reported to Python from every document the context opens, before its scripts run.
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


class Problems:
    """Console errors, uncaught page errors and CSP violations of one context."""

    def __init__(self, context) -> None:
        self.found: list[str] = []
        context.expose_binding(
            "reportViolation", lambda _source, text: self.found.append("CSP " + text)
        )
        context.add_init_script(WATCH_VIOLATIONS)
        context.on("page", self.watch)
        for page in context.pages:
            self.watch(page)

    def watch(self, page) -> None:
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.found.append(
                    f"console: {message.text} "
                    f"({message.location.get('url')} on {page.url})"
                )
            ),
        )
        page.on("pageerror", lambda error: self.found.append(f"page error: {error}"))

    def assert_none(self, page) -> None:
        page.wait_for_timeout(300)  # let late reports of the last page arrive
        assert self.found == []


def _shot(page, step: str) -> None:
    page.screenshot(path=f"{page.artefacts}-{step}.png", full_page=True)


def _send_from_the_phone(user) -> None:
    _instance, token = AuthToken.objects.create(user)
    phone = APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = phone.post(
        "/api/v1/receipts/",
        {"kind": "receipt", "note": "Taxi", "file": [io.BytesIO(jpeg_bytes())]},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.content


def test_the_main_pages_run_under_the_policy_without_errors(
    page, live_server, superuser, admin_password
):
    problems = Problems(page.context)
    # The policy is on every page, and allows nothing inline.
    response = page.goto(live_server.url + "/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    _shot(page, "1-login")

    page.get_by_label("E-mailadres").fill(superuser.email)
    page.get_by_label("Wachtwoord").fill(admin_password)
    page.get_by_role("button", name="Inloggen").click()
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_text("Beheer", exact=True).click()
    expect(menu.get_by_role("link", name="Gebruikersadministratie")).to_be_visible()
    _shot(page, "2-menu")

    # The activation wizard, from Inboeken's toolbar.
    menu.get_by_role("link", name="Inboeken").click()
    page.get_by_role("button", name="Visma Mobile Scanner activeren").click()
    page.get_by_label("Ik ga akkoord met de voorwaarden").check()
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text("Stap 2 van 2: Informatie")).to_be_visible()
    _shot(page, "3-wizard")
    page.get_by_role("button", name="Voltooien").click()
    expect(page.get_by_role("status")).to_contain_text("geactiveerd")

    # Inboeken with the panel: htmx refreshes it, the thumbnail comes from a view.
    _send_from_the_phone(mobile_user(email="anna@example.com", first_name="Anna"))
    page.goto(live_server.url + "/voucher-entry/")
    panel = page.get_by_role("region", name="Bijlagen Visma Mobile Scanner")
    thumbnail = panel.get_by_role("img", name="Document openen")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("image => image.naturalWidth") > 0
    with page.expect_response(re.compile(r"/voucher-entry/attachments/\?")) as swap:
        page.get_by_role("toolbar", name="Werkbalk").get_by_role(
            "button", name="Vernieuwen"
        ).click()
    assert swap.value.status == 200
    expect(panel.get_by_role("img", name="Document openen")).to_be_visible()
    page.wait_for_timeout(3500)  # one refresh of the panel by itself ("every 3s")
    _shot(page, "4-voucher-entry-panel")

    panel.get_by_role("link", name="Document openen").click()
    expect(page.get_by_role("img", name="Pagina 1")).to_be_visible()
    _shot(page, "5-document")

    # A user's edit page, whose script shows the new employee's fields.
    anna = User.objects.get(email="anna@example.com")
    page.goto(f"{live_server.url}/settings/security/users/{anna.pk}/")
    page.get_by_label(re.compile("^Medewerker")).select_option(
        label="Medewerker registreren"
    )
    expect(page.get_by_label("Naam van de nieuwe medewerker")).to_be_visible()
    _shot(page, "6-user-edit")

    page.goto(live_server.url + "/settings/company/integration/")
    expect(page.get_by_text("Actief", exact=True)).to_be_visible()

    # The API documentation (Swagger UI, from the project's static files).
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.get_by_text("Mamut Visma Mobile Scanner API").first).to_be_visible()
    _shot(page, "7-api-docs")

    problems.assert_none(page)


def test_the_phone_app_runs_under_the_policy_without_errors(
    browser, artefacts, live_server, active_scanner
):
    user = mobile_user(email="piet@example.com")
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.set_default_timeout(15_000)
    problems = Problems(context)
    page = context.new_page()
    page.artefacts = artefacts / "phone"
    try:
        response = page.goto(live_server.url + "/m/")
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        page.get_by_label("E-mailadres").fill(user.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        expect(page.get_by_role("heading", name="Nieuwe bon")).to_be_visible()
        # The service worker registers and takes control (worker-src 'self').
        page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")

        page.get_by_label("Foto maken").set_input_files(
            files=[
                {"name": "bon.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
            ]
        )
        draft = page.locator("#pages img").first
        expect(draft).to_have_attribute("src", re.compile("^blob:"))
        page.get_by_role("button", name="Versturen").click()
        sent = page.get_by_role("region", name="Mijn bonnen").get_by_role("img").first
        expect(sent).to_have_attribute("src", re.compile("^blob:"), timeout=30_000)
        expect(sent).to_be_visible()
        _shot(page, "1-phone")
        problems.assert_none(page)
    finally:
        page.screenshot(path=str(artefacts / "phone-last.png"), full_page=True)
        context.close()
