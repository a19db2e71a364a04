"""The voucher entry window ("Inboeken").

For now only its toolbar: "Nieuw", "Opslaan" and "Vernieuwen" are shown but not
available yet, and "Visma Mobile Scanner activeren" is offered while the service is
inactive to a user who may activate it.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from integrations.selectors import scanner_activation_offered


@require_GET
def voucher_entry(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "vouchers/voucher_entry.html",
        {"offer_scanner_activation": scanner_activation_offered(user=request.user)},
    )
