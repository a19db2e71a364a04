import io

from PIL import Image

from tests.users.factories import UserFactory, mobile_ready_user
from users.models import User
from users.services import mobile_user_register

__all__ = ["UserFactory", "jpeg_bytes", "mobile_user", "png_bytes"]


def mobile_user(**kwargs) -> User:
    """A registered mobile user (the service must be active)."""
    user = mobile_ready_user(**kwargs)
    admin = User.objects.filter(
        is_superuser=True
    ).first() or User.objects.create_superuser("beheer@example.com", "x")
    mobile_user_register(actor=admin, user=user)
    return user


def jpeg_bytes(width: int = 64, height: int = 48, color: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


def png_bytes(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (10, 20, 30, 128)).save(buffer, "PNG")
    return buffer.getvalue()
