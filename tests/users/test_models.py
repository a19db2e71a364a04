import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError
from django.test import RequestFactory

from users.models import Employee, User

pytestmark = pytest.mark.django_db


def test_user_signs_in_with_email_address_regardless_of_case():
    User.objects.create_user("Piet.Klaassen@Example.COM", "Sterk-Wachtwoord-42")

    user = authenticate(
        RequestFactory().post("/accounts/login/"),
        username="piet.klaassen@example.com",
        password="Sterk-Wachtwoord-42",
    )

    assert user is not None
    assert user.email == "piet.klaassen@example.com"


def test_wrong_password_does_not_sign_in():
    User.objects.create_user("piet@example.com", "Sterk-Wachtwoord-42")

    assert (
        authenticate(
            RequestFactory().post("/accounts/login/"),
            username="piet@example.com",
            password="wrong",
        )
        is None
    )


def test_two_users_cannot_share_an_email_address_in_any_case():
    User.objects.create_user("piet@example.com", "x")
    with pytest.raises(IntegrityError):
        User.objects.create(email="PIET@example.com")


def test_superuser_has_staff_and_superuser_flags():
    admin = User.objects.create_superuser("boss@example.com", "x")
    assert admin.is_superuser and admin.is_staff


def test_an_employee_can_be_linked_to_only_one_user():
    employee = Employee.objects.create(name="Anna", employee_number="E1")
    User.objects.create_user("anna@example.com", "x", employee=employee)
    with pytest.raises(IntegrityError):
        User.objects.create_user("other@example.com", "x", employee=employee)


def test_deleting_an_employee_keeps_the_user():
    employee = Employee.objects.create(name="Anna", employee_number="E1")
    user = User.objects.create_user("anna@example.com", "x", employee=employee)

    employee.delete()
    user.refresh_from_db()

    assert user.employee is None
