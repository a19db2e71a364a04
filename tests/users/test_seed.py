from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from users.models import Company, Employee, User

pytestmark = pytest.mark.django_db


def test_seed_creates_company_five_employees_and_superuser(settings):
    settings.DEMO_ADMIN_PASSWORD = "demo-pass-123"

    call_command("seed_demo", stdout=StringIO())

    assert Company.objects.count() == 1
    assert Employee.objects.count() == 5
    admin = authenticate(
        RequestFactory().post("/accounts/login/"),
        username="admin@example.com",
        password="demo-pass-123",
    )
    assert admin is not None and admin.is_superuser


def test_seeding_again_keeps_the_data(settings):
    settings.DEMO_ADMIN_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=StringIO())
    Company.objects.update(name="Renamed B.V.")

    settings.DEMO_ADMIN_PASSWORD = "another"
    call_command("seed_demo", stdout=StringIO())

    assert Company.objects.get().name == "Renamed B.V."
    assert Employee.objects.count() == 5
    assert User.objects.count() == 1


def test_seed_output_names_the_admin_account(settings):
    settings.DEMO_ADMIN_PASSWORD = "demo-pass-123"
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert "admin@example.com" in out.getvalue()
