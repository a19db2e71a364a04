"""The forms with the keyboard alone, in Debian's Chromium, in Dutch: signing in, the
activation wizard, a new user with a newly registered employee (the "Medewerker"
dropdown), registering him as mobile user, and linking a document in Inboeken.

Only keyboard.press (Tab, Enter, Space, arrow keys) and keyboard.type touch the page;
every control that takes the focus must show it (the stylesheet's :focus-visible
outline, not the browser's thin default ring).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from integrations.selectors import scanner_is_active
from receipts.models import Document
from tests.receipts.factories import mobile_user
from tests.receipts.panel import received
from tests.vouchers.factories import voucher
from users.models import User
from users.selectors import mobile_registration_active

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return "";
  const style = getComputedStyle(element);
  return JSON.stringify({
    tag: element.tagName.toLowerCase(), id: element.id, name: element.name || "",
    text: (element.getAttribute("aria-label") || element.textContent || "").trim(),
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
  });
}"""


def tab_to(page, selector: str, *, limit: int = 40) -> None:
    """Press Tab until ``selector`` has the focus, which must then be visible."""
    visited = []
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            focused = page.evaluate(FOCUSED)
            assert '"outline":"solid"' in focused, f"no visible focus: {focused}"
            assert page.evaluate(
                "() => parseFloat(getComputedStyle(document.activeElement)"
                ".outlineWidth) >= 2"
            ), f"focus outline too thin: {focused}"
            return
        visited.append(page.evaluate(FOCUSED))
    raise AssertionError(
        f"Tab never reached {selector}; it went through:\n" + "\n".join(visited)
    )


def arrow_to(page, value: str, *, key: str = "ArrowDown", limit: int = 20) -> None:
    """Move a focused dropdown with the arrow keys until it shows ``value``."""
    for _press in range(limit):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press(key)
    raise AssertionError(f"the arrow keys never chose {value!r}")


def go(page, key: str = "Enter") -> None:
    """Press ``key`` on a link or a submit button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def _shot(page, step: str) -> None:
    page.screenshot(path=f"{page.artefacts}-{step}.png", full_page=True)


def test_sign_in_activate_register_and_link_with_the_keyboard_alone(
    page, live_server, superuser, admin_password, settings
):
    settings.RECEIPTS_OCR_ENABLED = False
    keyboard = page.keyboard

    # Inloggen.
    page.goto(live_server.url + "/")
    tab_to(page, "#id_username")
    keyboard.type(superuser.email)
    tab_to(page, "#id_password")
    keyboard.type(admin_password)
    go(page)
    expect(page.get_by_role("heading", name="Welkom")).to_be_visible()

    # The main menu opens with Enter and leads to the company's settings.
    tab_to(page, "details.menu summary")
    keyboard.press("Enter")
    tab_to(page, f"a[href='{reverse('company-settings')}']")
    go(page)
    expect(
        page.get_by_role("heading", name="Administratie", exact=True)
    ).to_be_visible()
    tab_to(page, "a[role=tab][href$='integration/']")
    go(page)

    # The activation wizard: the checkbox with Space, Volgende, Voltooien.
    tab_to(page, "form[action$='mobile-scanner/'] button")
    go(page)
    expect(page.get_by_text("Stap 1 van 2: Voorwaarden")).to_be_visible()
    tab_to(page, "input[name=accept]")
    keyboard.press("Space")
    expect(page.get_by_label("Ik ga akkoord met de voorwaarden")).to_be_checked()
    tab_to(page, "#wizard-form button.primary")
    go(page)
    expect(page.get_by_text("Stap 2 van 2: Informatie")).to_be_visible()
    _shot(page, "1-wizard-information")
    tab_to(page, "#wizard-form button.primary")
    go(page)
    expect(page.get_by_text("Actief", exact=True)).to_be_visible()
    assert scanner_is_active()

    # A new user, registering a new employee from the "Medewerker" dropdown.
    page.goto(live_server.url + reverse("user-create"))
    tab_to(page, "#id_employee")
    arrow_to(page, "new")
    expect(page.get_by_role("group", name="Medewerker registreren")).to_be_visible()
    # The focus stays on the dropdown; the new employee's fields come next.
    assert page.evaluate("() => document.activeElement.id") == "id_employee"
    tab_to(page, "#id_employee_name", limit=1)
    keyboard.type("Piet de Vries")
    tab_to(page, "#id_employee_number")
    keyboard.type("E042")
    tab_to(page, "#id_employee_phone")
    keyboard.type("0612345678")
    tab_to(page, "#id_email")
    keyboard.type("piet@example.com")
    tab_to(page, "#id_password")
    keyboard.type("Lange-Fiets-Tocht-19")
    tab_to(page, "#id_access_profile")
    arrow_to(page, page.evaluate(MEDEWERKER_OPTION))
    tab_to(page, "#id_first_name")
    keyboard.type("Piet")
    _shot(page, "2-new-user")
    go(page)
    expect(page.get_by_role("status")).to_contain_text("piet@example.com is opgeslagen")
    piet = User.objects.get(email="piet@example.com")
    assert piet.employee.name == "Piet de Vries"
    assert piet.employee.employee_number == "E042"
    assert piet.check_password("Lange-Fiets-Tocht-19")

    # ... and registering him as mobile user: Registreren, Bevestigen.
    page.goto(live_server.url + reverse("user-edit", args=[piet.pk]))
    tab_to(page, "form[action$='mobile/register/'] button")
    go(page)
    tab_to(page, "main form[method=post] button.primary")
    go(page)
    expect(page.get_by_text("Geregistreerd sinds").first).to_be_visible()
    assert mobile_registration_active(piet) is not None

    # Inboeken: "+" links a document from the phone to the open voucher; the panel
    # renews itself every 3 s and the focus stays on the same "+".
    anna = mobile_user(email="anna@example.com", first_name="Anna")
    document = received(anna, note="Taxi naar klant")
    booked = voucher()
    page.goto(live_server.url + reverse("voucher-edit", args=[booked.pk]))
    tab_to(page, f"#link-{document.pk}", limit=60)
    page.evaluate(
        """() => new Promise(resolve => document.body.addEventListener(
             "htmx:afterSwap", resolve, {once: true}))"""
    )
    assert page.evaluate("() => document.activeElement.id") == f"link-{document.pk}"
    go(page)
    expect(page.get_by_text(f"Gekoppeld aan boeking {booked}")).to_be_visible()
    _shot(page, "3-linked")
    document.refresh_from_db()
    assert Document.objects.get(pk=document.pk).voucher_id == booked.pk


MEDEWERKER_OPTION = """() => [...document.activeElement.options]
  .find(option => option.text === "Medewerker").value"""
