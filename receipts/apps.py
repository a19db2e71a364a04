from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    name = "receipts"
    verbose_name = _("Receipts")

    def ready(self) -> None:
        # Registers the OpenAPI description of the phone token.
        from receipts import authentication  # noqa: F401
