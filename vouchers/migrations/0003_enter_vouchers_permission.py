"""The access-profile function "Enter vouchers" ("Boekingen invoeren"), granted to the
system profiles Beheerder and Boekhouder and to every profile an administrator made
(until now voucher entry needed no function, and the attachments panel lives in it);
Medewerker does not get it.

Permissions are normally created after all migrations (post_migrate), so it is created
here if it is not there yet; Django finds it later and adds nothing twice.
"""

from django.db import migrations
from django.db.models import Q

GRANTED_TO = ["administrator", "bookkeeper"]


def seed(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    AccessProfile = apps.get_model("users", "AccessProfile")

    content_type, _ = ContentType.objects.get_or_create(
        app_label="vouchers", model="voucher"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="enter_vouchers",
        defaults={"name": "Enter vouchers"},
    )
    for profile in AccessProfile.objects.filter(
        Q(system_key__in=GRANTED_TO) | Q(system_key="")
    ):
        profile.group.permissions.add(permission)


def unseed(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="vouchers", codename="enter_vouchers"
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("vouchers", "0002_seed_chart_of_accounts"),
        ("users", "0003_seed_system_access_profiles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="voucher",
            options={
                "ordering": ["-year", "-number"],
                "permissions": [("enter_vouchers", "Enter vouchers")],
                "verbose_name": "voucher",
                "verbose_name_plural": "vouchers",
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
