"""Integrations of the business software with outside services.

One ``Integration`` row per kind; Visma Mobile Scanner is the only kind so far. Its
states and the only transitions between them (``integrations.services``)::

    inactive --activate (terms of the current version accepted)--> active
    active   --deactivate-------------------------------------------> inactive

Activating an active integration, or deactivating an inactive one, changes nothing.
Every transition appends an ``IntegrationEvent``; an activation also appends the
``TermsAcceptance`` it was made with. Both are append-only: rows are never updated or
deleted (the model refuses it, and on PostgreSQL a trigger does too). Deactivation
keeps everything else (mobile users, received documents), so a reactivation continues
where the company left off.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        raise TypeError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or removed."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only")


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
    terms_acceptance = models.ForeignKey(
        "TermsAcceptance",
        verbose_name=_("accepted terms"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The acceptance the current activation was made with."),
    )

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    is_active=True,
                    activated_at__isnull=False,
                    activated_by__isnull=False,
                    terms_acceptance__isnull=False,
                )
                | models.Q(
                    is_active=False,
                    activated_at__isnull=True,
                    activated_by__isnull=True,
                    terms_acceptance__isnull=True,
                ),
                name="integrations_integration_active_has_acceptance",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class TermsAcceptance(AppendOnlyModel):
    """Who accepted which terms version, as which text, when and from where."""

    integration = models.ForeignKey(
        Integration,
        verbose_name=_("integration"),
        on_delete=models.PROTECT,
        related_name="terms_acceptances",
    )
    terms_version = models.PositiveIntegerField(_("terms version"))
    language = models.CharField(_("language"), max_length=8)
    text_sha256 = models.CharField(_("SHA-256 of the text shown"), max_length=64)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")

    def __str__(self) -> str:
        return f"{self.integration} v{self.terms_version} ({self.accepted_by})"


class IntegrationEvent(AppendOnlyModel):
    """One activation or deactivation: the audit history of an integration."""

    class Action(models.TextChoices):
        ACTIVATED = "activated", _("Activated")
        DEACTIVATED = "deactivated", _("Deactivated")

    integration = models.ForeignKey(
        Integration,
        verbose_name=_("integration"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("when"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    terms_acceptance = models.OneToOneField(
        TermsAcceptance,
        verbose_name=_("accepted terms"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event",
    )

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("integration event")
        verbose_name_plural = _("integration events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action="activated", terms_acceptance__isnull=False)
                | models.Q(action="deactivated", terms_acceptance__isnull=True),
                name="integrations_event_activation_has_acceptance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.integration}: {self.get_action_display()} ({self.actor})"
