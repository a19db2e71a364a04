"""Every non-trivial read of the users app."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, When
from django.utils.translation import gettext_lazy as _

from integrations.models import Integration
from integrations.selectors import scanner_is_active
from users.models import (
    BOOKKEEPING_FUNCTIONS,
    PROFILE_FUNCTIONS,
    SCANNER_FUNCTIONS,
    AccessProfile,
    AuditEvent,
    Employee,
    MobileRegistration,
    ScannerFunction,
    User,
    system_keys_matching,
)


@dataclass(frozen=True)
class Problem:
    """A precondition that is not met: a code for tests and clients, a message that
    says how to fix it."""

    code: str
    message: str


# code: (message when an administrator registers someone, message for oneself)
_PROBLEMS = {
    "service_inactive": (
        _(
            "The Visma Mobile Scanner service is not active. Activate it under "
            "Administration → Settings → Company → Integration."
        ),
        _(
            "The Visma Mobile Scanner service is not active. Ask your administrator "
            "to activate it under Administration → Settings → Company → Integration."
        ),
    ),
    "no_employee": (
        _(
            "The user is not linked to an employee. Choose an employee under "
            '"Employee" (or "Register employee" to create one) and click "Save".'
        ),
        _(
            "You are not linked to an employee. Ask your administrator to link you "
            "to one under Administration → Settings → Security → User administration."
        ),
    ),
    "invalid_email": (
        _(
            'The user has no valid email address. Enter one under "Email address" '
            'and click "Save".'
        ),
        _(
            "Your account has no valid email address. Ask your administrator to "
            "enter one under Administration → Settings → Security → User "
            "administration."
        ),
    ),
    "no_password": (
        _('The user has no password. Enter one under "Password" and click "Save".'),
        _(
            "Your account has no password. Ask your administrator to set one under "
            "Administration → Settings → Security → User administration."
        ),
    ),
    "account_inactive": (
        _('The user\'s account is not active. Tick "Active" and click "Save".'),
        _("Your account is not active. Ask your administrator to activate it."),
    ),
    "no_scanner_access": (
        _(
            "The user's access profile does not include \"Access to Visma Mobile "
            'Scanner". The superuser chooses a profile that does under "Access '
            'profile" and clicks "Save".'
        ),
        _(
            'Your access profile does not include "Access to Visma Mobile Scanner". '
            "Ask the superuser for an access profile that does."
        ),
    ),
}


def scanner_function_choices() -> list[tuple[str, str, str]]:
    """(permission, label, description) of the five scanner functions, in order."""
    return SCANNER_FUNCTIONS


def profile_function_groups() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The functions of an access profile under their headings, as the profile's
    form shows them: bookkeeping, then Visma Mobile Scanner."""
    return [
        (_("Bookkeeping"), BOOKKEEPING_FUNCTIONS),
        ("Visma Mobile Scanner", SCANNER_FUNCTIONS),
    ]


def profile_function_choices() -> list[tuple[str, str, str]]:
    """(permission, label, description) of every function an access profile grants:
    "Enter vouchers", then the five scanner functions."""
    return PROFILE_FUNCTIONS


def user_has_function(user: User, function: str) -> bool:
    """Whether the user's profile grants ``function``, whether or not the account is
    active (``has_perm`` answers no for every inactive account)."""
    if user.is_superuser:
        return True
    app_label, codename = function.split(".", 1)
    permission = Q(
        permissions__codename=codename, permissions__content_type__app_label=app_label
    )
    return (
        user.groups.filter(permission).exists()
        or user.user_permissions.filter(
            codename=codename, content_type__app_label=app_label
        ).exists()
    )


def user_access_profile(user: User) -> AccessProfile | None:
    """The user's access profile (a user has at most one)."""
    return (
        AccessProfile.objects.select_related("group")
        .filter(group__user=user)
        .order_by("group__name")
        .first()
    )


@dataclass(frozen=True)
class ScannerAccess:
    """What the phone API checks on every call, read in one statement."""

    service_active: bool
    registered: bool
    may_use: bool  # as user.has_perm(ScannerFunction.USE) answers


def scanner_access(user: User) -> ScannerAccess:
    """Whether the service is active, the user has an active mobile registration and
    the user's profile grants the scanner: one statement instead of four.

    The phone API asks this on every request. Built with the ORM (four ``Exists``
    annotations) the statement cost more CPU to compile than PostgreSQL took to run
    it, so it is plain SQL (README, Performance).
    """
    app_label, codename = ScannerFunction.USE.split(".", 1)
    with connection.cursor() as cursor:
        cursor.execute(
            _SCANNER_ACCESS_SQL,
            {
                "user": user.pk,
                "kind": Integration.Kind.MOBILE_SCANNER.value,
                "codename": codename,
                "app_label": app_label,
            },
        )
        row = cursor.fetchone()
    if row is None:  # the user is gone: nothing is allowed
        return ScannerAccess(
            service_active=scanner_is_active(), registered=False, may_use=False
        )
    is_active, is_superuser, active, registered, direct, by_group = map(bool, row)
    return ScannerAccess(
        service_active=active,
        registered=registered,
        # As has_perm: nothing for an inactive account, everything for a superuser.
        may_use=is_active and (is_superuser or direct or by_group),
    )


