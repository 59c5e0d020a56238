"""Georgian first, English second: no interface string may be missing from either catalogue."""

import re
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_every_string_is_translated_into_georgian_without_mtavruli():
    catalogue = _catalogue("ka")
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    for entry in catalogue:
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        assert not any(0x1C90 <= ord(c) <= 0x1CBF for text in texts for c in text), entry.msgid
        for text in texts:
            if text:
                assert set(PLACEHOLDER.findall(entry.msgid)) == set(PLACEHOLDER.findall(text))


def test_the_english_catalogue_has_every_georgian_entry():
    georgian = {entry.msgid for entry in _catalogue("ka") if not entry.obsolete}
    english = {entry.msgid for entry in _catalogue("en") if not entry.obsolete}
    assert georgian == english
