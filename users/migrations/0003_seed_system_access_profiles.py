"""Seed the system access profiles "Beheerder", "Boekhouder" and "Medewerker".

Permissions are normally created after all migrations (post_migrate), so the scanner
functions are created here if they are not there yet; Django finds them later and adds
nothing twice.
"""

from django.db import migrations

FUNCTIONS = {
    "use_mobile_scanner": "Access to Visma Mobile Scanner",
    "view_scanner_attachments": "View attachments from Visma Mobile Scanner",
    "link_scanner_attachments": "Link and delete attachments",
    "register_mobile_users": "Register mobile users",
    "manage_integrations": "Manage integrations",
}

# (system key, group name, scanner functions)
SYSTEM_PROFILES = [
    ("administrator", "Beheerder", list(FUNCTIONS)),
    (
        "bookkeeper",
        "Boekhouder",
        ["use_mobile_scanner", "view_scanner_attachments", "link_scanner_attachments"],
    ),
    ("employee", "Medewerker", ["use_mobile_scanner"]),
]


def seed(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    AccessProfile = apps.get_model("users", "AccessProfile")

    content_type, _ = ContentType.objects.get_or_create(
        app_label="users", model="scannerfunction"
    )
    permissions = {
        codename: Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in FUNCTIONS.items()
    }
    for key, name, codenames in SYSTEM_PROFILES:
        if AccessProfile.objects.filter(system_key=key).exists():
            continue
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([permissions[codename] for codename in codenames])
        AccessProfile.objects.create(group=group, system_key=key)


def unseed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(access_profile__system_key__in=[key for key, *_ in SYSTEM_PROFILES]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("users", "0002_profiles_registrations_audit"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
