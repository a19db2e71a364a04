"""The terms of an integration, versioned as text files beside this module.

Each version is a pair of files ``v<N>.<language>.md`` (one per language in
``settings.LANGUAGES``); the highest N is the current version. A text is never edited
once it has been accepted: a change is a new version, so that the hash recorded with an
acceptance keeps proving which text was shown.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from mamut.errors import ApplicationError

_FILE_NAME = re.compile(r"^v(?P<version>[1-9][0-9]*)\.(?P<language>[a-z]{2})\.md$")


@dataclass(frozen=True)
class Terms:
    version: int
    language: str
    text: str

    @property
    def sha256(self) -> str:
        """The hash of exactly the text shown, recorded with an acceptance."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _terms_dir() -> Path:
    return Path(settings.INTEGRATIONS_TERMS_DIR)


def terms_versions() -> dict[int, set[str]]:
    """Every version in the repository with the languages it is written in."""
    versions: dict[int, set[str]] = {}
    for path in _terms_dir().iterdir():
        match = _FILE_NAME.match(path.name)
        if match:
            versions.setdefault(int(match["version"]), set()).add(match["language"])
    return versions


def terms_current_version() -> int:
    versions = terms_versions()
    if not versions:
        raise LookupError(f"No terms in {_terms_dir()}")
    return max(versions)


def _language(language: str) -> str:
    """The two-letter code of a language we have, else the default language."""
    code = (language or "").split("-")[0].lower()
    known = {code for code, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def terms_get(*, version: int, language: str) -> Terms:
    """One version's text in the given language; ``LookupError`` if it is not there."""
    language = _language(language)
    path = _terms_dir() / f"v{int(version)}.{language}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise LookupError(f"No terms version {version} in {language}") from error
    return Terms(version=int(version), language=language, text=text)


def terms_current(*, language: str) -> Terms:
    return terms_get(version=terms_current_version(), language=language)


def terms_outdated_error() -> ApplicationError:
    """What refuses an acceptance of terms that are no longer the current text."""
    return ApplicationError(
        _(
            "The terms have changed since you read them. Read the current terms and "
            "accept them again."
        ),
        code="terms_outdated",
    )


def terms_html(terms: Terms) -> SafeString:
    """The text as HTML: ``#`` headings, ``- `` lists and paragraphs, all escaped.

    Only what the terms files use; anything else is a paragraph of plain text.
    """
    blocks = []
    for block in re.split(r"\n\s*\n", terms.text.strip()):
        lines = [line.strip() for line in block.strip().splitlines()]
        if lines[0].startswith("#"):
            level = min(len(lines[0]) - len(lines[0].lstrip("#")) + 1, 4)
            title = lines[0].lstrip("#").strip()
            blocks.append(format_html("<h{0}>{1}</h{0}>", level, title))
            lines = lines[1:]
        if lines and all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            blocks.append(format_html("<ul>{}</ul>", items))
        elif lines:
            blocks.append(format_html("<p>{}</p>", " ".join(lines)))
    return mark_safe("".join(blocks))  # noqa: S308 - every piece is format_html-escaped
