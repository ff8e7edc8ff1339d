"""Build the web fonts of the WebView pages into webview/static/webview/fonts/ (committed).

The Unfold wheel ships Inter (four static weights, 112 KB each: every script Inter covers) and
the whole Material Symbols font (292 KB, ~3,800 icons). The pages use Latin text, a few symbols
(Greek φ and Ω for cos φ and insulation, arrows, French spacing) and about twenty icons, so the
first page after sign-in weighed 647 KB cold, 98 % of it fonts. This keeps:

- Inter: the characters below, per weight, with the default OpenType features plus tabular
  figures (the value tables use ``font-variant-numeric: tabular-nums``);
- Material Symbols: the icons of ``icons.txt`` and the letters their ligatures are typed with;
  no layout closure, or every ligature spelt with those letters (all of them) would come along.

Run from the repository root with the dev requirements (fonttools, brotli):
    .venv/bin/python frontend/fonts/build_fonts.py
Reproducible: the same wheel gives byte-identical files.
"""

from pathlib import Path

import unfold
from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "webview" / "static" / "webview" / "fonts"
UNFOLD_FONTS = Path(unfold.__file__).resolve().parent / "static" / "unfold" / "fonts"

# Basic Latin and Latin-1 (French included) in full; beyond them only the characters the pages
# write: œ Œ Ÿ, Greek letters of units and quantities (Δ Ω α β µ π φ: cos φ, kΩ), French
# typography (the no-break and narrow no-break spaces Intl.NumberFormat puts in "19 178,49",
# « » ‹ › ’ “ ” „ – — …), superscripts and subscripts (m³, CO₂), €, ™, arrows, − ≈ ≠ ≤ ≥.
# The whole Greek block and general punctuation would add 45 % per weight.
TEXT_RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x0131, 0x0131), (0x0152, 0x0153), (0x0178, 0x0178),
    (0x02C6, 0x02C6), (0x02DC, 0x02DC), (0x0394, 0x0394), (0x03A9, 0x03A9), (0x03B1, 0x03B2),
    (0x03BC, 0x03BC), (0x03C0, 0x03C0), (0x03C6, 0x03C6), (0x2009, 0x200B), (0x2010, 0x2014),
    (0x2018, 0x201E), (0x2022, 0x2022), (0x2026, 0x2026), (0x202F, 0x2030), (0x2039, 0x203A),
    (0x2044, 0x2044), (0x2060, 0x2060), (0x2070, 0x2070), (0x2074, 0x2079), (0x2080, 0x2089),
    (0x20AC, 0x20AC), (0x2122, 0x2122), (0x2190, 0x2195), (0x2212, 0x2212), (0x2215, 0x2215),
    (0x2248, 0x2248), (0x2260, 0x2260), (0x2264, 0x2265),
]
INTER_WEIGHTS = {400: "Regular", 500: "Medium", 600: "SemiBold", 700: "Bold"}
ICON_SPELLING = "abcdefghijklmnopqrstuvwxyz0123456789_"


def _options(**overrides) -> subset.Options:
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # keep the names, the licence and its URL among them
    options.name_languages = ["*"]
    options.notdef_outline = True
    for name, value in overrides.items():
        setattr(options, name, value)
    return options


def _subset(source: Path, target: Path, options: subset.Options, *, unicodes=(), glyphs=()) -> None:
    font = TTFont(source, recalcTimestamp=False)  # reproducible: keep the source's date
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes, glyphs=glyphs)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target, reorderTables=True)
    print(f"{target.relative_to(HERE.parents[1])}: {target.stat().st_size:,} bytes")


def icon_names() -> list[str]:
    lines = (HERE / "icons.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def build() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    unicodes = [code for first, last in TEXT_RANGES for code in range(first, last + 1)]
    inter_options = _options(layout_features=[*subset.Options().layout_features, "tnum"])
    for weight, style in INTER_WEIGHTS.items():
        _subset(UNFOLD_FONTS / "inter" / f"Inter-{style}.woff2", OUT / f"inter-{weight}.woff2", inter_options,
                unicodes=unicodes)
    symbols = UNFOLD_FONTS / "material-symbols" / "Material-Symbols-Outlined.woff2"
    known = set(TTFont(symbols).getGlyphOrder())
    missing = [name for name in icon_names() if name not in known]
    if missing:
        raise SystemExit(f"icons.txt names icons Material Symbols does not have: {', '.join(missing)}")
    _subset(symbols, OUT / "material-symbols.woff2", _options(layout_features=["rlig"], layout_closure=False),
            unicodes=[ord(char) for char in ICON_SPELLING + " "], glyphs=icon_names())
    for licence, target in [("inter/LICENSE", "LICENSE-Inter.txt"), ("material-symbols/LICENSE", "LICENSE-Material-Symbols.txt")]:
        (OUT / target).write_bytes((UNFOLD_FONTS / licence).read_bytes())


if __name__ == "__main__":
    build()
