"""Who may open which page and do which action of the voucher window and its panel.

As tests/users/test_permissions.py: one row per (url name, method); every row is asked
as anonymous, a user with no function, a user with each single function and
the superuser. A view added to vouchers/urls.py or receipts/web_urls.py without rows
here makes a test fail.
"""

import pytest
from django.urls import URLPattern, reverse

from receipts.web_urls import urlpatterns as panel_urls
from tests.access_matrix import CALLERS, assert_access
from tests.receipts.factories import mobile_user
from tests.receipts.panel import received
from tests.vouchers.factories import voucher
from users.models import ENTER_VOUCHERS, ScannerFunction
from vouchers.urls import urlpatterns as voucher_urls

pytestmark = pytest.mark.django_db

VIEW = ScannerFunction.VIEW_ATTACHMENTS
LINK = ScannerFunction.LINK_ATTACHMENTS
ENTER = ENTER_VOUCHERS

# (url name, method, who may, what the url names)
ACCESS = [
    ("voucher-entry", "GET", ENTER, None),
    ("voucher-entry", "POST", ENTER, None),
    ("voucher-edit", "GET", ENTER, "voucher"),
    ("voucher-edit", "POST", ENTER, "voucher"),
    ("voucher-list", "GET", ENTER, None),
    ("attachments-panel", "GET", VIEW, None),
    ("attachment-detail", "GET", VIEW, "document"),
    ("attachment-pdf", "GET", VIEW, "document"),
    ("attachment-page", "GET", VIEW, "page"),
    ("attachment-link", "POST", LINK, "document"),
    ("attachment-unlink", "POST", LINK, "document"),
    ("attachment-trash", "POST", LINK, "document"),
    ("attachment-restore", "POST", LINK, "document"),
    ("attachment-purge", "GET", LINK, "document"),
    ("attachment-purge", "POST", LINK, "document"),
    ("attachment-duplicate-dismiss", "POST", LINK, "document"),
]


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    """Many users are made here; how passwords are hashed is not what is tested."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def url_for(active_scanner):
    def build(name: str, target: str | None) -> str:
        if target == "voucher":
            return reverse(name, args=[voucher().pk])
        if target in ("document", "page"):
            document = received(mobile_user(email="anna@example.com"))
            if target == "page":
                return reverse(name, args=[document.pk, 1, "thumbnail"])
            return reverse(name, args=[document.pk])
        return reverse(name)

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


def test_every_url_has_rows_and_no_other_method_is_answered(client, superuser):
    names = {p.name for p in [*voucher_urls, *panel_urls] if isinstance(p, URLPattern)}
    assert names == {name for name, *_ in ACCESS}

    client.force_login(superuser)
    for name, *_rest in ACCESS:
        allowed = {method for row_name, method, *_ in ACCESS if row_name == name}
        view = next(p.callback for p in [*voucher_urls, *panel_urls] if p.name == name)
        assert set(view.access_rules) - {"HEAD"} == allowed, name
