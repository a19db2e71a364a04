"""Every write of the users app, and with it every rule about users, employees, access
profiles and mobile registration.

Services raise ``ApplicationError``; ``fields`` maps form field names to messages where
the fault lies in one field. Only the superuser changes users and profiles; registering
someone else as a mobile user needs "Register mobile users"; anybody may register or
deactivate himself when the preconditions are met.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import status

from mamut.errors import ApplicationError
from users.models import (
    PROFILE_FUNCTIONS,
    AccessProfile,
    AuditEvent,
    Company,
    Employee,
    MobileRegistration,
    ScannerFunction,
    User,
)
from users.selectors import (
    Problem,
    access_profile_functions,
    employee_next_number,
    mobile_registration_active,
    mobile_registration_problems,
    user_access_profile,
)

DEMO_COMPANY_NAME = "Bakkerij De Korenbloem B.V."
DEMO_EMPLOYEES = [
    ("E001", "Anna de Vries", "anna@example.com", "06-12345001"),
    ("E002", "Bram Jansen", "bram@example.com", "06-12345002"),
    ("E003", "Chantal Bakker", "chantal@example.com", "06-12345003"),
    ("E004", "Daan Visser", "daan@example.com", "06-12345004"),
    ("E005", "Eva Smit", "eva@example.com", "06-12345005"),
]


@transaction.atomic
def demo_company_seed(*, admin_email: str, admin_password: str) -> bool:
    """Create the demo company, five employees and the superuser, once.

    Returns whether anything was created; running it again keeps existing data.
    """
    created = False
    if not Company.objects.exists():
        Company.objects.create(name=DEMO_COMPANY_NAME)
        created = True
    if not Employee.objects.exists():
        Employee.objects.bulk_create(
            Employee(employee_number=number, name=name, email=email, phone=phone)
            for number, name, email, phone in DEMO_EMPLOYEES
        )
        created = True
    if not User.objects.filter(email__iexact=admin_email).exists():
        User.objects.create_superuser(
            admin_email, admin_password, first_name="Admin", last_name="Beheerder"
        )
        created = True
    return created


# --- Errors and audit -----------------------------------------------------------------


class MobileRegistrationRefused(ApplicationError):
    """Registration refused because preconditions are not met; ``problems`` lists
    each of them with the message that says how to fix it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            " ".join(problem.message for problem in problems),
            code="registration_preconditions_not_met",
            status_code=status.HTTP_409_CONFLICT,
            fields={"preconditions": [problem.message for problem in problems]},
        )
        self.problems = problems


def _forbidden(message: str) -> ApplicationError:
    return ApplicationError(
        message, code="permission_denied", status_code=status.HTTP_403_FORBIDDEN
    )


def _require_superuser(actor: User) -> None:
    if not (actor.is_active and actor.is_superuser):
        raise _forbidden(_("Only the superuser can do this."))


def _audit(
    *,
    actor: User,
    action: str,
    user: User | None = None,
    profile: AccessProfile | None = None,
    detail: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=actor.email,
        action=action,
        user=user,
        user_email=user.email if user else "",
        profile_name=profile.group.name if profile else "",
        detail=detail,
    )


# --- Employees and users --------------------------------------------------------------


@dataclass(frozen=True)
class NewEmployee:
    """An employee registered from the user's edit page ("Medewerker registreren")."""

    name: str
    employee_number: str = ""
    phone: str = ""


def _employee_errors(new_employee: NewEmployee) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not new_employee.name.strip():
        errors["employee_name"] = [_("Enter the name of the new employee.")]
    number = new_employee.employee_number.strip()
    if number and Employee.objects.filter(employee_number__iexact=number).exists():
        errors["employee_number"] = [
            _("Another employee already has this employee number.")
        ]
    return errors


def employee_create(
    *, name: str, employee_number: str = "", email: str = "", phone: str = ""
) -> Employee:
    """Create an employee; without a number it gets the next free one (E006, …)."""
    errors = _employee_errors(NewEmployee(name, employee_number, phone))
    if errors:
        raise ApplicationError(
            _("Some fields are not valid."), code="invalid", fields=errors
        )
    return Employee.objects.create(
        name=name.strip(),
        employee_number=employee_number.strip() or employee_next_number(),
        email=email,
        phone=phone.strip(),
    )


def _password_message(error: ValidationError) -> str:
    # Django 5.2's Dutch catalogue lacks this message since its text changed.
    if error.code == "password_too_short":
        length = (error.params or {}).get("min_length", 8)
        return ngettext(
            "This password is too short. It must contain at least %(count)d character.",
            "This password is too short. It must contain at least %(count)d "
            "characters.",
            length,
        ) % {"count": length}
    return " ".join(error.messages)


