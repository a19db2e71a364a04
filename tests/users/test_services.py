"""The rules of users, employees, access profiles and mobile registration, through
the services against the real database."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import translation

from integrations.services import scanner_deactivate
from mamut.errors import ApplicationError
from users.models import (
    ENTER_VOUCHERS,
    PROFILE_FUNCTIONS,
    SCANNER_FUNCTIONS,
    AccessProfile,
    AuditEvent,
    Employee,
    MobileRegistration,
    ScannerFunction,
    User,
)
from users.selectors import (
    access_profile_functions,
    mobile_registration_active,
    user_access_profile,
)
from users.services import (
    MobileRegistrationRefused,
    NewEmployee,
    access_profile_create,
    access_profile_delete,
    access_profile_update,
    mobile_user_deactivate,
    mobile_user_register,
    user_access_profile_assign,
    user_save,
)

from .factories import (
    PASSWORD,
    EmployeeFactory,
    UserFactory,
    mobile_ready_user,
    profile_with,
    system_profile,
)

pytestmark = pytest.mark.django_db

ALL_FUNCTIONS = {function for function, _label, _help in PROFILE_FUNCTIONS}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codes(error: MobileRegistrationRefused) -> list[str]:
    return [problem.code for problem in error.problems]


# --- Access profiles seeded by the migration ------------------------------------------


def test_system_profiles_are_seeded_with_their_scanner_functions():
    assert access_profile_functions(system_profile("administrator")) == ALL_FUNCTIONS
    assert access_profile_functions(system_profile("bookkeeper")) == {
        ENTER_VOUCHERS,
        ScannerFunction.USE,
        ScannerFunction.VIEW_ATTACHMENTS,
        ScannerFunction.LINK_ATTACHMENTS,
    }
    assert access_profile_functions(system_profile("employee")) == {ScannerFunction.USE}


def test_system_profiles_are_django_groups_named_as_in_mamut():
    names = set(
        Group.objects.filter(access_profile__system_key__gt="").values_list(
            "name", flat=True
        )
    )
    assert names == {"Beheerder", "Boekhouder", "Medewerker"}


def test_system_profile_labels_follow_the_language():
    profile = system_profile("bookkeeper")
    with translation.override("nl"):
        assert str(profile.label) == "Boekhouder"
    assert str(profile.label) == "Bookkeeper"


def test_function_labels_are_the_permission_names_in_the_database():
    from django.contrib.auth.models import Permission

    for function, label, _help in SCANNER_FUNCTIONS:
        codename = function.split(".")[1]
        assert Permission.objects.get(codename=codename).name == str(label)


def test_scanner_function_labels_are_dutch_on_a_dutch_screen():
    with translation.override("nl"):
        labels = [str(label) for _function, label, _help in SCANNER_FUNCTIONS]
    assert labels == [
        "Toegang tot Visma Mobile Scanner",
        "Bijlagen van Visma Mobile Scanner bekijken",
        "Bijlagen koppelen en verwijderen",
        "Mobiele gebruikers registreren",
        "Integraties beheren",
    ]


# --- Mobile registration: preconditions -----------------------------------------------


def test_user_meeting_every_precondition_is_registered_and_audited(
    active_scanner, superuser
):
    user = mobile_ready_user()

    registration = mobile_user_register(actor=superuser, user=user)

    assert registration.is_active
    assert registration.registered_by == superuser
    assert mobile_registration_active(user) == registration
    event = AuditEvent.objects.get(action=AuditEvent.Action.MOBILE_REGISTERED)
    assert (event.actor, event.user, event.user_email) == (superuser, user, user.email)


def _break(user: User, code: str) -> None:
    if code == "service_inactive":
        scanner_deactivate(
            actor=User.objects.filter(is_superuser=True).first(), ip_address=None
        )
    elif code == "no_employee":
        user.employee = None
    elif code == "invalid_email":
        user.email = "geen-e-mailadres"
    elif code == "no_password":
        user.set_unusable_password()
    elif code == "account_inactive":
        user.is_active = False
    elif code == "no_scanner_access":
        user.groups.set([profile_with(ScannerFunction.VIEW_ATTACHMENTS).group])
    user.save()


PRECONDITIONS = [
    "service_inactive",
    "no_employee",
    "invalid_email",
    "no_password",
    "account_inactive",
    "no_scanner_access",
]


@pytest.mark.parametrize("code", PRECONDITIONS)
def test_each_unmet_precondition_refuses_with_its_own_message(
    active_scanner, superuser, code
):
    user = mobile_ready_user()
    _break(user, code)

    with pytest.raises(MobileRegistrationRefused) as refused:
        mobile_user_register(actor=superuser, user=user)

    assert codes(refused.value) == [code]
    assert refused.value.code == "registration_preconditions_not_met"
    assert refused.value.status_code == 409
    assert not MobileRegistration.objects.exists()
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.MOBILE_REGISTERED
    ).exists()


def test_every_unmet_precondition_is_listed_at_once(superuser):
    user = User.objects.create(email="niet-geldig", is_active=False)
    user.set_unusable_password()
    user.save()

    with pytest.raises(MobileRegistrationRefused) as refused:
        mobile_user_register(actor=superuser, user=user)

    assert codes(refused.value) == PRECONDITIONS


def test_messages_say_how_to_fix_each_precondition(superuser):
    user = User.objects.create(email="niet-geldig", is_active=False)
    user.set_unusable_password()
    user.save()

    with pytest.raises(MobileRegistrationRefused) as refused:
        mobile_user_register(actor=superuser, user=user)

    messages = dict(
        (problem.code, problem.message) for problem in refused.value.problems
    )
    assert "Integration" in messages["service_inactive"]
    assert '"Register employee"' in messages["no_employee"]
    assert '"Email address"' in messages["invalid_email"]
    assert '"Password"' in messages["no_password"]
    assert '"Active"' in messages["account_inactive"]
    assert '"Access profile"' in messages["no_scanner_access"]


def test_messages_for_oneself_say_whom_to_ask(active_scanner):
    user = UserFactory()

    with pytest.raises(MobileRegistrationRefused) as refused:
        mobile_user_register(actor=user, user=user)

    assert codes(refused.value) == ["no_employee", "no_scanner_access"]
    assert all(
        problem.message.startswith(("You are", "Your "))
        for problem in refused.value.problems
    )
    assert "administrator" in refused.value.problems[0].message


def test_dutch_precondition_messages_use_the_dutch_labels(superuser):
    user = UserFactory()
    with (
        translation.override("nl"),
        pytest.raises(MobileRegistrationRefused) as refused,
    ):
        mobile_user_register(actor=superuser, user=user)

    text = " ".join(problem.message for problem in refused.value.problems)
    assert "Beheer → Instellingen → Administratie → Integratie" in text
    assert '"Medewerker registreren"' in text
    assert '"Toegang tot Visma Mobile Scanner"' in text
    assert '"Opslaan"' in text


def test_inactive_account_is_reported_once_not_also_as_missing_access(
    active_scanner, superuser
):
    user = mobile_ready_user(is_active=False)

    with pytest.raises(MobileRegistrationRefused) as refused:
        mobile_user_register(actor=superuser, user=user)

    assert codes(refused.value) == ["account_inactive"]


def test_superuser_needs_no_profile_to_register_himself(active_scanner, superuser):
    superuser.employee = EmployeeFactory()
    superuser.save()

    assert mobile_user_register(actor=superuser, user=superuser).is_active


def test_a_function_granted_directly_counts_as_access(active_scanner, superuser):
    from django.contrib.auth.models import Permission

    user = UserFactory(employee=EmployeeFactory())
    user.user_permissions.add(Permission.objects.get(codename="use_mobile_scanner"))

    assert mobile_user_register(actor=superuser, user=user).is_active


def test_registering_twice_is_refused(active_scanner, superuser):
    user = mobile_ready_user()
    mobile_user_register(actor=superuser, user=user)

    with pytest.raises(ApplicationError) as refused:
        mobile_user_register(actor=superuser, user=user)

    assert refused.value.code == "already_registered"
    assert MobileRegistration.objects.count() == 1


def test_database_allows_one_active_registration_per_user(superuser):
    user = mobile_ready_user()
    MobileRegistration.objects.create(user=user, registered_by=superuser)

    with pytest.raises(IntegrityError), transaction.atomic():
        MobileRegistration.objects.create(user=user, registered_by=superuser)


# --- Mobile registration: who may ---------------------------------------------------


def test_user_registers_himself_without_register_mobile_users(active_scanner):
    user = mobile_ready_user()
    assert not user.has_perm(ScannerFunction.REGISTER_MOBILE_USERS)

    registration = mobile_user_register(actor=user, user=user)

    assert registration.registered_by == user


@pytest.mark.parametrize(
    "functions",
    [
        set(),
        {ScannerFunction.USE},
        {ScannerFunction.MANAGE_INTEGRATIONS, ScannerFunction.LINK_ATTACHMENTS},
    ],
)
def test_registering_someone_else_needs_register_mobile_users(
    active_scanner, functions
):
    actor = UserFactory()
    if functions:
        actor.groups.add(profile_with(*functions).group)
    user = mobile_ready_user()

    with pytest.raises(ApplicationError) as refused:
        mobile_user_register(actor=actor, user=user)

    assert (refused.value.code, refused.value.status_code) == ("permission_denied", 403)
    assert not MobileRegistration.objects.exists()


def test_register_mobile_users_function_registers_someone_else(active_scanner):
    actor = UserFactory()
    actor.groups.add(profile_with(ScannerFunction.REGISTER_MOBILE_USERS).group)
    user = mobile_ready_user()

    assert mobile_user_register(actor=actor, user=user).registered_by == actor


def test_deactivating_someone_else_needs_register_mobile_users(
    active_scanner, superuser
):
    user = mobile_ready_user()
    mobile_user_register(actor=superuser, user=user)

    with pytest.raises(ApplicationError) as refused:
        mobile_user_deactivate(actor=UserFactory(), user=user)

    assert refused.value.status_code == 403
    assert mobile_registration_active(user) is not None


# --- Deactivation ---------------------------------------------------------------------


def test_deactivation_ends_the_registration_keeps_history_and_is_audited(
    active_scanner, superuser
):
    user = mobile_ready_user()
    mobile_user_register(actor=superuser, user=user)

    registration = mobile_user_deactivate(actor=superuser, user=user)

    assert registration.deactivated_at is not None
    assert registration.deactivated_by == superuser
    assert mobile_registration_active(user) is None
    assert MobileRegistration.objects.filter(user=user).count() == 1
    event = AuditEvent.objects.get(action=AuditEvent.Action.MOBILE_DEACTIVATED)
    assert (event.actor, event.user) == (superuser, user)


def test_user_deactivates_himself(active_scanner):
    user = mobile_ready_user()
    mobile_user_register(actor=user, user=user)

    assert mobile_user_deactivate(actor=user, user=user).deactivated_by == user


def test_deactivated_user_can_register_again_as_a_new_period(active_scanner, superuser):
    user = mobile_ready_user()
    first = mobile_user_register(actor=superuser, user=user)
    mobile_user_deactivate(actor=superuser, user=user)

    second = mobile_user_register(actor=superuser, user=user)

    assert second.pk != first.pk
    assert mobile_registration_active(user) == second
    assert user.mobile_registrations.count() == 2


def test_deactivating_a_user_not_registered_is_refused(superuser):
    with pytest.raises(ApplicationError) as refused:
        mobile_user_deactivate(actor=superuser, user=mobile_ready_user())

    assert refused.value.code == "not_registered"


def test_deactivation_works_while_the_service_is_inactive(active_scanner, superuser):
    user = mobile_ready_user()
    mobile_user_register(actor=superuser, user=user)
    scanner_deactivate(actor=superuser, ip_address=None)

    assert mobile_user_deactivate(actor=superuser, user=user).deactivated_at


# --- Users and employees --------------------------------------------------------------


def test_superuser_creates_a_user_linked_to_a_new_employee(superuser):
    user = user_save(
        actor=superuser,
        user=None,
        email=" Nieuw@Example.com ",
        password=PASSWORD,
        new_employee=NewEmployee(name="Fleur de Boer"),
        access_profile=system_profile("employee"),
    )

    user.refresh_from_db()
    assert user.email == "nieuw@example.com"
    assert user.check_password(PASSWORD)
    assert user.employee.name == "Fleur de Boer"
    assert user.employee.email == "nieuw@example.com"
    assert user.employee.employee_number.startswith("E")
    assert user_access_profile(user) == system_profile("employee")


def test_new_employee_gets_the_next_free_number(superuser):
    Employee.objects.create(name="A", employee_number="E001")
    Employee.objects.create(name="B", employee_number="E002")

    user = user_save(
        actor=superuser,
        user=None,
        email="c@example.com",
        new_employee=NewEmployee(name="C"),
    )

    assert user.employee.employee_number == "E003"


def test_new_employee_needs_a_name_and_a_free_number(superuser):
    EmployeeFactory(employee_number="E777")

    with pytest.raises(ApplicationError) as refused:
        user_save(
            actor=superuser,
            user=None,
            email="c@example.com",
            new_employee=NewEmployee(name=" ", employee_number="e777"),
        )

    assert set(refused.value.fields) == {"employee_name", "employee_number"}
    assert not User.objects.filter(email="c@example.com").exists()


def test_new_user_without_password_cannot_sign_in_until_one_is_set(superuser):
    user = user_save(actor=superuser, user=None, email="zonder@example.com")

    assert not user.has_usable_password()


def test_empty_password_keeps_the_current_one(superuser):
    user = UserFactory()

    user_save(actor=superuser, user=user, email=user.email, password="")

    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("email", ["geen-adres", "a@", "", "a b@example.com"])
def test_invalid_email_is_refused(superuser, email):
    with pytest.raises(ApplicationError) as refused:
        user_save(actor=superuser, user=None, email=email)

    assert refused.value.fields["email"] == [
        "Enter a valid email address, such as name@example.com."
    ]


def test_an_email_address_another_user_has_is_refused_in_any_case(superuser):
    UserFactory(email="bezet@example.com")

    with pytest.raises(ApplicationError) as refused:
        user_save(actor=superuser, user=None, email="BEZET@example.com")

    assert refused.value.fields["email"] == [
        "Another user already has this email address."
    ]


def test_keeping_ones_own_email_address_is_fine(superuser):
    user = UserFactory(email="eigen@example.com")

    user_save(actor=superuser, user=user, email="Eigen@example.com")


@pytest.mark.parametrize("password", ["12345678", "wachtwoord", "kort1"])
def test_a_weak_password_is_refused_by_djangos_validators(superuser, password):
    with pytest.raises(ApplicationError) as refused:
        user_save(actor=superuser, user=None, email="x@example.com", password=password)

    assert refused.value.fields["password"]
    assert not User.objects.filter(email="x@example.com").exists()


def test_a_password_like_the_email_address_is_refused(superuser):
    with pytest.raises(ApplicationError) as refused:
        user_save(
            actor=superuser,
            user=None,
            email="pietjanssen@example.com",
            password="pietjanssen",
        )

    assert any("similar" in message for message in refused.value.fields["password"])


def test_an_employee_linked_to_another_user_is_refused(superuser):
    employee = EmployeeFactory()
    UserFactory(email="houder@example.com", employee=employee)

    with pytest.raises(ApplicationError) as refused:
        user_save(actor=superuser, user=None, email="x@example.com", employee=employee)

    assert refused.value.fields["employee"] == [
        "This employee is already linked to the user houder@example.com."
    ]


def test_relinking_a_user_to_another_free_employee(superuser):
    user = UserFactory(employee=EmployeeFactory())
    other = EmployeeFactory()

    user_save(actor=superuser, user=user, email=user.email, employee=other)

    user.refresh_from_db()
    assert user.employee == other


def test_only_the_superuser_changes_users():
    actor = UserFactory()
    actor.groups.add(system_profile("administrator").group)

    with pytest.raises(ApplicationError) as refused:
        user_save(actor=actor, user=None, email="x@example.com")

    assert refused.value.status_code == 403


def test_nobody_deactivates_his_own_account(superuser):
    with pytest.raises(ApplicationError) as refused:
        user_save(
            actor=superuser, user=superuser, email=superuser.email, is_active=False
        )

    assert "is_active" in refused.value.fields


def test_deactivating_an_account_also_ends_its_mobile_registration(
    active_scanner, superuser
):
    user = mobile_ready_user()
    mobile_user_register(actor=superuser, user=user)

    user_save(
        actor=superuser,
        user=user,
        email=user.email,
        employee=user.employee,
        access_profile=system_profile("employee"),
        is_active=False,
    )

    assert mobile_registration_active(user) is None


# --- Assigning access profiles --------------------------------------------------------


def test_assigning_a_profile_replaces_the_previous_one_and_is_audited(superuser):
    user = UserFactory()
    user_access_profile_assign(
        actor=superuser, user=user, profile=system_profile("employee")
    )

    user_access_profile_assign(
        actor=superuser, user=user, profile=system_profile("bookkeeper")
    )

    assert list(user.groups.all()) == [system_profile("bookkeeper").group]
    actions = list(
        AuditEvent.objects.filter(user=user)
        .order_by("pk")
        .values_list("action", "profile_name")
    )
    assert actions == [
        ("profile_assigned", "Medewerker"),
        ("profile_removed", "Medewerker"),
        ("profile_assigned", "Boekhouder"),
    ]


def test_user_save_assigns_the_profile_through_the_same_rule(superuser):
    user = UserFactory()

    user_save(
        actor=superuser,
        user=user,
        email=user.email,
        access_profile=system_profile("administrator"),
    )

    assert user.has_perm(ScannerFunction.MANAGE_INTEGRATIONS)
    assert AuditEvent.objects.filter(
        action="profile_assigned", user=user, actor=superuser
    ).exists()


def test_saving_without_a_change_of_profile_writes_no_audit(superuser):
    user = UserFactory()
    user.groups.add(system_profile("employee").group)

    user_save(
        actor=superuser,
        user=user,
        email=user.email,
        access_profile=system_profile("employee"),
    )

    assert not AuditEvent.objects.exists()


def test_nobody_grants_himself_a_profile(superuser):
    with pytest.raises(ApplicationError) as refused:
        user_access_profile_assign(
            actor=superuser, user=superuser, profile=system_profile("employee")
        )
    assert refused.value.status_code == 403

    with pytest.raises(ApplicationError) as refused:
        user_save(
            actor=superuser,
            user=superuser,
            email=superuser.email,
            access_profile=system_profile("employee"),
        )
    assert "access_profile" in refused.value.fields


def test_only_the_superuser_assigns_profiles():
    actor = UserFactory()
    actor.groups.add(system_profile("administrator").group)

    with pytest.raises(ApplicationError) as refused:
        user_access_profile_assign(
            actor=actor, user=UserFactory(), profile=system_profile("administrator")
        )

    assert refused.value.status_code == 403


def test_a_user_with_all_functions_still_cannot_assign_himself_a_profile():
    actor = UserFactory()
    actor.groups.add(system_profile("employee").group)

    with pytest.raises(ApplicationError):
        user_access_profile_assign(
            actor=actor, user=actor, profile=system_profile("administrator")
        )

    assert not actor.has_perm(ScannerFunction.MANAGE_INTEGRATIONS)


def test_the_superuser_needs_no_profile(superuser):
    other = User.objects.create_superuser("tweede@example.com", PASSWORD)

    with pytest.raises(ApplicationError) as refused:
        user_access_profile_assign(
            actor=superuser, user=other, profile=system_profile("employee")
        )

    assert refused.value.code == "superuser_needs_no_profile"


# --- Editing access profiles ----------------------------------------------------------


def test_superuser_copies_a_system_profile_into_a_custom_one(superuser):
    source = system_profile("bookkeeper")

    profile = access_profile_create(
        actor=superuser,
        name="Boekhouder met registratie",
        functions=access_profile_functions(source)
        | {ScannerFunction.REGISTER_MOBILE_USERS},
    )

    assert not profile.is_system
    assert access_profile_functions(profile) == {
        ENTER_VOUCHERS,
        ScannerFunction.USE,
        ScannerFunction.VIEW_ATTACHMENTS,
        ScannerFunction.LINK_ATTACHMENTS,
        ScannerFunction.REGISTER_MOBILE_USERS,
    }
    assert access_profile_functions(source) == {
        ENTER_VOUCHERS,
        ScannerFunction.USE,
        ScannerFunction.VIEW_ATTACHMENTS,
        ScannerFunction.LINK_ATTACHMENTS,
    }
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "detail")) == [
        ("profile_created", ""),
        ("function_granted", ScannerFunction.LINK_ATTACHMENTS),
        ("function_granted", ScannerFunction.REGISTER_MOBILE_USERS),
        ("function_granted", ScannerFunction.USE),
        ("function_granted", ScannerFunction.VIEW_ATTACHMENTS),
        ("function_granted", ENTER_VOUCHERS),
    ]


def test_ticking_and_unticking_functions_audits_each_grant_and_revoke(superuser):
    profile = profile_with(ScannerFunction.USE, ScannerFunction.VIEW_ATTACHMENTS)
    user = UserFactory()
    user.groups.add(profile.group)

    access_profile_update(
        actor=superuser,
        profile=profile,
        name="Scanners",
        functions={ScannerFunction.USE, ScannerFunction.LINK_ATTACHMENTS},
    )

    user = User.objects.get(pk=user.pk)
    assert user.has_perm(ScannerFunction.LINK_ATTACHMENTS)
    assert not user.has_perm(ScannerFunction.VIEW_ATTACHMENTS)
    assert set(AuditEvent.objects.values_list("action", "detail", "profile_name")) == {
        ("function_granted", ScannerFunction.LINK_ATTACHMENTS, "Scanners"),
        ("function_revoked", ScannerFunction.VIEW_ATTACHMENTS, "Scanners"),
    }


def test_system_profiles_cannot_be_edited_or_deleted(superuser):
    profile = system_profile("employee")

    with pytest.raises(ApplicationError) as refused:
        access_profile_update(
            actor=superuser, profile=profile, name="X", functions=ALL_FUNCTIONS
        )
    assert refused.value.status_code == 403
    with pytest.raises(ApplicationError):
        access_profile_delete(actor=superuser, profile=profile)

    assert access_profile_functions(profile) == {ScannerFunction.USE}


def test_only_the_superuser_edits_profiles():
    actor = UserFactory()
    actor.groups.add(system_profile("administrator").group)
    profile = profile_with(ScannerFunction.USE)

    for attempt in [
        lambda: access_profile_create(actor=actor, name="Nieuw", functions=set()),
        lambda: access_profile_update(
            actor=actor, profile=profile, name="X", functions=ALL_FUNCTIONS
        ),
        lambda: access_profile_delete(actor=actor, profile=profile),
    ]:
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert refused.value.status_code == 403

    assert access_profile_functions(profile) == {ScannerFunction.USE}


def test_profile_names_are_unique_in_any_case(superuser):
    with pytest.raises(ApplicationError) as refused:
        access_profile_create(actor=superuser, name="beheerder", functions=set())

    assert refused.value.fields == {
        "name": ["Another access profile already has this name."]
    }


def test_unknown_functions_are_refused(superuser):
    with pytest.raises(ApplicationError) as refused:
        access_profile_create(
            actor=superuser, name="Te veel", functions={"auth.delete_user"}
        )

    assert refused.value.code == "unknown_function"
    assert not Group.objects.filter(name="Te veel").exists()


def test_a_profile_in_use_cannot_be_deleted(superuser):
    profile = profile_with(ScannerFunction.USE)
    UserFactory().groups.add(profile.group)

    with pytest.raises(ApplicationError) as refused:
        access_profile_delete(actor=superuser, profile=profile)

    assert refused.value.code == "profile_in_use"


def test_an_unused_custom_profile_is_deleted_and_audited(superuser):
    profile = profile_with(ScannerFunction.USE, name="Tijdelijk")

    access_profile_delete(actor=superuser, profile=profile)

    assert not AccessProfile.objects.filter(pk=profile.pk).exists()
    assert AuditEvent.objects.get().profile_name == "Tijdelijk"


# --- The audit trail ------------------------------------------------------------------


def test_audit_events_cannot_be_changed_or_deleted(active_scanner, superuser):
    user = mobile_ready_user()
    mobile_user_register(actor=superuser, user=user)
    event = AuditEvent.objects.get()

    event.detail = "anders"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(detail="anders")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_audit_keeps_who_and_whom_after_the_users_are_deleted(
    active_scanner, superuser
):
    user = mobile_ready_user(email="weg@example.com")
    mobile_user_register(actor=superuser, user=user)

    user.delete()

    event = AuditEvent.objects.get()
    assert event.user is None
    assert (event.actor_email, event.user_email) == (
        "admin@example.com",
        "weg@example.com",
    )
