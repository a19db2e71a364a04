from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from users.services import demo_company_seed


class Command(BaseCommand):
    help = "Create the demo company, five employees and the superuser, once."

    def handle(self, *args, **options) -> None:
        email = settings.DEMO_ADMIN_EMAIL
        password = settings.DEMO_ADMIN_PASSWORD
        if not password:
            raise CommandError("Set DEMO_ADMIN_PASSWORD to seed the demo company.")
        created = demo_company_seed(admin_email=email, admin_password=password)
        if created:
            self.stdout.write(self.style.SUCCESS("Demo company created."))
        else:
            self.stdout.write("Demo company already present; nothing changed.")
        if settings.DEBUG:
            self.stdout.write(f"Sign in as {email} with password {password!r}.")
        else:
            self.stdout.write(
                f"Sign in as {email} (password from DEMO_ADMIN_PASSWORD)."
            )
