import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Many users are created here; the real hasher's slowness tests nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