@transaction.atomic
def user_save(
    *,
    actor: User,
    user: User | None,
    email: str,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
    employee: Employee | None = None,
    new_employee: NewEmployee | None = None,
    access_profile: AccessProfile | None = None,
    is_active: bool = True,
) -> User:
    """Create (``user`` None) or change a user, as on the user's edit page.

    Rules: only the superuser; a valid e-mail address no other user has (in any
    case); a password that passes Django's validators (empty keeps the current one,
    and a new user without one cannot sign in until it is set); the employee is not
    linked to another user, or ``new_employee`` is created and linked; nobody changes
    his own access profile or deactivates his own account; the superuser needs no
    profile. Deactivating an account also deactivates its mobile registration.
    """
    _require_superuser(actor)
    creating = user is None
    target = User() if creating else User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, list[str]] = {}

    email = User.objects.normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address, such as name@example.com.")]
    else:
        if User.objects.filter(email__iexact=email).exclude(pk=target.pk).exists():
            errors["email"] = [_("Another user already has this email address.")]

    target.email, target.first_name, target.last_name = email, first_name, last_name
    if password:
        try:
            validate_password(password, user=target)
        except ValidationError as error:
            errors["password"] = [_password_message(item) for item in error.error_list]

    if new_employee is not None:
        errors.update(_employee_errors(new_employee))
    elif employee is not None and employee.pk != target.employee_id:
        holder = User.objects.filter(employee=employee).first()
        if holder is not None:
            errors["employee"] = [
                _("This employee is already linked to the user %(email)s.")
                % {"email": holder.email}
            ]

    current_profile = None if creating else user_access_profile(target)
    changes_profile = (access_profile and access_profile.pk) != (
        current_profile and current_profile.pk
    )
    if changes_profile and target.pk == actor.pk:
        errors["access_profile"] = [_("Nobody can change his own access profile.")]
    elif access_profile is not None and target.is_superuser:
        errors["access_profile"] = [
            _("The superuser has every function and needs no access profile.")
        ]
    if not is_active and target.pk == actor.pk:
        errors["is_active"] = [_("You cannot deactivate your own account.")]

    if errors:
        raise ApplicationError(
            _("Some fields are not valid."), code="invalid", fields=errors
        )

    if new_employee is not None:
        employee = employee_create(
            name=new_employee.name,
            employee_number=new_employee.employee_number,
            email=email,
            phone=new_employee.phone,
        )
    target.employee = employee
    target.is_active = is_active
    if password:
        target.set_password(password)
    elif creating:
        target.set_unusable_password()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as error:
        raise ApplicationError(
            _("Another user was linked to this employee or took this email address."),
            code="conflict",
            status_code=status.HTTP_409_CONFLICT,
        ) from error

    if changes_profile:
        _access_profile_set(actor=actor, user=target, profile=access_profile)
    if not is_active and mobile_registration_active(target) is not None:
        mobile_user_deactivate(actor=actor, user=target)
    return target


def _access_profile_set(
    *, actor: User, user: User, profile: AccessProfile | None
) -> None:
    previous = user_access_profile(user)
    profile_groups = Group.objects.filter(access_profile__isnull=False)
    user.groups.remove(*profile_groups)
    if previous is not None:
        _audit(
            actor=actor,
            action=AuditEvent.Action.PROFILE_REMOVED,
            user=user,
            profile=previous,
        )
    if profile is not None:
        user.groups.add(profile.group)
        _audit(
            actor=actor,
            action=AuditEvent.Action.PROFILE_ASSIGNED,
            user=user,
            profile=profile,
        )


@transaction.atomic
def user_access_profile_assign(
    *, actor: User, user: User, profile: AccessProfile | None
) -> None:
    """Give ``user`` the access profile ``profile`` (None: no profile).

    Only the superuser assigns profiles, never to himself, and the superuser needs
    none. Each change is audited.
    """
    _require_superuser(actor)
    if user.pk == actor.pk:
        raise _forbidden(_("Nobody can change his own access profile."))
    if profile is not None and user.is_superuser:
        raise ApplicationError(
            _("The superuser has every function and needs no access profile."),
            code="superuser_needs_no_profile",
        )
    current = user_access_profile(user)
    if (current and current.pk) != (profile and profile.pk):
        _access_profile_set(actor=actor, user=user, profile=profile)


# --- Access profiles ------------------------------------------------------------------


def _profile_permissions(functions: set[str]) -> list[Permission]:
    """The permissions of ``functions`` (``PROFILE_FUNCTIONS`` values)."""
    known = {function for function, _label, _help in PROFILE_FUNCTIONS}
    unknown = functions - known
    if unknown:
        raise ApplicationError(
            _("Unknown function: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="unknown_function",
        )
    wanted = Q(pk__in=[])
    for function in functions:
        app_label, codename = function.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(wanted))


def _profile_name_errors(name: str, *, exclude: Group | None = None) -> list[str]:
    if not name.strip():
        return [_("Enter a name for the access profile.")]
    taken = Group.objects.filter(name__iexact=name.strip())
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        return [_("Another access profile already has this name.")]
    return []


def _audit_functions(
    *, actor: User, profile: AccessProfile, granted: set[str], revoked: set[str]
) -> None:
    for function in sorted(granted):
        _audit(
            actor=actor,
            action=AuditEvent.Action.FUNCTION_GRANTED,
            profile=profile,
            detail=function,
        )
    for function in sorted(revoked):
        _audit(
            actor=actor,
            action=AuditEvent.Action.FUNCTION_REVOKED,
            profile=profile,
            detail=function,
        )


