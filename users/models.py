"""The company, its employees, the users who sign in with their e-mail address, their
access profiles, their registrations as mobile users and the audit trail of both.

A user is linked to at most one employee and an employee to at most one user: the
one-to-one field enforces both in the database.

Mobile registration, per user::

    (none) --register--> registered --deactivate--> deactivated (history)
                              ^                           |
                              +-------- register ---------+

A new registration is a new row, so history is kept; the database allows one active row
(``deactivated_at`` empty) per user.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group, PermissionsMixin
from django.contrib.auth.models import BaseUserManager as DjangoBaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScannerFunction(models.Model):
    """Carries the Visma Mobile Scanner functions that access profiles grant.

    No table and no rows: only its permissions, so that access profiles are plain Django
    groups. Check them as ``user.has_perm(ScannerFunction.USE)``; a superuser has all.
    """

    USE = "users.use_mobile_scanner"
    VIEW_ATTACHMENTS = "users.view_scanner_attachments"
    LINK_ATTACHMENTS = "users.link_scanner_attachments"
    REGISTER_MOBILE_USERS = "users.register_mobile_users"
    MANAGE_INTEGRATIONS = "users.manage_integrations"

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("use_mobile_scanner", "Access to Visma Mobile Scanner"),
            ("view_scanner_attachments", "View attachments from Visma Mobile Scanner"),
            ("link_scanner_attachments", "Link and delete attachments"),
            ("register_mobile_users", "Register mobile users"),
            ("manage_integrations", "Manage integrations"),
        ]

    def __str__(self) -> str:
        return "Visma Mobile Scanner"


# The five functions in the order PRODUCT.md lists them, with the label shown on screen
# (the English text equals the permission's name in the database) and what it allows.
SCANNER_FUNCTIONS: list[tuple[str, str, str]] = [
    (
        ScannerFunction.USE,
        _("Access to Visma Mobile Scanner"),
        _("Sign in from the app and upload."),
    ),
    (
        ScannerFunction.VIEW_ATTACHMENTS,
        _("View attachments from Visma Mobile Scanner"),
        _("See the received documents."),
    ),
    (
        ScannerFunction.LINK_ATTACHMENTS,
        _("Link and delete attachments"),
        _("Link, unlink and delete received documents."),
    ),
    (
        ScannerFunction.REGISTER_MOBILE_USERS,
        _("Register mobile users"),
        _("Register and deactivate other users as mobile users."),
    ),
    (
        ScannerFunction.MANAGE_INTEGRATIONS,
        _("Manage integrations"),
        _("Activate and deactivate the service."),
    ),
]


# Bookkeeping functions an access profile grants besides the scanner's: the
# permission (on vouchers.Voucher), its label on screen and what it allows.
ENTER_VOUCHERS = "vouchers.enter_vouchers"
BOOKKEEPING_FUNCTIONS: list[tuple[str, str, str]] = [
    (
        ENTER_VOUCHERS,
        _("Enter vouchers"),
        _("Create and change vouchers in the voucher entry window."),
    ),
]
# Every function of an access profile, as the profile pages show them.
PROFILE_FUNCTIONS = [*BOOKKEEPING_FUNCTIONS, *SCANNER_FUNCTIONS]


class CompanyManager(models.Manager["Company"]):
    def current(self) -> "Company":
        """The company this installation administers (one per installation)."""
        company = self.order_by("pk").first()
        if company is None:
            company = self.create(name=_("My company"))
        return company


class Company(models.Model):
    name = models.CharField(_("company name"), max_length=200)

    objects = CompanyManager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"


class UserManager(DjangoBaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """E-mail addresses are compared without regard to case."""
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=self.normalize_email(username))

    def create_user(
        self, email: str, password: str | None = None, **extra_fields
    ) -> "User":
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    employee = models.OneToOneField(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="users_user_email_case_insensitive_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class AccessProfile(models.Model):
    """An access profile: a Django group plus whether it is one of the system profiles.

    The functions a profile grants are the group's permissions. System profiles are
    seeded by a migration and cannot be edited; custom ones ("Aangepast
    toegangsprofiel") are created and edited by the superuser. A user has at most one
    profile.
    """

    class SystemKey(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator")
        BOOKKEEPER = "bookkeeper", _("Bookkeeper")
        EMPLOYEE = "employee", _("Employee")

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, primary_key=True, related_name="access_profile"
    )
    system_key = models.CharField(
        _("system profile"),
        max_length=20,
        choices=SystemKey.choices,
        blank=True,
        default="",
        help_text=_("Empty for a custom profile."),
    )

    class Meta:
        ordering = ["group__name"]
        verbose_name = _("access profile")
        verbose_name_plural = _("access profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["system_key"],
                condition=~models.Q(system_key=""),
                name="users_accessprofile_one_per_system_key",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def is_system(self) -> bool:
        return bool(self.system_key)

    @property
    def label(self) -> str:
        """The name on screen: system profiles in the user's language."""
        if self.is_system:
            return self.get_system_key_display()
        return self.group.name


# The group names the data migration gives the system profiles, and their label.
SYSTEM_PROFILE_NAMES = {
    "Beheerder": AccessProfile.SystemKey.ADMINISTRATOR,
    "Boekhouder": AccessProfile.SystemKey.BOOKKEEPER,
    "Medewerker": AccessProfile.SystemKey.EMPLOYEE,
}


def profile_name_display(name: str) -> str:
    """A profile's stored name as the screen shows it: a system profile's name (as
    audit events keep it) in the user's language, any other name as it is."""
    key = SYSTEM_PROFILE_NAMES.get(name)
    return str(key.label) if key else name


def system_keys_matching(word: str) -> list[str]:
    """The system profiles whose name on screen contains ``word`` (any case)."""
    word = word.casefold()
    return [
        key.value
        for key in AccessProfile.SystemKey
        if word in str(key.label).casefold()
    ]


class MobileRegistration(models.Model):
    """One period in which a user was registered as a Visma Mobile Scanner user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mobile_registrations",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deactivated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("mobile registration")
        verbose_name_plural = _("mobile registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(deactivated_at__isnull=True),
                name="users_mobileregistration_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.registered_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Append-only: rows are added, never changed or removed through the ORM."""

    def update(self, **kwargs) -> int:
        raise TypeError("Audit events cannot be changed.")

    def delete(self):
        raise TypeError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what to whom, and when: every grant, revoke, registration and
    deactivation. The e-mail addresses are kept as text so that the record still says
    who it was after a user is deleted."""

    class Action(models.TextChoices):
        PROFILE_ASSIGNED = "profile_assigned", _("Access profile assigned")
        PROFILE_REMOVED = "profile_removed", _("Access profile removed")
        PROFILE_CREATED = "profile_created", _("Access profile created")
        PROFILE_DELETED = "profile_deleted", _("Access profile deleted")
        FUNCTION_GRANTED = "function_granted", _("Function granted")
        FUNCTION_REVOKED = "function_revoked", _("Function revoked")
        MOBILE_REGISTERED = "mobile_registered", _("Registered as mobile user")
        MOBILE_DEACTIVATED = "mobile_deactivated", _("Deactivated as mobile user")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    actor_email = models.CharField(_("who (e-mail)"), max_length=254)
    action = models.CharField(_("what"), max_length=40, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whom"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_email = models.CharField(_("whom (e-mail)"), max_length=254, blank=True)
    profile_name = models.CharField(_("access profile"), max_length=150, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        whom = self.user_email or self.profile_name
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_email} {self.action} {whom}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events cannot be deleted.")

    @property
    def profile_label(self) -> str:
        """The profile's name in the user's language (system profiles translated)."""
        return profile_name_display(self.profile_name)
