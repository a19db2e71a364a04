from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from users.models import Company


@require_GET
def company_settings(request: HttpRequest) -> HttpResponse:
    """Beheer → Instellingen → Administratie: the company's tabbed settings page."""
    return render(
        request,
        "users/company_settings.html",
        {"company": Company.objects.current(), "active_tab": "general"},
    )


@require_GET
def user_settings(request: HttpRequest) -> HttpResponse:
    """Beheer → Instellingen → Gebruiker: the signed-in user's own tabbed page."""
    return render(request, "users/user_settings.html", {"active_tab": "general"})
