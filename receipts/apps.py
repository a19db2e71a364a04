from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    name = "receipts"
    verbose_name = _("Receipts")

    def ready(self) -> None:
        # The OpenAPI description of the phone token; a new password signs the
        # user's phones out.
        from receipts import authentication, signals  # noqa: F401
