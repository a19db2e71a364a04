"""The search term of a list page (``?q=``), made safe for every database."""

MAX_LENGTH = 100


def search_term(value: str | None) -> str:
    """``value`` without NUL characters (PostgreSQL refuses them in text), trimmed and
    cut to ``MAX_LENGTH`` characters."""
    return (value or "").replace("\x00", "").strip()[:MAX_LENGTH].strip()
