"""The company, its employees and the users who sign in with their e-mail address.

A user is linked to at most one employee and an employee to at most one user: the
one-to-one field enforces both in the database.
"""

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
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
