import pytest
from django.contrib.auth.models import Group, Permission

from integrations.selectors import scanner_is_active
from users.models import ScannerFunction, User

pytestmark = pytest.mark.django_db

FUNCTIONS = [
    ScannerFunction.USE,
    ScannerFunction.VIEW_ATTACHMENTS,
    ScannerFunction.LINK_ATTACHMENTS,
    ScannerFunction.REGISTER_MOBILE_USERS,
    ScannerFunction.MANAGE_INTEGRATIONS,
]


def test_superuser_has_every_scanner_function(superuser):
    assert all(superuser.has_perm(function) for function in FUNCTIONS)


def test_plain_user_has_no_scanner_function(plain_user):
    assert not any(plain_user.has_perm(function) for function in FUNCTIONS)


def test_a_group_grants_a_single_scanner_function():
    group = Group.objects.create(name="Scanners")
    group.permissions.add(Permission.objects.get(codename="use_mobile_scanner"))
    user = User.objects.create_user("piet@example.com", "x")
    user.groups.add(group)

    assert user.has_perm(ScannerFunction.USE)
    assert not user.has_perm(ScannerFunction.MANAGE_INTEGRATIONS)


def test_scanner_is_inactive_until_activated():
    assert scanner_is_active() is False


def test_active_scanner_is_reported_active(active_scanner):
    assert scanner_is_active() is True
