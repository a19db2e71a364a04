"""The terms texts: versioned files in the repository, in Dutch and English."""

import hashlib

import pytest
from django.conf import settings

from integrations.terms import (
    terms_current,
    terms_current_version,
    terms_get,
    terms_html,
    terms_versions,
)
from tests.integrations.conftest import add_terms_version


def test_every_terms_version_exists_in_every_language():
    languages = {code for code, _name in settings.LANGUAGES}

    versions = terms_versions()

    assert versions
    assert all(found == languages for found in versions.values()), versions


def test_the_dutch_terms_are_dutch_and_the_english_english():
    assert "Voorwaarden" in terms_current(language="nl").text
    assert "Terms" in terms_current(language="en").text


def test_hash_is_the_sha256_of_exactly_the_text_shown():
    terms = terms_current(language="nl")

    assert terms.sha256 == hashlib.sha256(terms.text.encode("utf-8")).hexdigest()
    assert terms.sha256 != terms_current(language="en").sha256


def test_a_regional_or_unknown_language_falls_back_sensibly():
    assert terms_current(language="en-gb").language == "en"
    assert terms_current(language="de").language == "nl"


def test_the_highest_version_in_the_folder_is_current(terms_dir):
    assert terms_current_version() == 1

    add_terms_version(terms_dir, 2)

    assert terms_current_version() == 2
    assert terms_current(language="en").text.startswith("# Version 2 (en)")
    assert terms_get(version=1, language="en").version == 1


def test_a_missing_version_is_a_lookup_error():
    with pytest.raises(LookupError):
        terms_get(version=99, language="nl")


def test_terms_html_renders_headings_lists_and_escapes_everything(terms_dir):
    (terms_dir / "v2.nl.md").write_text(
        "# Kop <b>\n\n## Sub\n\n- een & twee\n- drie\n\nGewone <script>tekst</script>\n"
    )

    html = terms_html(terms_get(version=2, language="nl"))

    assert html == (
        "<h2>Kop &lt;b&gt;</h2><h3>Sub</h3><ul><li>een &amp; twee</li><li>drie</li>"
        "</ul><p>Gewone &lt;script&gt;tekst&lt;/script&gt;</p>"
    )
