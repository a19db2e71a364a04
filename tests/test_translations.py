"""A fresh clone shows Dutch: every message has a Dutch translation."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PO_FILE = BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def parse_po(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every entry but the header."""
    entries = []
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, msgstr, current = [], [], None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
                line = line[len("msgid ") :]
            elif line.startswith(("msgstr ", "msgstr[0] ")):
                current = msgstr
                line = line.split(" ", 1)[1]
            elif line.startswith(("msgid_plural", "msgstr[", "#", "msgctxt")):
                current = None
                continue
            if current is not None and line.startswith('"'):
                current.append(line[1:-1])
        if "".join(msgid):
            entries.append(("".join(msgid), "".join(msgstr), fuzzy))
    return entries


def test_every_message_has_a_dutch_translation():
    entries = parse_po(PO_FILE.read_text())

    assert len(entries) > 20
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not untranslated


def test_compiled_catalogue_is_committed_beside_the_source():
    assert PO_FILE.with_suffix(".mo").exists()
