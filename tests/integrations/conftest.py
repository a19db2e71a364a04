"""Fixtures of the integrations tests: a manager who is not a superuser, and terms."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission

from integrations.terms import Terms, terms_current


@pytest.fixture
def integration_manager(db, admin_password: str):
    """A user whose access profile grants only "Integraties beheren"."""
    from users.models import User

    group = Group.objects.create(name="Integraties")
    group.permissions.add(Permission.objects.get(codename="manage_integrations"))
    user = User.objects.create_user("beheer@example.com", admin_password)
    user.groups.add(group)
    return user


@pytest.fixture
def current_terms() -> Terms:
    return terms_current(language="nl")


@pytest.fixture
def terms_dir(settings, tmp_path: Path) -> Path:
    """A copy of the repository's terms that a test may add a version to."""
    path = tmp_path / "terms"
    shutil.copytree(django_settings.INTEGRATIONS_TERMS_DIR, path)
    settings.INTEGRATIONS_TERMS_DIR = path
    return path


def add_terms_version(terms_dir: Path, version: int) -> None:
    for language in ("nl", "en"):
        (terms_dir / f"v{version}.{language}.md").write_text(
            f"# Version {version} ({language})\n\nNew terms.\n", encoding="utf-8"
        )
