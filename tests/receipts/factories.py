import io

from PIL import Image, ImageDraw, ImageFont

from tests.users.factories import UserFactory, mobile_ready_user
from users.models import User
from users.services import mobile_user_register

__all__ = [
    "UserFactory",
    "dutch_receipt_jpeg",
    "jpeg_bytes",
    "mobile_user",
    "png_bytes",
]


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


def dutch_receipt_jpeg() -> bytes:
    """A Dutch receipt rendered with Pillow, as Tesseract reads it field by field."""
    font = ImageFont.truetype("DejaVuSans.ttf", 30)
    image = Image.new("L", (700, 560), 255)
    draw = ImageDraw.Draw(image)
    lines = ["Bakkerij De Korenaar B.V.", "Dorpsstraat 12, Ons Dorp",
             "Datum 03-12-2026", "Krentenbollen 19,38", "BTW 21% € 4,07",
             "Totaal € 23,45", "Factuurnummer F2026-0042"]  # fmt: skip
    for row, line in enumerate(lines):
        draw.text((30, 30 + row * 70), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
