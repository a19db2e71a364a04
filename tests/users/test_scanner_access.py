"""The phone API's access check in one statement answers as the four checks did."""

import pytest
from django.contrib.auth.models import Permission

from integrations.selectors import scanner_is_active
from tests.receipts.factories import mobile_user
from users.models import ScannerFunction, User
from users.selectors import mobile_registration_active, scanner_access
from users.services import mobile_user_deactivate

from .factories import UserFactory, profile_with

pytestmark = pytest.mark.django_db


def use_permission() -> Permission:
    app_label, codename = ScannerFunction.USE.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def assert_same_as_the_separate_checks(user: User) -> None:
    fresh = User.objects.get(pk=user.pk)  # no permission cache
    access = scanner_access(fresh)
    assert access.service_active == scanner_is_active()
    assert access.registered == (mobile_registration_active(fresh) is not None)
    assert access.may_use == fresh.has_perm(ScannerFunction.USE)


def test_a_registered_mobile_user_may_use_the_scanner(active_scanner):
    user = mobile_user()

    access = scanner_access(user)

    assert (access.service_active, access.registered, access.may_use) == (
        True,
        True,
        True,
    )
    assert_same_as_the_separate_checks(user)


def test_the_function_granted_directly_or_through_a_profile(active_scanner):
    direct = UserFactory()
    direct.user_permissions.add(use_permission())
    through_profile = UserFactory()
    through_profile.groups.add(profile_with(ScannerFunction.USE).group)
    other_function = UserFactory()
    other_function.groups.add(profile_with(ScannerFunction.VIEW_ATTACHMENTS).group)

    assert scanner_access(direct).may_use
    assert scanner_access(through_profile).may_use
    assert not scanner_access(other_function).may_use
    for user in (direct, through_profile, other_function):
        assert_same_as_the_separate_checks(user)


def test_an_inactive_account_may_not_and_a_superuser_may(active_scanner, superuser):
    inactive = UserFactory(is_active=False)
    inactive.user_permissions.add(use_permission())

    assert not scanner_access(inactive).may_use
    assert scanner_access(superuser).may_use
    assert_same_as_the_separate_checks(inactive)
    assert_same_as_the_separate_checks(superuser)


def test_a_deactivated_registration_and_an_inactive_service(
    active_scanner, superuser, scanner_off
):
    user = mobile_user()
    mobile_user_deactivate(actor=superuser, user=user)
    scanner_off()

    access = scanner_access(user)

    assert not access.service_active
    assert not access.registered
    assert_same_as_the_separate_checks(user)
