"""Two finishes at the same moment on PostgreSQL make one activation.

Each thread has its own database connection, as two web requests do.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, connections, transaction

from conftest import activate_scanner
from integrations.models import Integration, IntegrationEvent, TermsAcceptance
from integrations.selectors import scanner_is_active
from integrations.services import scanner_deactivate

pytestmark = [pytest.mark.services]


def in_threads(*functions: Callable[[], object]) -> list[object]:
    """Run the functions in threads released together; raise the first error."""
    barrier = threading.Barrier(len(functions))
    results: list[object] = [None] * len(functions)
    errors: list[BaseException] = []

    def run(index: int, function: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, function))
        for index, function in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results


def test_two_administrators_finishing_at_once_make_one_activation(
    transactional_db, superuser, integration_manager
):
    for _round in range(5):
        first, second = in_threads(
            lambda: activate_scanner(superuser),
            lambda: activate_scanner(integration_manager),
        )

        assert first.is_active and second.is_active
        assert first.activated_by_id == second.activated_by_id
        scanner_deactivate(actor=superuser, ip_address=None)

    assert TermsAcceptance.objects.count() == 5
    assert IntegrationEvent.objects.filter(action="activated").count() == 5
    assert Integration.objects.count() == 1


@pytest.mark.parametrize("earlier_activation", [False, True])
def test_a_second_finish_waits_for_the_first_and_then_changes_nothing(
    transactional_db, superuser, integration_manager, earlier_activation
):
    if earlier_activation:  # the row exists: only the row lock makes the second wait
        activate_scanner(superuser)
        scanner_deactivate(actor=superuser, ip_address=None)
    events_before = IntegrationEvent.objects.count()
    first_done = threading.Event()
    release_first = threading.Event()
    second_result: list[Integration] = []

    def first() -> None:
        try:
            with transaction.atomic():
                activate_scanner(superuser)
                first_done.set()
                release_first.wait(timeout=10)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            second_result.append(activate_scanner(integration_manager))
        finally:
            connections.close_all()

    first_thread = threading.Thread(target=first)
    first_thread.start()
    assert first_done.wait(timeout=10)
    second_thread = threading.Thread(target=second)
    second_thread.start()

    second_thread.join(timeout=1)
    assert second_thread.is_alive(), "the second finish did not wait for the first"

    release_first.set()
    first_thread.join(timeout=10)
    second_thread.join(timeout=10)

    assert scanner_is_active()
    assert second_result[0].activated_by == superuser
    assert IntegrationEvent.objects.count() == events_before + 1
    assert TermsAcceptance.objects.filter(accepted_by=integration_manager).count() == 0


@pytest.mark.parametrize("table", ["integrationevent", "termsacceptance"])
def test_postgresql_refuses_to_change_or_delete_audit_rows(
    transactional_db, active_scanner, table
):
    for statement in (
        f"UPDATE integrations_{table} SET ip_address = NULL",  # noqa: S608
        f"DELETE FROM integrations_{table}",  # noqa: S608
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)

    assert IntegrationEvent.objects.count() == 1
