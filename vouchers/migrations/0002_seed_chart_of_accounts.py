"""A small chart of accounts: a few cost accounts, and Bank and Kas to pay from."""

from django.db import migrations

ACCOUNTS = [
    ("1000", "Kas", "payment"),
    ("1100", "Bank", "payment"),
    ("4000", "Personeelskosten", "cost"),
    ("4200", "Huisvestingskosten", "cost"),
    ("4300", "Kantoorkosten", "cost"),
    ("4400", "Autokosten", "cost"),
    ("4500", "Reis- en verblijfkosten", "cost"),
    ("4600", "Representatiekosten", "cost"),
    ("4700", "Verkoopkosten", "cost"),
    ("4900", "Algemene kosten", "cost"),
]


def seed(apps, schema_editor):
    Account = apps.get_model("vouchers", "Account")
    for number, name, kind in ACCOUNTS:
        Account.objects.update_or_create(
            number=number, defaults={"name": name, "kind": kind}
        )


class Migration(migrations.Migration):
    dependencies = [("vouchers", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
