"""Who may open which page and do which action of users/urls.py.

``ACCESS`` is the specification: one row per (url name, method). The matrix asks every
row as every kind of caller: anonymous, a user with no function, a user with each single
scanner function, and the superuser. A view added to users/urls.py without rows here, or
answering a method it has no row for, makes a test fail.
"""

import pytest
from django.urls import URLPattern, reverse

from tests.access_matrix import (
    CALLERS,
    FUNCTIONS,
    METHODS,
    SIGNED_IN,
    SUPERUSER,
    assert_access,
)
from users.models import ScannerFunction
from users.urls import urlpatterns

from .factories import mobile_ready_user, profile_with

pytestmark = pytest.mark.django_db

REGISTER = ScannerFunction.REGISTER_MOBILE_USERS

# (url name, method, who may, object the url names)
ACCESS = [
    ("company-settings", "GET", SIGNED_IN, None),
    ("user-settings", "GET", SIGNED_IN, None),
    ("user-services", "GET", SIGNED_IN, None),
    ("user-services-register", "GET", SIGNED_IN, None),
    ("user-services-register", "POST", SIGNED_IN, None),
    ("user-services-deactivate", "GET", SIGNED_IN, None),
    ("user-services-deactivate", "POST", SIGNED_IN, None),
    ("user-services-phone-revoke", "GET", SIGNED_IN, "phone"),
    ("user-services-phone-revoke", "POST", SIGNED_IN, "phone"),
    ("user-administration", "GET", REGISTER, None),
    ("user-create", "GET", SUPERUSER, None),
    ("user-create", "POST", SUPERUSER, None),
    ("user-edit", "GET", REGISTER, "user"),
    ("user-edit", "POST", SUPERUSER, "user"),
    ("user-mobile-register", "GET", REGISTER, "user"),
    ("user-mobile-register", "POST", REGISTER, "user"),
    ("user-mobile-deactivate", "GET", REGISTER, "user"),
    ("user-mobile-deactivate", "POST", REGISTER, "user"),
    ("access-profiles", "GET", SUPERUSER, None),
    ("access-profile-create", "GET", SUPERUSER, None),
    ("access-profile-create", "POST", SUPERUSER, None),
    ("access-profile-edit", "GET", SUPERUSER, "profile"),
    ("access-profile-edit", "POST", SUPERUSER, "profile"),
    ("access-profile-delete", "GET", SUPERUSER, "profile"),
    ("access-profile-delete", "POST", SUPERUSER, "profile"),
]


@pytest.fixture
def url_for(db):
    """The url of a row, naming one target user or one custom profile."""
    targets = {}

    def build(name: str, target: str | None) -> str:
        if target == "user" and target not in targets:
            targets[target] = mobile_ready_user(email="doel@example.com").pk
        elif target == "profile" and target not in targets:
            targets[target] = profile_with(ScannerFunction.USE).pk
        elif target == "phone" and target not in targets:
            targets[target] = 1  # no such phone: answered like a phone signed out
        return reverse(name, args=[targets[target]] if target else [])

    return build


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("name", "method", "rule", "target"),
    ACCESS,
    ids=[f"{name}-{method}" for name, method, _rule, _target in ACCESS],
)
def test_access_matrix(client, superuser, url_for, caller, name, method, rule, target):
    assert_access(
        client,
        superuser,
        caller=caller,
        rule=rule,
        method=method,
        url=url_for(name, target),
    )


def _named_patterns() -> list[URLPattern]:
    return [pattern for pattern in urlpatterns if isinstance(pattern, URLPattern)]


def test_every_url_of_the_users_app_has_rows_in_the_table():
    names = {pattern.name for pattern in _named_patterns()}
    assert all(names), "every users URL needs a name to appear in the access table"

    assert names == {name for name, *_rest in ACCESS}


@pytest.mark.parametrize(
    "name", sorted({name for name, *_rest in ACCESS}), ids=lambda name: name
)
def test_methods_without_a_row_are_not_allowed(client, superuser, url_for, name):
    rows = [row for row in ACCESS if row[0] == name]
    allowed = {method for _name, method, _rule, _target in rows}
    client.force_login(superuser)

    for method in set(METHODS) - allowed:
        response = client.generic(method, url_for(name, rows[0][3]))
        assert response.status_code == 405, (name, method)


def test_no_function_needs_a_function_the_table_does_not_know():
    rules = {rule for _name, _method, rule, _target in ACCESS}
    assert rules <= {SIGNED_IN, SUPERUSER, *FUNCTIONS}


# --- Voucher entry is a bookkeeping right ---------------------------------------------


@pytest.mark.parametrize(
    ("system_key", "may_enter"),
    [("administrator", True), ("bookkeeper", True), ("employee", False)],
)
def test_the_system_profiles_grant_voucher_entry_to_beheerder_and_boekhouder(
    client, active_scanner, system_key, may_enter
):
    from tests.users.factories import UserFactory, system_profile
    from tests.vouchers.test_views import form_data
    from vouchers.models import Voucher

    user = UserFactory(email="medewerker@example.com")
    user.groups.add(system_profile(system_key).group)
    client.force_login(user)
    form = form_data()

    opened = client.get(reverse("voucher-entry"))
    posted = client.post(reverse("voucher-entry"), form)

    assert (opened.status_code == 200) is may_enter
    assert (posted.status_code == 302) is may_enter
    assert Voucher.objects.exists() is may_enter
    if not may_enter:
        assert opened.status_code == posted.status_code == 403
    home = client.get(reverse("home")).text
    assert (f'href="{reverse("voucher-entry")}"' in home) is may_enter


def test_enter_vouchers_is_a_function_of_the_profile_form(client, superuser):
    from users.models import ENTER_VOUCHERS, AccessProfile

    client.force_login(superuser)
    page = client.get(reverse("access-profile-create"), HTTP_ACCEPT_LANGUAGE="en")
    assert b'value="vouchers.enter_vouchers"' in page.content
    assert b"Enter vouchers" in page.content

    client.post(
        reverse("access-profile-create"),
        {"name": "Alleen boeken", "functions": [ENTER_VOUCHERS]},
    )

    profile = AccessProfile.objects.get(group__name="Alleen boeken")
    assert {p.codename for p in profile.group.permissions.all()} == {"enter_vouchers"}


@pytest.mark.django_db
def test_the_upgrade_gives_enter_vouchers_to_profiles_an_administrator_made():
    # Voucher entry needed no function before vouchers 0003; a custom profile with
    # only attachment functions would otherwise lose the panel on the upgrade.
    import importlib

    from django.apps import apps

    from users.models import AccessProfile

    migration = importlib.import_module(
        "vouchers.migrations.0003_enter_vouchers_permission"
    )
    custom = profile_with(ScannerFunction.VIEW_ATTACHMENTS)
    employee = AccessProfile.objects.get(system_key="employee")
    assert not custom.group.permissions.filter(codename="enter_vouchers").exists()

    migration.seed(apps, None)

    assert custom.group.permissions.filter(codename="enter_vouchers").exists()
    assert not employee.group.permissions.filter(codename="enter_vouchers").exists()
    for key in ("administrator", "bookkeeper"):
        profile = AccessProfile.objects.get(system_key=key)
        assert profile.group.permissions.filter(codename="enter_vouchers").exists()