@transaction.atomic
def access_profile_create(
    *, actor: User, name: str, functions: set[str]
) -> AccessProfile:
    """Create a custom access profile ("Aangepast toegangsprofiel") granting
    ``functions`` (``ScannerFunction`` permissions). Only the superuser."""
    _require_superuser(actor)
    errors = _profile_name_errors(name)
    if errors:
        raise ApplicationError(errors[0], code="invalid", fields={"name": errors})
    permissions = _profile_permissions(functions)
    group = Group.objects.create(name=name.strip())
    group.permissions.set(permissions)
    profile = AccessProfile.objects.create(group=group)
    _audit(actor=actor, action=AuditEvent.Action.PROFILE_CREATED, profile=profile)
    _audit_functions(actor=actor, profile=profile, granted=functions, revoked=set())
    return profile


@transaction.atomic
def access_profile_update(
    *, actor: User, profile: AccessProfile, name: str, functions: set[str]
) -> AccessProfile:
    """Rename a custom profile and set its functions; every function granted or
    revoked is audited. Only the superuser; system profiles cannot be edited."""
    _require_superuser(actor)
    if profile.is_system:
        raise _forbidden(
            _("System profiles cannot be edited. Copy it to make a custom profile.")
        )
    errors = _profile_name_errors(name, exclude=profile.group)
    if errors:
        raise ApplicationError(errors[0], code="invalid", fields={"name": errors})
    permissions = _profile_permissions(functions)
    before = access_profile_functions(profile)
    profile.group.name = name.strip()
    profile.group.save(update_fields=["name"])
    profile.group.permissions.set(permissions)
    _audit_functions(
        actor=actor,
        profile=profile,
        granted=functions - before,
        revoked=before - functions,
    )
    return profile


@transaction.atomic
def access_profile_delete(*, actor: User, profile: AccessProfile) -> None:
    """Delete a custom profile that no user has. Only the superuser."""
    _require_superuser(actor)
    if profile.is_system:
        raise _forbidden(_("System profiles cannot be deleted."))
    in_use = profile.group.user_set.count()
    if in_use:
        raise ApplicationError(
            ngettext(
                "%(count)s user has this access profile. Give that user another "
                "profile first.",
                "%(count)s users have this access profile. Give them another "
                "profile first.",
                in_use,
            )
            % {"count": in_use},
            code="profile_in_use",
            status_code=status.HTTP_409_CONFLICT,
        )
    _audit(actor=actor, action=AuditEvent.Action.PROFILE_DELETED, profile=profile)
    profile.group.delete()


# --- Mobile users ---------------------------------------------------------------------


def _require_may_register(actor: User, user: User) -> None:
    may_register_others = actor.has_perm(ScannerFunction.REGISTER_MOBILE_USERS)
    if actor.pk != user.pk and not may_register_others:
        raise _forbidden(
            _(
                'Registering other users needs the function "Register mobile users" '
                "in your access profile."
            )
        )


@transaction.atomic
def mobile_user_register(*, actor: User, user: User) -> MobileRegistration:
    """Register ``user`` as a Visma Mobile Scanner user, from then on able to sign in
    from the app with his e-mail address and password.

    ``actor`` is the user himself (Diensten tab) or someone with "Register mobile
    users". Raises ``MobileRegistrationRefused`` listing every unmet precondition
    (see ``mobile_registration_problems``).
    """
    _require_may_register(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if mobile_registration_active(user) is not None:
        raise ApplicationError(
            _("This user is already registered as a mobile user."),
            code="already_registered",
            status_code=status.HTTP_409_CONFLICT,
        )
    problems = mobile_registration_problems(user=user, for_self=actor.pk == user.pk)
    if problems:
        raise MobileRegistrationRefused(problems)
    registration = MobileRegistration.objects.create(user=user, registered_by=actor)
    _audit(actor=actor, action=AuditEvent.Action.MOBILE_REGISTERED, user=user)
    return registration


@transaction.atomic
def mobile_user_deactivate(*, actor: User, user: User) -> MobileRegistration:
    """End ``user``'s mobile registration; the documents he sent stay where they are.

    Every phone token of ``user`` is revoked in the same transaction, so each phone's
    next API call answers 401.
    """
    from receipts.services import phone_tokens_revoke

    _require_may_register(actor, user)
    registration = (
        MobileRegistration.objects.select_for_update()
        .filter(user=user, deactivated_at__isnull=True)
        .first()
    )
    if registration is None:
        raise ApplicationError(
            _("This user is not registered as a mobile user."),
            code="not_registered",
            status_code=status.HTTP_409_CONFLICT,
        )
    registration.deactivated_at = timezone.now()
    registration.deactivated_by = actor
    registration.save(update_fields=["deactivated_at", "deactivated_by"])
    phone_tokens_revoke(user=user)
    _audit(actor=actor, action=AuditEvent.Action.MOBILE_DEACTIVATED, user=user)
    return registration
