"""The rules of the attachments panel: link, unlink, trash, restore, delete for good."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from mamut.errors import ApplicationError
from receipts.models import Document, DocumentEvent
from receipts.selectors import PanelFilter, document_panel_page
from receipts.services import (
    document_duplicate_dismiss,
    document_link,
    document_purge,
    document_restore,
    document_trash,
    document_unlink,
    documents_trash_empty,
)
from tests.receipts.factories import UserFactory, mobile_user
from tests.receipts.panel import received
from tests.users.factories import profile_with
from tests.vouchers.factories import voucher
from users.models import ScannerFunction

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(active_scanner):
    return mobile_user(email="anna@example.com")


@pytest.fixture
def bookkeeper():
    user = UserFactory(email="boekhouder@example.com")
    user.groups.add(
        profile_with(
            ScannerFunction.VIEW_ATTACHMENTS, ScannerFunction.LINK_ATTACHMENTS
        ).group
    )
    return user


def actions(document: Document) -> list[str]:
    return list(
        DocumentEvent.objects.filter(document_id=document.pk).values_list(
            "action", flat=True
        )
    )


def test_linking_sets_the_voucher_and_is_audited(sender, bookkeeper):
    document = received(sender)
    saved = voucher()

    document_link(document=document, voucher=saved, by=bookkeeper)

    document.refresh_from_db()
    assert document.voucher == saved
    event = DocumentEvent.objects.get(document_id=document.pk)
    assert (event.action, event.actor_email, event.voucher_label) == (
        "linked",
        "boekhouder@example.com",
        "2026-1",
    )


def test_linking_to_an_unsaved_voucher_says_save_first(sender, bookkeeper):
    document = received(sender)

    with pytest.raises(ApplicationError) as error:
        document_link(document=document, voucher=None, by=bookkeeper)

    assert error.value.code == "voucher_not_saved"
    assert "Save the voucher first" in error.value.message or "Sla eerst" in (
        error.value.message
    )


def test_a_document_links_to_at_most_one_voucher(sender, bookkeeper):
    document = received(sender)
    document_link(document=document, voucher=voucher(), by=bookkeeper)

    with pytest.raises(ApplicationError) as error:
        document_link(document=document, voucher=voucher(), by=bookkeeper)

    assert error.value.code == "already_linked"
    document.refresh_from_db()
    assert document.voucher.number == 1


def test_linking_and_deleting_need_the_link_function(sender):
    viewer = UserFactory()
    viewer.groups.add(profile_with(ScannerFunction.VIEW_ATTACHMENTS).group)
    document = received(sender)

    for call in (
        lambda: document_link(document=document, voucher=voucher(), by=viewer),
        lambda: document_unlink(document=document, by=viewer),
        lambda: document_trash(document=document, by=viewer),
        lambda: document_restore(document=document, by=viewer),
    ):
        with pytest.raises(ApplicationError) as error:
            call()
        assert error.value.code == "permission_denied"
    assert actions(document) == []


def test_a_linked_document_must_be_unlinked_before_delete(sender, bookkeeper):
    document = received(sender)
    document_link(document=document, voucher=voucher(), by=bookkeeper)

    with pytest.raises(ApplicationError) as error:
        document_trash(document=document, by=bookkeeper)

    assert (error.value.code, error.value.status_code) == ("linked", 409)
    document_unlink(document=document, by=bookkeeper)
    document_trash(document=document, by=bookkeeper)
    document.refresh_from_db()
    assert document.deleted_at is not None
    assert actions(document) == ["linked", "unlinked", "trashed"]


def test_trash_and_restore_move_the_document_between_the_panel_and_the_trash(
    sender, bookkeeper
):
    document = received(sender)

    document_trash(document=document, by=bookkeeper)
    in_trash = document_panel_page(show=PanelFilter.TRASH).documents
    in_panel = document_panel_page().documents
    document_restore(document=document, by=bookkeeper)

    assert in_trash == [document] and in_panel == []
    assert document_panel_page().documents == [document]
    assert actions(document) == ["trashed", "restored"]


def test_delete_for_good_removes_the_rows_and_the_files_once_committed(
    sender, bookkeeper, django_capture_on_commit_callbacks
):
    document = received(sender)
    names = [document.pdf.name] + [
        f.name for page in document.pages.all() for f in (page.original, page.preview)
    ]
    assert all(default_storage.exists(name) for name in names)

    with pytest.raises(ApplicationError) as error:
        document_purge(document=document, by=bookkeeper)
    assert error.value.code == "not_in_trash"

    document_trash(document=document, by=bookkeeper)
    with django_capture_on_commit_callbacks(execute=True):
        document_purge(document=document, by=bookkeeper)
        assert all(default_storage.exists(name) for name in names)

    assert not Document.objects.filter(pk=document.pk).exists()
    assert [n for n in names if default_storage.exists(n)] == []
    assert actions(document) == ["trashed", "purged"]


def test_the_trash_is_emptied_after_30_days(
    sender, bookkeeper, django_capture_on_commit_callbacks
):
    old = received(sender, note="oud")
    recent = received(sender, note="nieuw", color="black")
    document_trash(document=old, by=bookkeeper)
    document_trash(document=recent, by=bookkeeper)
    Document.objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - timedelta(days=31)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert documents_trash_empty() == 1
    assert list(Document.objects.values_list("note", flat=True)) == ["nieuw"]


def test_the_duplicate_flag_can_be_dismissed(sender, bookkeeper):
    first = received(sender)
    second = received(sender)
    assert second.duplicate_of == first

    document_duplicate_dismiss(document=second, by=bookkeeper)

    second.refresh_from_db()
    assert second.duplicate_dismissed
    assert actions(second) == ["duplicate_dismissed"]


def test_the_filter_shows_all_linked_or_not_linked(sender, bookkeeper):
    linked = received(sender, note="gekoppeld")
    loose = received(sender, note="los", color="black")
    document_link(document=linked, voucher=voucher(), by=bookkeeper)

    assert document_panel_page().documents == [loose, linked]
    assert document_panel_page(show=PanelFilter.LINKED).documents == [linked]
    assert document_panel_page(show=PanelFilter.NOT_LINKED).documents == [loose]


def test_the_panel_pages_without_counting(sender):
    for index in range(5):
        received(sender, note=str(index), color=("white", "black", "red")[index % 3])

    first = document_panel_page(per_page=2)
    last = document_panel_page(per_page=2, page=3)

    assert [d.note for d in first.documents] == ["4", "3"]
    assert first.has_next and not first.has_previous
    assert [d.note for d in last.documents] == ["0"]
    assert last.has_previous and not last.has_next


def test_audit_records_cannot_be_changed_or_removed(sender, bookkeeper):
    document = received(sender)
    document_trash(document=document, by=bookkeeper)
    event = DocumentEvent.objects.get()

    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        DocumentEvent.objects.all().delete()


@pytest.mark.parametrize("page", [4, 99, 10**20])
def test_a_page_past_the_end_shows_the_last_page(sender, page):
    for index in range(5):
        received(sender, note=str(index), color=("white", "black", "red")[index % 3])

    shown = document_panel_page(per_page=2, page=page)

    assert shown.number == 3
    assert [d.note for d in shown.documents] == ["0"]
    assert shown.has_previous and not shown.has_next


def test_a_page_past_the_end_of_an_empty_panel_is_the_first(sender):
    shown = document_panel_page(page=10**20)

    assert shown.number == 1
    assert shown.documents == []
    assert not shown.has_previous and not shown.has_next
