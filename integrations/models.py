"""Integrations of the business software with outside services.

One record per kind of integration; Visma Mobile Scanner is the only kind so far.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Integration(models.Model):
    class Kind(models.TextChoices):
        MOBILE_SCANNER = "mobile_scanner", "Visma Mobile Scanner"

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices, unique=True)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("activated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return self.get_kind_display()
