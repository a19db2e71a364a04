"""Every URL in the URLconf refuses callers who may not use it.

The list of URLs is computed from the URLconf itself (``get_resolver()``, walked
recursively, path converters filled with sample values), so a view added without a
permission check fails here without anyone having to list it:

- anonymous callers get a redirect to a sign-in page, 401, 403, 404 or 405 on every
  URL but the few public ones below; never a page, never a 500;
- a signed-in user without any scanner function gets 403, 404 or 405 on every page
  that is not declared open to any signed-in user, and the same on the mobile API
  with a phone token;
- every page of the web UI refuses a POST without a CSRF token.

The finer matrices (who with which function gets what) are in
tests/users/test_permissions.py and tests/receipts/test_panel_permissions.py.
"""

import re
import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from users.access import SIGNED_IN
from users.models import User

pytestmark = pytest.mark.django_db

# Public: they answer anonymous callers on purpose.
PUBLIC = {
    "login": "the sign-in page",
    "logout": "signing out (POST) answers anyone with the sign-in page",
    "healthz": "the health check of load balancers and compose",
    "set_language": "the NL/EN buttons, also on the sign-in page",
    "phone:app": "the phone app's shell; it signs in over the API itself",
    "phone:manifest": "the phone app's web manifest",
    "phone:service-worker": "the phone app's service worker script",
    "api:auth-token": "the phone's sign-in (POST); DELETE needs the token",
    "schema": "the OpenAPI schema: the API's description, no data",
    "api-docs": "Swagger UI over that schema (static files of the project)",
    "admin:login": "the Django admin's sign-in page",
}
# Open to any signed-in user (besides the views that declare SIGNED_IN with @allow).
SIGNED_IN_PAGES = {
    "home": "the start page",
    "integration-settings": "the service's status; its buttons need a function",
}

SAMPLES = {
    "int": "1",
    "uuid": "3f2c1d9e-8a7b-4c6d-9e0f-1a2b3c4d5e6f",
    "str": "thumbnail",
    "slug": "sample",
    "path": "1",
}


@dataclass(frozen=True)
class Route:
    path: str  # with sample values, e.g. /voucher-entry/1/
    name: str  # namespaced url name, e.g. api:me ("" when unnamed)
    callback: object

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def is_admin(self) -> bool:
        return self.path.startswith("/django-admin/")

    @property
    def access_rules(self) -> dict[str, str] | None:
        return getattr(self.callback, "access_rules", None)


def _sample(pattern: str) -> str:
    """A path for a route (``<int:pk>``) or a regex (``(?P<app_label>auth|users)``)."""

    def group(match: re.Match) -> str:
        body = match.group(1)
        if re.fullmatch(r"\w+(\|\w+)*", body):
            return body.split("|")[0]
        return "sample"

    def converter(match: re.Match) -> str:
        return SAMPLES.get(match.group(1) or "str", "sample")

    path = re.sub(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)", group, pattern)
    path = re.sub(r"<(?:(\w+):)?\w+>", converter, path)
    return path.replace("^", "").replace("$", "")


def routes(resolver: URLResolver | None = None, prefix: str = "", namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            path = "/" + _sample(prefix + str(entry.pattern))
            yield Route(path, name, entry.callback)


ROUTES = list(routes())
SIGN_IN_PAGES = ("/accounts/login/", "/django-admin/login/")


def _report(wrong: list) -> str:
    return "\n".join(" ".join(str(part) for part in row) for row in wrong)


def _goes_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        SIGN_IN_PAGES
    )


def test_the_walk_finds_every_part_of_the_urlconf():
    names = {route.name for route in ROUTES}
    assert {"voucher-entry", "attachment-page", "api:receipt-pdf", "phone:app"} <= names
    assert any(route.is_admin for route in ROUTES)
    assert "/django-admin/sample" in {route.path for route in ROUTES}  # a regex
    assert "/voucher-entry/attachments/" + SAMPLES["uuid"] + "/pdf/" in {
        route.path for route in ROUTES
    }


def test_the_public_allowlists_name_only_existing_urls():
    names = {route.name for route in ROUTES}
    assert set(PUBLIC) - names == set()
    assert set(SIGNED_IN_PAGES) - names == set()


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_anonymous_callers_are_refused_everywhere_but_the_public_urls(method):
    wrong = []
    for route in ROUTES:
        client = APIClient() if route.is_api else Client()
        response = client.generic(method, route.path)
        if response.status_code >= 500:
            wrong.append((route.path, route.name, response.status_code))
        elif route.name in PUBLIC:
            continue
        elif not (
            response.status_code in (401, 403, 404, 405) or _goes_to_sign_in(response)
        ):
            wrong.append((route.path, route.name, response.status_code))
    assert wrong == [], _report(wrong)


