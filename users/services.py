"""Every write of the users app."""

from django.db import transaction

from users.models import Company, Employee, User

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
