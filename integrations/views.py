"""The Integratie tab and the Visma Mobile Scanner wizard, in the browser.

Every view needs "Integraties beheren" (403 otherwise), except the tab itself, which
shows the status to anyone who may open the company settings. State changes only by
POST; the rules are in ``wizard`` and ``services``.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrations import services, wizard
from integrations.models import Integration
from integrations.selectors import (
    integration_get,
    integration_history,
    integrations_may_manage,
)
from integrations.terms import terms_html
from mamut.errors import ApplicationError
from mamut.http import client_ip
from phone.links import phone_app_path

SCANNER = Integration.Kind.MOBILE_SCANNER
HISTORY_SHOWN = 100


def manage_integrations_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not integrations_may_manage(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _next_url(request: HttpRequest) -> str:
    """Where the wizard returns to: a ``next`` on this site, else the Integratie tab."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("integration-settings")


def _redirect(name: str, next_url: str) -> HttpResponseRedirect:
    url = reverse(name)
    if next_url != reverse("integration-settings"):
        url += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(url)


def _client_ip(request: HttpRequest) -> str | None:
    return client_ip(request) or None


@require_GET
def integration_settings(request: HttpRequest) -> HttpResponse:
    """Beheer → Instellingen → Administratie → tab Integratie."""
    return render(
        request,
        "integrations/integration_settings.html",
        {
            "active_tab": "integration",
            "integration": integration_get(kind=SCANNER),
            "history": integration_history(kind=SCANNER)[:HISTORY_SHOWN],
            "may_manage": integrations_may_manage(user=request.user),
        },
    )


@manage_integrations_required
@require_http_methods(["GET", "POST"])
def scanner_wizard(request: HttpRequest) -> HttpResponse:
    """The "Visma Mobile Scanner" button: step 1 (terms), or deactivation if active."""
    next_url = _next_url(request)
    integration = integration_get(kind=SCANNER)
    if integration and integration.is_active:
        if request.method == "POST":
            return _redirect("scanner-wizard", next_url)
        return render(
            request, "integrations/scanner_deactivate.html", {"next_url": next_url}
        )

    error = None
    if request.method == "POST":
        try:
            wizard.wizard_accept_terms(
                session=request.session,
                user=request.user,
                kind=SCANNER,
                token=request.POST.get("wizard", ""),
                accepted=request.POST.get("accept") == "on",
            )
        except ApplicationError as refusal:
            if refusal.code != "terms_not_accepted":
                messages.error(request, refusal.message)
                return _redirect("scanner-wizard", next_url)
            error = refusal.message
        else:
            return _redirect("scanner-wizard-information", next_url)

    state = wizard.wizard_open(
        session=request.session,
        user=request.user,
        kind=SCANNER,
        language=get_language(),
    )
    return render(
        request,
        "integrations/scanner_terms.html",
        {
            "state": state,
            "terms_html": terms_html(state.terms),
            "error": error,
            "next_url": next_url,
        },
        status=400 if error else 200,
    )


@manage_integrations_required
@require_GET
def scanner_wizard_information(request: HttpRequest) -> HttpResponse:
    """Step 2: what the service does; "Voltooien" posts to the finish step."""
    next_url = _next_url(request)
    integration = integration_get(kind=SCANNER)
    if integration and integration.is_active:
        messages.info(request, _("Visma Mobile Scanner is already active."))
        return HttpResponseRedirect(next_url)
    try:
        state = wizard.wizard_accepted(
            session=request.session, user=request.user, kind=SCANNER
        )
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
        return _redirect("scanner-wizard", next_url)
    return render(
        request,
        "integrations/scanner_information.html",
        {"state": state, "next_url": next_url},
    )


@manage_integrations_required
@require_POST
def scanner_wizard_finish(request: HttpRequest) -> HttpResponse:
    """ "Voltooien": activate with the accepted terms, once."""
    next_url = _next_url(request)
    try:
        terms = wizard.wizard_finish(
            session=request.session,
            user=request.user,
            kind=SCANNER,
            token=request.POST.get("wizard", ""),
        )
        services.scanner_activate(
            actor=request.user,
            terms_version=terms.version,
            terms_language=terms.language,
            terms_sha256=terms.sha256,
            ip_address=_client_ip(request),
        )
    except ApplicationError as refusal:
        integration = integration_get(kind=SCANNER)
        if integration and integration.is_active:
            # A second click on "Voltooien" after the first one activated.
            messages.info(request, _("Visma Mobile Scanner is already active."))
            return HttpResponseRedirect(next_url)
        messages.error(request, refusal.message)
        return _redirect("scanner-wizard", next_url)
    messages.success(
        request,
        _(
            "Visma Mobile Scanner is activated. Register each user as a mobile user; "
            "on the phone the app opens at %(url)s."
        )
        % {"url": request.build_absolute_uri(phone_app_path())},
    )
    return HttpResponseRedirect(next_url)


@manage_integrations_required
@require_POST
def scanner_wizard_cancel(request: HttpRequest) -> HttpResponse:
    """ "Annuleren": leave the wizard or the confirmation without changing anything."""
    wizard.wizard_cancel(session=request.session, kind=SCANNER)
    return HttpResponseRedirect(_next_url(request))


@manage_integrations_required
@require_POST
def scanner_deactivate(request: HttpRequest) -> HttpResponse:
    """ "Bevestigen" on the deactivation question."""
    services.scanner_deactivate(actor=request.user, ip_address=_client_ip(request))
    messages.success(request, _("The Visma Mobile Scanner service is deactivated."))
    return HttpResponseRedirect(_next_url(request))
