"""Accessibility in Debian's Chromium: every page of the web app and of the phone app,
in Dutch and in English, checked with axe-core (from the npm registry, `npm ci`).

One logged-in browser context per language walks the pages with data present (a
voucher, documents in the panel including a failed one and a possible duplicate, a
user with a phone); every violation axe rates "serious" or "critical" is collected
and the test fails listing them all, page by page.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from knox.models import AuthToken
from playwright.sync_api import expect

from receipts.models import Document, MobileDevice
from tests.phone.conftest import PHONE_USER_AGENT
from tests.receipts.factories import jpeg_bytes, mobile_user
from tests.receipts.panel import received
from tests.users.factories import PASSWORD, EmployeeFactory, profile_with
from tests.vouchers.factories import voucher
from users.models import ScannerFunction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
SEVERE = ("serious", "critical")


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (make test does)")
    return AXE


def axe_context(browser, script: Path, language: str, **options):
    """A browser context in ``language`` whose every page carries axe-core.

    axe comes in as an init script (added by the DevTools protocol, not by the page)
    and the context bypasses the Content-Security-Policy, so a policy without
    'unsafe-inline' does not keep axe out.
    """
    context = browser.new_context(locale=LOCALES[language], bypass_csp=True, **options)
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(script))
    return context


class Axe:
    """Runs axe-core on a page and keeps every serious or critical violation."""

    def __init__(self, script: Path, artefacts: Path, language: str) -> None:
        self.script = script
        self.artefacts = artefacts
        self.language = language
        self.pages: list[str] = []
        self.violations: list[str] = []

    def check(self, page, name: str) -> None:
        page.wait_for_load_state()
        # The attachments panel renews itself every 3 s: no swap in the middle of a run.
        page.evaluate(
            """() => document.body.addEventListener(
                 "htmx:beforeRequest", event => event.preventDefault())"""
        )
        if not page.evaluate("typeof window.axe === 'object'"):
            page.add_script_tag(path=str(self.script))
        results = page.evaluate(
            """() => axe.run(document, {resultTypes: ["violations"]})
                 .then(r => r.violations.map(v => ({
                   id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.map(n => n.target.join(" ") + " " + n.failureSummary)
                 })))"""
        )
        lang = page.evaluate("document.documentElement.lang")
        self.pages.append(name)
        page.screenshot(
            path=str(
                self.artefacts / f"{self.language}-{len(self.pages):02d}-{name}.png"
            ),
            full_page=True,
        )
        if lang != self.language:
            self.violations.append(f"{name}: <html lang={lang!r}>, not {self.language}")
        for violation in results:
            if violation["impact"] in SEVERE:
                nodes = "\n      ".join(violation["nodes"][:5])
                self.violations.append(
                    f"{name} ({page.url}): [{violation['impact']}] {violation['id']}"
                    f" — {violation['help']}\n      {nodes}"
                )

    def assert_clean(self) -> None:
        assert not self.violations, (
            f"{len(self.violations)} serious/critical accessibility problems:\n"
            + "\n".join(self.violations)
        )


def test_the_check_finds_what_axe_rates_serious(browser, axe_script, artefacts):
    """The checker itself: an unlabelled field and grey-on-white text fail it."""
    context = axe_context(browser, axe_script, "en")
    page = context.new_page()
    page.set_content(
        '<html lang="nl"><head><title>x</title></head><body><main>'
        '<input type="text"><p style="color:#bbb">Te licht</p></main></body></html>'
    )
    axe = Axe(axe_script, artefacts, "en")
    axe.check(page, "bad")
    context.close()
    found = "\n".join(axe.violations)
    assert "<html lang='nl'>, not en" in found
    assert "[critical] label" in found
    assert "[serious] color-contrast" in found
    with pytest.raises(AssertionError, match="3 serious/critical"):
        axe.assert_clean()


def _data(superuser):
    """What the pages show: a phone user with documents, a voucher, a custom
    profile, and the superuser registered as mobile user with a signed-in phone."""
    from users.services import mobile_user_register

    anna = mobile_user(email="anna@example.com", first_name="Anna", last_name="Smit")
    superuser.employee = EmployeeFactory(name="Beheerder")
    superuser.save()
    mobile_user_register(actor=superuser, user=superuser)
    instance, _token = AuthToken.objects.create(superuser)
    MobileDevice.objects.create(token=instance, name="Pixel 8")
    booked = voucher()
    linked = received(anna, note="Taxi naar klant", color="white")
    linked.voucher = booked
    linked.save()
    duplicate = received(anna, note="Nog een keer", color="white")
    failed = received(anna, note="Onleesbaar", color="black")
    Document.objects.filter(pk=failed.pk).update(
        status="failed", failure_detail="De foto is onleesbaar."
    )
    trashed = received(anna, note="Weg", color="grey")
    Document.objects.filter(pk=trashed.pk).update(deleted_at=trashed.created_at)
    profile = profile_with(ScannerFunction.USE, ScannerFunction.VIEW_ATTACHMENTS)
    return {
        "anna": anna,
        "voucher": booked,
        "duplicate": duplicate,
        "failed": failed,
        "profile": profile,
    }


def _sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(url + reverse("login"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    expect(page.locator(".who")).to_have_text(email)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_has_no_serious_accessibility_violation(
    browser,
    live_server,
    artefacts,
    axe_script,
    active_scanner,
    scanner_off,
    superuser,
    admin_password,
    plain_user,
    language,
    settings,
):
    settings.RECEIPTS_OCR_ENABLED = False  # text recognition is not on these pages
    data = _data(superuser)
    scanner_off()
    axe = Axe(axe_script, artefacts, language)
    url = live_server.url
    context = axe_context(browser, axe_script, language)
    page = context.new_page()

    # Signing in, also with a wrong password.
    page.goto(url + "/")
    axe.check(page, "login")
    page.locator("#id_username").fill(superuser.email)
    page.locator("#id_password").fill("wrong")
    page.locator("main button[type=submit]").click()
    expect(page.locator(".errors")).to_be_visible()
    axe.check(page, "login-error")
    _sign_in(page, url, superuser.email, admin_password)
    axe.check(page, "start")
    page.locator("details.menu summary").click()
    expect(page.locator(".menu-panel")).to_be_visible()
    axe.check(page, "main-menu")

    # Administration: company, integration tab, the wizard, deactivation.
    page.goto(url + reverse("company-settings"))
    axe.check(page, "company")
    page.goto(url + reverse("integration-settings"))
    axe.check(page, "integration-inactive")
    page.locator("form[action$='mobile-scanner/'] button").click()
    expect(page.locator("input[name=accept]")).to_be_visible()
    axe.check(page, "wizard-terms")
    page.locator("#wizard-form button.primary").click()
    expect(page.locator("#accept-error")).to_be_visible()
    axe.check(page, "wizard-terms-error")
    page.locator("input[name=accept]").check()
    page.locator("#wizard-form button.primary").click()
    expect(page.locator(".phone-qr")).to_be_visible()
    axe.check(page, "wizard-information")
    page.locator("#wizard-form button.primary").click()
    expect(page.locator(".status-active")).to_be_visible()
    axe.check(page, "integration-active")
    page.locator("form[action$='mobile-scanner/'] button").click()
    expect(page.locator("#deactivate-question")).to_be_visible()
    axe.check(page, "deactivate-confirmation")

    # Users and access profiles.
    page.goto(url + reverse("user-settings"))
    axe.check(page, "user")
    page.goto(url + reverse("user-services"))
    expect(page.get_by_text("Pixel 8")).to_be_visible()
    axe.check(page, "user-services")
    page.goto(url + reverse("user-administration"))
    axe.check(page, "user-administration")
    page.goto(url + reverse("user-edit", args=[data["anna"].pk]))
    axe.check(page, "user-edit")
    page.goto(url + reverse("user-create"))
    page.locator("#id_employee").select_option("new")
    expect(page.locator("#new-employee")).to_be_visible()
    axe.check(page, "user-new-register-employee")
    page.locator("main button[type=submit]").click()
    axe.check(page, "user-new-errors")
    page.goto(url + reverse("user-mobile-register", args=[plain_user.pk]))
    axe.check(page, "mobile-register-problems")
    page.goto(url + reverse("access-profiles"))
    axe.check(page, "access-profiles")
    page.goto(url + reverse("access-profile-edit", args=[data["profile"].pk]))
    axe.check(page, "access-profile-edit")
    page.goto(url + reverse("access-profile-create") + "?copy=1")
    axe.check(page, "access-profile-copy")

    # Voucher entry with the attachments panel, the documents, the trash, the list.
    page.goto(url + reverse("voucher-entry"))
    axe.check(page, "voucher-entry-new")
    page.goto(url + reverse("voucher-edit", args=[data["voucher"].pk]))
    expect(page.locator(".attachment.not-linked").first).to_be_visible()
    axe.check(page, "voucher-entry-panel")
    page.goto(url + reverse("voucher-entry") + "?show=trash")
    axe.check(page, "trash")
    page.goto(url + reverse("attachment-detail", args=[data["failed"].pk]))
    axe.check(page, "document-failed")
    page.goto(url + reverse("attachment-detail", args=[data["duplicate"].pk]))
    expect(page.locator(".flag")).to_be_visible()
    axe.check(page, "document-duplicate")
    page.goto(url + reverse("voucher-list"))
    axe.check(page, "voucher-list")

    # Error pages.
    page.goto(url + "/no-such-page/")
    axe.check(page, "404")
    context.clear_cookies()
    _sign_in(page, url, plain_user.email, admin_password)
    page.goto(url + reverse("user-administration"))
    axe.check(page, "403")
    context.close()

    # The phone app, on a phone.
    phone = axe_context(
        browser,
        axe_script,
        language,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_USER_AGENT,
    )
    app = phone.new_page()
    app.goto(url + reverse("phone:app"))
    expect(app.locator("#sign-in-view")).to_be_visible()
    axe.check(app, "phone-sign-in")
    app.locator("#email").fill(data["anna"].email)
    app.locator("#password").fill("wrong")
    app.locator("#sign-in-form button[type=submit]").click()
    expect(app.locator("#sign-in-error")).to_be_visible()
    axe.check(app, "phone-sign-in-error")
    app.locator("#password").fill(PASSWORD)
    app.locator("#sign-in-form button[type=submit]").click()
    expect(app.locator("#main-view")).to_be_visible()
    expect(app.locator("#documents li").first).to_be_visible()
    axe.check(app, "phone-main")
    app.locator("#camera").set_input_files(
        files=[{"name": "bon.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    expect(app.locator("#pages li")).to_have_count(1)
    axe.check(app, "phone-main-with-page")
    phone.close()

    axe.assert_clean()
