#!/usr/bin/env python3
"""Draw the 1945-2015 timeline used by the japan-us-security-treaty sample pack.

Usage:  python3 scripts/make_timeline.py [OUTPUT.png]

Default output: content/japan-us-security-treaty/images/timeline.png (relative to
the repository root, found from this file's location). The drawing is fully
deterministic: fixed sizes, fixed fonts (Bitstream Vera, shipped with reportlab),
no timestamps or other metadata in the PNG, so re-running gives identical bytes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "content" / "japan-us-security-treaty" / "images" / "timeline.png"
FONT_DIR = Path(os.path.dirname(reportlab.__file__)) / "fonts"

# Canvas and axis geometry (px).
WIDTH, HEIGHT = 1600, 500
AXIS_Y = 292
X0, X1 = 90, 1510            # x of START and END years
START, END = 1945, 2015

# Muted palette.
BG = (255, 255, 255)
INK = (38, 48, 61)           # titles, years
TEXT = (72, 82, 96)          # descriptions
GRID = (196, 203, 212)       # ticks, leaders
AXIS = (110, 122, 138)
BAND = (232, 236, 242)       # occupation band
CATEGORY = {
    "sovereignty": ((84, 110, 146), "Occupation & sovereignty"),
    "treaty": ((160, 72, 68), "Treaty & legislation"),
    "defense": ((74, 124, 106), "Defense policy"),
}

# (year, category, description lines, side, tier, flag direction)
#   side: "up" above the axis, "down" below; tier 1 = near the axis, 2 = further out.
#   flag: "right" = text starts at the leader line, "left" = text ends at it.
# Placement is chosen by hand so that no label touches another label or leader.
EVENTS = [
    (1945, "sovereignty", ["Allied occupation", "begins (SCAP)"], "up", 2, "right"),
    (1951, "treaty", ["San Francisco Peace Treaty", "and first Security Treaty"], "down", 2, "right"),
    (1952, "sovereignty", ["Occupation", "ends"], "up", 1, "right"),
    (1954, "defense", ["Self-Defense", "Forces founded"], "down", 1, "right"),
    (1960, "treaty", ["Revised treaty (Mutual Cooperation", "and Security); Anpo protests"], "up", 2, "right"),
    (1972, "sovereignty", ["Okinawa returned", "to Japan"], "down", 1, "right"),
    (1978, "defense", ["First Guidelines for", "Defense Cooperation"], "up", 1, "right"),
    (1997, "defense", ["Guidelines revised:", "areas surrounding Japan"], "down", 1, "right"),
    (2015, "treaty", ["New Guidelines and", "security legislation"], "up", 1, "left"),
]

TIER_OFFSET = {1: 40, 2: 118}   # distance from axis to the label's near edge
FLAG_PAD = 9                    # gap between leader line and label text
MARKER_R = 8


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), size)


def year_x(year: float) -> float:
    return X0 + (year - START) * (X1 - X0) / (END - START)


def text_w(draw: ImageDraw.ImageDraw, s: str, f: ImageFont.FreeTypeFont) -> int:
    left, _, right, _ = draw.textbbox((0, 0), s, font=f)
    return right - left


def draw_timeline(out: Path) -> None:
    img = Image.new("RGB", (WIDTH, HEIGHT), BG)
    d = ImageDraw.Draw(img)

    f_title = font("VeraBd.ttf", 30)
    f_sub = font("Vera.ttf", 17)
    f_year = font("VeraBd.ttf", 21)
    f_desc = font("Vera.ttf", 16)
    f_tick = font("Vera.ttf", 14)
    f_band = font("VeraBd.ttf", 13)
    f_legend = font("Vera.ttf", 15)

    # Title block.
    d.text((40, 20), "The Japan\u2013US security relationship, 1945\u20132015", font=f_title, fill=INK)
    d.text((40, 58), "Landmarks from occupation to the 2015 guidelines", font=f_sub, fill=TEXT)

    # Legend, right-aligned on the title line.
    lx = WIDTH - 40
    for key in reversed(list(CATEGORY)):
        colour, label = CATEGORY[key]
        w = text_w(d, label, f_legend)
        lx -= w
        d.text((lx, 30), label, font=f_legend, fill=TEXT)
        lx -= 20
        d.ellipse((lx, 34, lx + 12, 46), fill=colour)
        lx -= 28

    # Occupation band (1945-1952) behind the axis.
    bx0, bx1 = year_x(1945), year_x(1952)
    d.rectangle((bx0, AXIS_Y - 14, bx1, AXIS_Y + 14), fill=BAND)

    # Ticks every 5 years; decade labels just under the axis, right of the tick,
    # skipped where an event marker sits close by.
    event_xs = [year_x(e[0]) for e in EVENTS]
    for y in range(START, END + 1, 5):
        x = year_x(y)
        major = y % 10 == 0
        h = 9 if major else 5
        d.line((x, AXIS_Y - h, x, AXIS_Y + h), fill=AXIS if major else GRID, width=2)
    d.line((X0 - 20, AXIS_Y, X1 + 20, AXIS_Y), fill=AXIS, width=3)
    # Arrow head at the right end.
    ax = X1 + 34
    d.polygon([(ax, AXIS_Y), (ax - 14, AXIS_Y - 7), (ax - 14, AXIS_Y + 7)], fill=AXIS)
    for y in range(1950, END + 1, 10):
        x = year_x(y)
        if any(abs(x - ex) < 22 for ex in event_xs):
            continue
        label = str(y)
        w = text_w(d, label, f_tick)
        d.text((x - w / 2, AXIS_Y + 14), label, font=f_tick, fill=AXIS)

    # Events: leader line, label, then marker on top.
    line_h = 20
    for year, cat, lines, side, tier, flag in EVENTS:
        colour = CATEGORY[cat][0]
        x = year_x(year)
        block_h = 26 + line_h * len(lines)
        off = TIER_OFFSET[tier]
        if side == "up":
            top = AXIS_Y - off - block_h
            lead_end = AXIS_Y - off + 4 - block_h   # leader runs up the label's side
        else:
            top = AXIS_Y + off
            lead_end = top + block_h - 4
        d.line((x, AXIS_Y, x, lead_end), fill=GRID, width=2)
        # Small coloured bar at the label end of the leader.
        d.line((x, top + 2, x, top + block_h - 4), fill=colour, width=3)

        texts = [(str(year), f_year, colour)] + [(s, f_desc, TEXT) for s in lines]
        ty = top
        for i, (s, f, fill) in enumerate(texts):
            w = text_w(d, s, f)
            tx = x + FLAG_PAD if flag == "right" else x - FLAG_PAD - w
            d.text((tx, ty), s, font=f, fill=fill)
            ty += 26 if i == 0 else line_h

        d.ellipse((x - MARKER_R, AXIS_Y - MARKER_R, x + MARKER_R, AXIS_Y + MARKER_R),
                  fill=colour, outline=BG, width=2)

    # Band caption under the occupation band, left of the 1951 leader.
    d.text((bx0 - 6, AXIS_Y + 17), "occupation", font=f_band, fill=CATEGORY["sovereignty"][0])

    out.parent.mkdir(parents=True, exist_ok=True)
    # Quantise to a small fixed palette: crisp flat colours, tiny file, and no
    # metadata chunks (Pillow writes none unless asked), so output is byte-stable.
    pal = img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pal.save(out, format="PNG", optimize=True)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    draw_timeline(out)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