def test_an_htmx_request_after_the_session_expired_sends_the_whole_page_to_sign_in():
    """The panel's poll without a session: no 302 that htmx would follow and paste
    into the panel, but HX-Redirect to the sign-in page, back to the page shown."""
    response = Client().get(
        reverse("attachments-panel") + "?show=all",
        headers={
            "HX-Request": "true",
            "HX-Current-URL": "http://testserver/voucher-entry/?show=linked&q=Taxi",
        },
    )

    assert response.status_code == 200
    assert response.content == b""
    assert response["HX-Redirect"] == (
        reverse("login") + "?next=/voucher-entry/%3Fshow%3Dlinked%26q%3DTaxi"
    )
    assert "Location" not in response


@pytest.mark.parametrize(
    "current_url",
    [
        "",
        "https://evil.example.com/steal/",
        "javascript:alert(1)",
        "//evil.example.com/",
    ],
)
def test_an_htmx_redirect_to_sign_in_never_returns_to_another_site(current_url):
    response = Client().get(
        reverse("attachments-panel"),
        headers={"HX-Request": "true", "HX-Current-URL": current_url},
    )

    assert response["HX-Redirect"] == reverse("login") + "?next=/"


def test_every_page_sends_an_anonymous_htmx_request_to_sign_in_with_hx_redirect():
    wrong = []
    for route in ROUTES:
        if route.is_api or route.is_admin or route.name in PUBLIC:
            continue
        response = Client().get(route.path, headers={"HX-Request": "true"})
        if response.status_code in (404, 405):
            continue
        if not response.get("HX-Redirect", "").startswith(reverse("login")):
            wrong.append((route.path, route.name, response.status_code))
    assert wrong == [], _report(wrong)


def _open_to_signed_in(route: Route, method: str) -> bool:
    if route.name in PUBLIC or route.name in SIGNED_IN_PAGES:
        return True
    rules = route.access_rules
    return bool(rules) and rules.get(method) == SIGNED_IN


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_user_without_scanner_functions_is_refused_the_scanner_pages(
    method, plain_user
):
    client = Client()
    client.force_login(plain_user)
    wrong = []
    for route in ROUTES:
        if route.is_api or _open_to_signed_in(route, method):
            continue
        response = client.generic(method, route.path)
        if route.is_admin:  # not staff: the admin's sign-in page (logout: its index)
            refused = response.status_code == 404 or (
                response.status_code == 302
                and response["Location"].startswith("/django-admin/")
                and response["Location"] != route.path
            )
        else:
            refused = response.status_code in (403, 404, 405)
        if not refused:
            wrong.append(
                (route.path, route.name, response.status_code, response.get("Location"))
            )
    assert wrong == [], _report(wrong)


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_a_phone_token_without_scanner_functions_is_refused_the_api(method, plain_user):
    _instance, token = AuthToken.objects.create(plain_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    wrong = []
    for route in ROUTES:
        if not route.is_api or route.name in PUBLIC:
            continue
        response = client.generic(method, route.path)
        if response.status_code not in (401, 403, 404, 405):
            wrong.append((route.path, route.name, response.status_code))
    assert wrong == [], _report(wrong)


def test_every_page_refuses_a_post_without_a_csrf_token(superuser):
    """Session-signed pages need the token; the API uses phone tokens, no cookies."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    wrong = []
    for route in ROUTES:
        if route.is_api:
            continue
        response = client.post(route.path, {"next": "/"})
        if response.status_code != 403 or b"CSRF" not in response.content:
            wrong.append((route.path, route.name, response.status_code))
    assert wrong == [], _report(wrong)


def test_the_api_accepts_no_session_cookie(superuser):
    """A signed-in browser cannot be made to call the API (no CSRF needed there)."""
    client = APIClient()
    client.force_login(superuser)

    response = client.get(reverse("api:receipt-list"))

    assert response.status_code == 401


def test_a_new_view_without_a_check_would_be_found():
    """The walk sees a view added to the URLconf, and the test above refuses it."""
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    from mamut import urls

    def unchecked(request):
        return HttpResponse("secret")

    extra = path("unchecked-" + uuid.uuid4().hex + "/", unchecked, name="unchecked")
    urls.urlpatterns.append(extra)
    clear_url_caches()
    try:
        found = [route for route in routes() if route.name == "unchecked"]
        assert len(found) == 1
        client = Client()
        client.force_login(User.objects.create_user("x@example.com", "x"))
        assert not _open_to_signed_in(found[0], "GET")
        # A signed-in user without functions gets the page: the test above fails.
        assert client.get(found[0].path).status_code == 200
    finally:
        urls.urlpatterns.remove(extra)
        clear_url_caches()
