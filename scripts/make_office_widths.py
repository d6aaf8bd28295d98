"""Write src/studypack/office_widths.json: advance widths of Arial's and Times New Roman's
metric clones (Liberation Sans/Serif 2) for the characters the PDF standard fonts we measure
decks with (Helvetica, Times) lack or set at another width. Run once after a Liberation
update; needs fonts-liberation2 (Debian/Ubuntu). LibreOffice draws Arial/Times text with these
fonts, PowerPoint with the originals, whose widths they copy.

    python3 scripts/make_office_widths.py [/usr/share/fonts/truetype/liberation2]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

CLONES = {
    "Helvetica": "LiberationSans-Regular",
    "Helvetica-Bold": "LiberationSans-Bold",
    "Helvetica-Oblique": "LiberationSans-Italic",
    "Helvetica-BoldOblique": "LiberationSans-BoldItalic",
    "Times-Roman": "LiberationSerif-Regular",
    "Times-Bold": "LiberationSerif-Bold",
    "Times-Italic": "LiberationSerif-Italic",
    "Times-BoldItalic": "LiberationSerif-BoldItalic",
}


def standard_width(ch: str, fontname: str) -> float | None:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return None
    return pdfmetrics.stringWidth(ch, fontname, 1000)


def main(folder: Path) -> None:
    out: dict[str, dict[str, int]] = {}
    for standard, clone in CLONES.items():
        widths = TTFont(clone, str(folder / f"{clone}.ttf")).face.charWidths
        table = {}
        for code, width in sorted(widths.items()):
            if code < 0x20 or 0xD800 <= code <= 0xDFFF:
                continue
            known = standard_width(chr(code), standard)
            if known is None or abs(known - width) > 1:
                table[f"{code:x}"] = round(width)
        out[standard] = table
    target = Path(__file__).resolve().parents[1] / "src/studypack/office_widths.json"
    target.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n")
    print(target, sum(map(len, out.values())), "widths")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation2"))
