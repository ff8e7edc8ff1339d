"""French ships complete: every message of the catalogue is translated, none fuzzy, and the
committed .mo (used at run time, no gettext tools needed) matches the .po."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES"


def parse_po(path: Path) -> list[dict]:
    """A minimal .po reader: entries with their msgctxt, msgid, msgid_plural, msgstr[n] and flags."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": ""}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif match := re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line):
            key = match.group(1)
            entry[key] = match.group(2)
        elif line.startswith('"') and key:
            entry[key] += line[1:-1]
    return entries


def unescape(text: str) -> str:
    return text.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


ENTRIES = [e for e in parse_po(CATALOGUE / "django.po") if e["msgid"]]


def test_catalogue_is_not_empty():
    assert len(ENTRIES) > 100


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["msgid"][:40])
def test_every_message_is_translated_and_not_fuzzy(entry):
    assert "fuzzy" not in entry["flags"]
    translations = [value for key, value in entry.items() if key.startswith("msgstr")]
    assert translations and all(translations)


def test_compiled_catalogue_matches_the_source():
    compiled = gettext.GNUTranslations((CATALOGUE / "django.mo").open("rb"))

    def compiled_text(entry: dict) -> str:
        if "msgctxt" in entry:
            return compiled.pgettext(unescape(entry["msgctxt"]), unescape(entry["msgid"]))
        return compiled.gettext(unescape(entry["msgid"]))

    stale = [e["msgid"] for e in ENTRIES if "msgid_plural" not in e and compiled_text(e) != unescape(e["msgstr"])]
    assert stale == [], "run: python manage.py compilemessages"
