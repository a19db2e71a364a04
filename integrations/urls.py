from django.urls import path

from integrations import views

urlpatterns = [
    path("", views.integration_settings, name="integration-settings"),
    path("mobile-scanner/", views.scanner_wizard, name="scanner-wizard"),
    path(
        "mobile-scanner/information/",
        views.scanner_wizard_information,
        name="scanner-wizard-information",
    ),
    path(
        "mobile-scanner/finish/",
        views.scanner_wizard_finish,
        name="scanner-wizard-finish",
    ),
    path(
        "mobile-scanner/cancel/",
        views.scanner_wizard_cancel,
        name="scanner-wizard-cancel",
    ),
    path(
        "mobile-scanner/deactivate/",
        views.scanner_deactivate,
        name="scanner-deactivate",
    ),
]