# The permission by app label and codename, as ModelBackend looks it up; the tables
# are those of users.User, its many-to-many tables and django.contrib.auth's.
_SCANNER_ACCESS_SQL = """
SELECT u.is_active, u.is_superuser,
    EXISTS(SELECT 1 FROM integrations_integration i
           WHERE i.kind = %(kind)s AND i.is_active),
    EXISTS(SELECT 1 FROM users_mobileregistration r
           WHERE r.user_id = u.id AND r.deactivated_at IS NULL),
    EXISTS(SELECT 1 FROM users_user_user_permissions up
           JOIN auth_permission p ON p.id = up.permission_id
           JOIN django_content_type ct ON ct.id = p.content_type_id
           WHERE up.user_id = u.id
             AND p.codename = %(codename)s AND ct.app_label = %(app_label)s),
    EXISTS(SELECT 1 FROM users_user_groups ug
           JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
           JOIN auth_permission p ON p.id = gp.permission_id
           JOIN django_content_type ct ON ct.id = p.content_type_id
           WHERE ug.user_id = u.id
             AND p.codename = %(codename)s AND ct.app_label = %(app_label)s)
FROM users_user u
WHERE u.id = %(user)s
"""


def mobile_registration_active(user: User) -> MobileRegistration | None:
    return user.mobile_registrations.filter(deactivated_at__isnull=True).first()


def mobile_registration_problems(*, user: User, for_self: bool) -> list[Problem]:
    """Every precondition for registering ``user`` as a mobile user that is not met,
    each with a message that says how to fix it (worded for the user himself when
    ``for_self``)."""
    failed = []
    if not scanner_is_active():
        failed.append("service_inactive")
    if user.employee_id is None:
        failed.append("no_employee")
    try:
        validate_email(user.email)
    except ValidationError:
        failed.append("invalid_email")
    if not user.has_usable_password():
        failed.append("no_password")
    if not user.is_active:
        failed.append("account_inactive")
    if not user_has_function(user, ScannerFunction.USE):
        failed.append("no_scanner_access")
    return [Problem(code, str(_PROBLEMS[code][int(for_self)])) for code in failed]


def user_list(*, search: str = "") -> QuerySet[User]:
    """The users for the user administration, with their employee, access profile
    and the start of their active mobile registration (``mobile_since``)."""
    active_registration = MobileRegistration.objects.filter(
        user=OuterRef("pk"), deactivated_at__isnull=True
    ).values("registered_at")[:1]
    users = (
        User.objects.select_related("employee")
        .prefetch_related("groups__access_profile")
        .annotate(mobile_since=Subquery(active_registration))
        .order_by("email")
    )
    for word in search.split():
        users = users.filter(
            Q(email__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(employee__name__icontains=word)
            | Q(employee__employee_number__icontains=word)
            | Q(groups__name__icontains=word)
            | Q(groups__access_profile__system_key__in=system_keys_matching(word))
        ).distinct()
    return users


def employees_linkable(*, user: User | None = None) -> QuerySet[Employee]:
    """Employees not linked to a user, plus ``user``'s own employee."""
    free = Q(user__isnull=True)
    if user is not None and user.employee_id is not None:
        free |= Q(pk=user.employee_id)
    return Employee.objects.filter(free).order_by("name")


def employee_next_number() -> str:
    """A free employee number in the demo's style: E001, E002, …"""
    taken = set(Employee.objects.values_list("employee_number", flat=True))
    number = len(taken) + 1
    while f"E{number:03d}" in taken:
        number += 1
    return f"E{number:03d}"


def access_profile_list() -> QuerySet[AccessProfile]:
    """System profiles first, then the custom ones, each with its functions and how
    many users have it (``user_count``)."""
    return (
        AccessProfile.objects.select_related("group")
        .annotate(user_count=Count("group__user", distinct=True))
        .prefetch_related("group__permissions__content_type")
        .annotate(is_custom=Case(When(system_key="", then=1), default=0))
        .order_by("is_custom", "group__name")
    )


def access_profile_functions(profile: AccessProfile) -> set[str]:
    """The functions the profile grants, as ``app_label.codename``."""
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in profile.group.permissions.all()
    }


def audit_events_for_user(user: User, *, limit: int = 20) -> QuerySet[AuditEvent]:
    """The latest audit events about ``user``, newest first."""
    return AuditEvent.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]
