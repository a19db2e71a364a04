import factory
from django.contrib.auth.models import Group, Permission

from users.models import AccessProfile, Employee, User

PASSWORD = "Sterk-Wachtwoord-42"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    name = factory.Sequence(lambda n: f"Medewerker {n}")
    employee_number = factory.Sequence(lambda n: f"T{n:04d}")
    email = factory.Sequence(lambda n: f"medewerker{n}@example.com")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.com")
    first_name = "Gebruiker"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.save()


def system_profile(key: str) -> AccessProfile:
    """One of the profiles the data migration seeds: administrator, bookkeeper,
    employee."""
    return AccessProfile.objects.select_related("group").get(system_key=key)


def profile_with(*functions: str, name: str = "") -> AccessProfile:
    """A custom profile granting exactly ``functions`` (``ScannerFunction`` values)."""
    group = Group.objects.create(name=name or "Alleen " + "+".join(functions))
    for function in functions:
        app_label, codename = function.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return AccessProfile.objects.create(group=group)


def mobile_ready_user(**kwargs) -> User:
    """A user who meets every precondition but the service: employee, e-mail,
    password, active account, the "Medewerker" profile."""
    kwargs.setdefault("employee", EmployeeFactory())
    user = UserFactory(**kwargs)
    user.groups.add(system_profile("employee").group)
    return user
