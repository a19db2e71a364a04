"""The attachments panel in the voucher entry window, through Django's test client."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from receipts.models import Document
from tests.receipts.factories import UserFactory, mobile_user
from tests.receipts.panel import many, received
from tests.users.factories import profile_with
from tests.vouchers.factories import voucher
from users.models import ENTER_VOUCHERS, ScannerFunction

pytestmark = pytest.mark.django_db

ENTRY = reverse("voucher-entry")
PANEL = reverse("attachments-panel")
VIEW = ScannerFunction.VIEW_ATTACHMENTS
LINK = ScannerFunction.LINK_ATTACHMENTS


@pytest.fixture
def sender(active_scanner):
    return mobile_user(email="anna@example.com")


def signed_in(client, *functions):
    user = UserFactory(email="boekhouder@example.com")
    user.groups.add(profile_with(ENTER_VOUCHERS, *functions).group)
    client.force_login(user)
    return client


def test_the_window_shows_the_panel_with_a_not_linked_document(client, sender):
    document = received(sender, note="Taxi")
    signed_in(client, VIEW)

    text = client.get(ENTRY).text

    assert "Bijlagen Visma Mobile Scanner" in text
    assert 'class="attachment not-linked"' in text
    assert "Taxi" in text and "Kassabon" in text and "Klaar" in text
    assert reverse("attachment-page", args=[document.pk, 1, "thumbnail"]) in text
    # Only viewing: no "+", no "Verwijderen".
    assert ">+</button>" not in text and "Verwijderen" not in text


def test_the_panel_polls_itself_with_htmx_from_our_static_files(client, sender):
    signed_in(client, VIEW)

    text = client.get(ENTRY).text

    assert "/static/js/htmx-2.0.11.min.js" in text
    assert 'hx-trigger="every 3s"' in text
    assert "https://" not in text.split("<body>")[0]


def test_plus_on_an_unsaved_voucher_says_save_first(client, sender):
    document = received(sender)
    signed_in(client, VIEW, LINK)

    response = client.post(
        reverse("attachment-link", args=[document.pk]), {"next": ENTRY}, follow=True
    )

    assert "Sla eerst de boeking op" in response.text
    document.refresh_from_db()
    assert document.voucher is None


def test_plus_links_and_minus_unlinks_on_the_voucher_on_screen(client, sender):
    document = received(sender)
    saved = voucher()
    here = reverse("voucher-edit", args=[saved.pk])
    signed_in(client, VIEW, LINK)

    page = client.get(here).text
    assert ">+</button>" in page
    response = client.post(
        reverse("attachment-link", args=[document.pk]),
        {"voucher": saved.pk, "next": here},
    )
    linked = client.get(here, {"show": "linked"}).text
    client.post(reverse("attachment-unlink", args=[document.pk]), {"next": here})

    assert response["Location"] == here
    assert "Gekoppeld aan boeking 2026-1" in linked
    assert 'class="attachment"' in linked
    document.refresh_from_db()
    assert document.voucher is None


def test_delete_of_a_linked_document_is_refused_with_the_reason(client, sender):
    document = received(sender)
    signed_in(client, VIEW, LINK)
    client.post(
        reverse("attachment-link", args=[document.pk]), {"voucher": voucher().pk}
    )

    response = client.post(reverse("attachment-trash", args=[document.pk]), follow=True)

    assert "Ontkoppel het voordat u het verwijdert" in response.text
    document.refresh_from_db()
    assert document.deleted_at is None


def test_delete_for_good_asks_for_confirmation_first(client, sender):
    document = received(sender)
    signed_in(client, VIEW, LINK)
    client.post(reverse("attachment-trash", args=[document.pk]))
    url = reverse("attachment-purge", args=[document.pk])

    confirm = client.get(url)
    assert "Dit kan niet ongedaan worden gemaakt" in confirm.text
    assert Document.objects.filter(pk=document.pk).exists()
    client.post(url)

    assert not Document.objects.filter(pk=document.pk).exists()


def test_the_document_detail_shows_every_page_the_pdf_and_the_history(client, sender):
    document = received(sender, note="Lunch")
    signed_in(client, VIEW)

    text = client.get(reverse("attachment-detail", args=[document.pk])).text
    pdf = client.get(reverse("attachment-pdf", args=[document.pk]))
    preview = client.get(reverse("attachment-page", args=[document.pk, 1, "preview"]))

    assert "Lunch" in text and "Verwerkingsgeschiedenis" in text
    assert "PDF downloaden" in text
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:4] == b"%PDF"
    assert preview["Content-Type"] == "image/jpeg"
    assert (
        client.get(
            reverse("attachment-page", args=[document.pk, 1, "original"])
        ).status_code
        == 404
    )


def test_a_failed_document_shows_its_reason(client, sender):
    document = received(sender)
    Document.objects.filter(pk=document.pk).update(
        # As the pipeline stores it: the English message id.
        status="failed",
        failure_detail="The file is damaged or incomplete and cannot be read.",
    )
    signed_in(client, VIEW)

    text = client.get(reverse("attachment-detail", args=[document.pk])).text

    assert "Reden" in text
    assert "Het bestand is beschadigd of onvolledig en kan niet worden gelezen." in text


def test_the_duplicate_flag_shows_and_can_be_dismissed(client, sender):
    received(sender)
    second = received(sender)
    signed_in(client, VIEW, LINK)
    detail = reverse("attachment-detail", args=[second.pk])

    assert "Mogelijk duplicaat" in client.get(ENTRY).text
    client.post(
        reverse("attachment-duplicate-dismiss", args=[second.pk]), {"next": detail}
    )

    assert "Mogelijk duplicaat" not in client.get(detail).text


def test_the_trash_filter_lists_deleted_documents_to_restore(client, sender):
    document = received(sender, note="Weg")
    signed_in(client, VIEW, LINK)
    client.post(reverse("attachment-trash", args=[document.pk]))

    assert "Weg" not in client.get(ENTRY).text
    trash = client.get(ENTRY, {"show": "trash"}).text
    assert "Weg" in trash and "Terugzetten" in trash
    client.post(reverse("attachment-restore", args=[document.pk]))
    assert "Weg" in client.get(ENTRY).text


@pytest.mark.parametrize("show", ["all", "linked", "not_linked", "trash"])
def test_the_panel_runs_a_fixed_number_of_queries(client, active_scanner, show):
    sender = mobile_user(email="anna@example.com")
    signed_in(client, VIEW, LINK)
    saved = voucher()
    url = reverse("voucher-edit", args=[saved.pk])

    counts = []
    for total in (3, 30, 120):
        many(sender, total - Document.objects.count())
        if show == "linked":
            Document.objects.update(voucher=saved)
        elif show == "trash":
            Document.objects.update(deleted_at="2026-12-01T00:00Z")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"show": show})
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] == counts[2]
    assert response.text.count("<article") == 24
