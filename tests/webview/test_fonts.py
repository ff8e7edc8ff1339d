"""Defect 12: the frame's web fonts are subsets (frontend/fonts/build_fonts.py), not the Unfold
wheel's full Inter and Material Symbols (98 % of a 647 KB first page). Every icon a page names
is in the subset, so no icon falls back to showing its name as text."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

from webview.navigation import MENUS

ROOT = Path(settings.BASE_DIR)
FONTS = ROOT / "webview" / "static" / "webview" / "fonts"
ICONS_TXT = ROOT / "frontend" / "fonts" / "icons.txt"
# All the fonts the frame links, together: the four Inter weights and the icons (the Unfold
# wheel's were 739 KB). A page uses two or three weights of them.
FONT_BUDGET = 100 * 1024

ICON_SPAN = re.compile(r'class="[^"]*\bicon\b[^"]*"[^>]*>([a-z0-9_]+)</span>')
ICON_ARGUMENT = re.compile(r'\bicon="([a-z0-9_]+)"')


def templates() -> list[Path]:
    apps = ["webview", "cybersecurity", "devices", "datalogger", "hierarchies", "alarms", "photoview", "system"]
    return [path for app in apps for path in (ROOT / app / "templates").rglob("*.html")
            if "admin" not in path.relative_to(ROOT / app / "templates").parts]  # Unfold's own font there


def icons_named_by_pages() -> set[str]:
    names = {menu.icon for menu in MENUS.values()}
    for path in templates():
        text = path.read_text()
        names.update(ICON_SPAN.findall(text))
        names.update(ICON_ARGUMENT.findall(text))
    return names


def icons_listed() -> set[str]:
    return {line.strip() for line in ICONS_TXT.read_text().splitlines() if line.strip() and not line.startswith("#")}


def ligatures(font: TTFont) -> set[str]:
    """The words the font turns into one glyph (its icons), read from its GSUB ligatures."""
    by_glyph = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    words = set()
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            if lookup.LookupType == 7:  # extension: the real subtable inside
                subtable = subtable.ExtSubTable
            for first, entries in getattr(subtable, "ligatures", {}).items():
                for ligature in entries:
                    words.add("".join(by_glyph.get(glyph, "?") for glyph in [first, *ligature.Component]))
    return words


def test_scan_finds_the_icons_of_the_frame():
    """The scan itself works: icons of the top bar, the menus and an empty state are found."""
    assert {"bolt", "logout", "show_chart", "sensors"} <= icons_named_by_pages()


def test_every_icon_a_page_names_is_in_icons_txt():
    missing = icons_named_by_pages() - icons_listed()
    assert not missing, f"add {sorted(missing)} to frontend/fonts/icons.txt and run frontend/fonts/build_fonts.py"


def test_the_subset_font_has_every_listed_icon():
    font = TTFont(FONTS / "material-symbols.woff2")
    missing = icons_listed() - ligatures(font)
    assert not missing, f"run frontend/fonts/build_fonts.py: the committed font lacks {sorted(missing)}"


@pytest.mark.django_db
def test_the_frame_links_only_the_subset_fonts_within_budget(client):
    html = client.get("/login/").content.decode()
    assert "unfold/fonts" not in html
    assert "webview/fonts/fonts.css" in html
    css = (FONTS / "fonts.css").read_text()
    files = re.findall(r'url\("([^"]+\.woff2)"\)', css)
    assert len(files) == 5
    total = sum((FONTS / name).stat().st_size for name in files)
    assert total <= FONT_BUDGET, f"the frame's fonts weigh {total:,} bytes"


def test_french_text_and_units_are_in_inter():
    """Characters the pages print: French accents, the narrow no-break space of French numbers,
    cos φ, kΩ, m³, the arrow of a period's summary."""
    cmap = TTFont(FONTS / "inter-400.woff2").getBestCmap()
    for char in "éèêàçôœŒÉ«»’\u202f\u00a0φΩµ³→–…€":
        assert ord(char) in cmap, f"{char!r} (U+{ord(char):04X}) is not in the Inter subset"
