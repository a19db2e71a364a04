"""The machinery of the permission matrices: who calls, and what each must get.

A matrix module lists its rows (url name, method, who may, what the url names) and asks
each row as every caller with :func:`assert_access`.
"""

from django.test import Client
from django.urls import reverse

from tests.users.factories import UserFactory, profile_with
from users.models import ENTER_VOUCHERS, ScannerFunction, User

SIGNED_IN = "any signed-in user"
SUPERUSER = "superuser only"
FUNCTIONS = [
    ENTER_VOUCHERS,
    ScannerFunction.USE,
    ScannerFunction.VIEW_ATTACHMENTS,
    ScannerFunction.LINK_ATTACHMENTS,
    ScannerFunction.REGISTER_MOBILE_USERS,
    ScannerFunction.MANAGE_INTEGRATIONS,
]
CALLERS = ["anonymous", "no function", *FUNCTIONS, "superuser"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def may(caller: str, rule: str) -> bool:
    return caller == "superuser" or rule in (SIGNED_IN, caller)


def sign_in(client: Client, caller: str, superuser: User) -> None:
    """Sign ``client`` in as ``caller``: a user whose profile grants just that."""
    if caller == "anonymous":
        return
    if caller == "superuser":
        client.force_login(superuser)
        return
    user = UserFactory(email="beller@example.com")
    if caller != "no function":
        user.groups.add(profile_with(caller, name="Alleen deze functie").group)
    client.force_login(user)


def assert_access(
    client: Client, superuser: User, *, caller: str, rule: str, method: str, url: str
) -> None:
    """Anonymous callers go to sign in, allowed ones get the page, others 403."""
    sign_in(client, caller, superuser)

    response = client.generic(method, url)

    if caller == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif may(caller, rule):
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403
