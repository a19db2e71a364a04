"""The voucher entry window through Django's test client."""

import pytest
from django.urls import reverse

from tests.users.factories import profile_with
from tests.vouchers.factories import voucher
from users.models import ENTER_VOUCHERS
from vouchers.models import Account, Voucher

pytestmark = pytest.mark.django_db

ENTRY = reverse("voucher-entry")


def form_data(**kwargs) -> dict:
    return {
        "date": "2026-12-03",
        "description": "Parkeren",
        "amount": "12.10",
        "vat_code": "21",
        "cost_account": Account.objects.get(number="4400").pk,
        "payment_account": Account.objects.get(number="1000").pk,
        **kwargs,
    }


def test_saving_a_new_voucher_gives_it_a_number_and_opens_it(admin_client):
    response = admin_client.post(ENTRY, form_data())

    saved = Voucher.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("voucher-edit", args=[saved.pk])
    page = admin_client.get(response["Location"]).text
    assert "Boeking 2026-1" in page
    assert "2,10" in page or "2.10" in page  # the VAT amount


def test_bad_input_is_kept_with_the_errors(admin_client):
    response = admin_client.post(ENTRY, form_data(amount="twaalf"))

    assert response.status_code == 200
    assert not Voucher.objects.exists()
    assert 'value="Parkeren"' in response.text
    assert "Voer een getal in." in response.text


def test_editing_keeps_the_number(admin_client):
    saved = voucher()

    admin_client.post(
        reverse("voucher-edit", args=[saved.pk]), form_data(description="Anders")
    )

    saved.refresh_from_db()
    assert (saved.number, saved.description) == (1, "Anders")


def test_voucher_list_searches_and_paginates(admin_client):
    for index in range(30):
        voucher(description=f"Boeking {index}")

    first = admin_client.get(reverse("voucher-list")).text
    found = admin_client.get(reverse("voucher-list"), {"q": "Boeking 7"}).text

    assert "Pagina 1 van 2" in first
    assert "2026-30" in first and "2026-1<" not in first
    assert "2026-8" in found and "2026-9<" not in found


def test_toolbar_offers_new_save_and_refresh(client, plain_user):
    plain_user.groups.add(profile_with(ENTER_VOUCHERS).group)
    client.force_login(plain_user)

    text = client.get(ENTRY).text

    assert 'role="toolbar"' in text
    for label in ("Nieuw", "Opslaan", "Vernieuwen"):
        assert f">{label}</button>" in text
    # Without "Bijlagen van Visma Mobile Scanner bekijken" there is no panel.
    assert "Bijlagen Visma Mobile Scanner" not in text
