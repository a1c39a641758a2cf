"""Build bot/fonts/NotoSansSC-RMA.otf: Noto Sans CJK SC (SIL OFL 1.1) cut to the characters the bot draws.

    python scripts/subset_cjk_font.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

(Debian: apt-get install fonts-noto-cjk, build time only.) The subset keeps ASCII, Latin-1, general
and CJK punctuation, full-width forms, the 6,763 hanzi of GB 2312 (nearly every Chinese name) and
every character of the string catalogs and the product catalog, so chart labels in Chinese are
real glyphs. A name with a rarer character is drawn in pinyin instead (bot.charts). The licence
travels with the font: bot/fonts/OFL.txt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bot" / "fonts" / "NotoSansSC-RMA.otf"


def characters() -> set[int]:
    chars: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    chars |= {0x00D7, 0x2192, 0x2191, 0x2193, 0x00B7, 0x2026, 0x00A5, 0xFFE5}
    for high in range(0xB0, 0xF8):            # GB 2312 levels 1 and 2
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    for path in [*(ROOT / "bot" / "strings").glob("*.toml"), ROOT / "bot" / "catalog" / "products.toml"]:
        chars |= {ord(c) for c in path.read_text(encoding="utf-8")}
    return {c for c in chars if c >= 0x20}


def main(source: str) -> None:
    collection = TTCollection(source)
    font = next(f for f in collection.fonts if "SC" in str(f["name"].getDebugName(1)))
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    font.save(OUT)
    print(f"{OUT.name}: {len(font.getGlyphOrder())} glyphs, {OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
