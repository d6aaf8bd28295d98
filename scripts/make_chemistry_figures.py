#!/usr/bin/env python3
"""Draw the three diagrams of the intro-chemistry sample pack: the pH scale, strong and weak
acids in water, and a titration curve.

Usage:  python3 scripts/make_chemistry_figures.py [OUTPUT_FOLDER]

Default output: content/intro-chemistry/images/ (relative to the repository root, found from
this file's location). The drawing is fully deterministic: fixed sizes, fixed fonts (Bitstream
Vera, shipped with reportlab), no timestamps or other metadata in the PNGs, so re-running gives
identical bytes.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "content" / "intro-chemistry" / "images"
FONT_DIR = Path(os.path.dirname(reportlab.__file__)) / "fonts"

BG = (255, 255, 255)
INK = (38, 48, 61)  # titles, axes labels
TEXT = (72, 82, 96)  # descriptions
GRID = (214, 220, 228)
AXIS = (110, 122, 138)
ACID = (196, 64, 52)
NEUTRAL = (92, 150, 88)
BASE = (58, 92, 168)
PROTON = (214, 120, 40)


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), size)


def text_w(d: ImageDraw.ImageDraw, s: str, f: ImageFont.FreeTypeFont) -> int:
    left, _, right, _ = d.textbbox((0, 0), s, font=f)
    return right - left


def centred(
    d: ImageDraw.ImageDraw, x: float, y: float, s: str, f: ImageFont.FreeTypeFont, fill
) -> None:
    d.text((x - text_w(d, s, f) / 2, y), s, font=f, fill=fill)


def formula_w(
    d: ImageDraw.ImageDraw, spec: str, f: ImageFont.FreeTypeFont, f_small: ImageFont.FreeTypeFont
) -> int:
    return sum(text_w(d, t, f_small if k else f) for t, k in _pieces(spec))


def _pieces(spec: str) -> list[tuple[str, str]]:
    """'CH_3COOH' -> CH, 3 (lowered), COOH; 'A^-' -> A, - (raised). Vera has no sub/superscript digits."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(spec):
        if spec[i] in "_^" and i + 1 < len(spec):
            out.append((spec[i + 1].replace("-", "\u2212"), spec[i]))
            i += 2
        else:
            out.append((spec[i], ""))
            i += 1
    return out


def formula(d: ImageDraw.ImageDraw, x: float, y: float, spec: str, f: ImageFont.FreeTypeFont,
            f_small: ImageFont.FreeTypeFont, fill) -> None:  # fmt: skip
    """A chemical formula with its subscripts and charges drawn small, lowered or raised."""
    rise = f.size * 0.42
    for t, kind in _pieces(spec):
        dy = rise if kind == "_" else -rise * 0.35 if kind == "^" else 0
        use = f_small if kind else f
        d.text((x, y + dy), t, font=use, fill=fill)
        x += text_w(d, t, use)


def centred_formula(d: ImageDraw.ImageDraw, x: float, y: float, spec: str, f: ImageFont.FreeTypeFont,
                    f_small: ImageFont.FreeTypeFont, fill) -> None:  # fmt: skip
    formula(d, x - formula_w(d, spec, f, f_small) / 2, y, spec, f, f_small, fill)


def mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def save(img: Image.Image, out: Path) -> None:
    # A small fixed palette: crisp flat colours, a tiny file, no metadata chunks (byte-stable).
    pal = img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pal.save(out, format="PNG", optimize=True)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def ph_colour(ph: float) -> tuple[int, int, int]:
    if ph <= 7:
        return mix(ACID, NEUTRAL, ph / 7)
    return mix(NEUTRAL, BASE, (ph - 7) / 7)


def draw_ph_scale(out: Path) -> None:
    """A 0-14 bar shaded from acid red through neutral green to base blue, everyday liquids marked."""
    w, h = 1500, 450
    img = Image.new("RGB", (w, h), BG)
    d = ImageDraw.Draw(img)
    f_title, f_num = font("VeraBd.ttf", 30), font("VeraBd.ttf", 22)
    f_label, f_side = font("Vera.ttf", 18), font("VeraBd.ttf", 20)
    d.text((40, 22), "The pH scale at 25 \u00b0C", font=f_title, fill=INK)
    x0, x1, top, bottom = 80, w - 80, 150, 220
    step = (x1 - x0) / 14
    for i in range(14):
        d.rectangle((x0 + i * step, top, x0 + (i + 1) * step, bottom), fill=ph_colour(i + 0.5))
    for i in range(15):
        x = x0 + i * step
        d.line((x, bottom, x, bottom + 10), fill=AXIS, width=2)
        centred(d, x, bottom + 14, str(i), f_num, INK)
    centred(d, x0 + 3 * step, top - 42, "more acidic", f_side, ACID)
    centred(d, x0 + 7 * step, top - 42, "neutral", f_side, NEUTRAL)
    centred(d, x0 + 11 * step, top - 42, "more basic", f_side, BASE)
    # Arrows under the side words, pointing away from neutral.
    for x_from, x_to, colour in (
        (x0 + 5 * step, x0 + 1 * step, ACID),
        (x0 + 9 * step, x0 + 13 * step, BASE),
    ):
        y = top - 12
        d.line((x_from, y, x_to, y), fill=colour, width=3)
        tip = 1 if x_to > x_from else -1
        d.polygon([(x_to, y), (x_to - tip * 14, y - 7), (x_to - tip * 14, y + 7)], fill=colour)
    # (pH, label, row): a leader never crosses a label, so a point inside the label to its left
    # sits on a row above that label's.
    examples = [(0.8, "battery acid", 2), (2.0, "lemon juice", 1), (3.0, "vinegar", 0), (4.5, "tomato juice", 1),
                (7.0, "pure water", 2), (7.4, "blood", 1), (8.3, "baking soda", 0), (11.5, "ammonia", 1),
                (13.5, "drain cleaner", 2)]  # fmt: skip
    for ph, label, row in examples:
        x = x0 + ph * step
        y = bottom + 58 + row * 44
        d.line((x, bottom + 42, x, y), fill=GRID, width=2)
        d.ellipse((x - 6, y - 6, x + 6, y + 6), fill=ph_colour(ph))
        lw = text_w(d, label, f_label)
        lx = x + 10 if x + 10 + lw <= w - 20 else x - 10 - lw
        d.text((lx, y - 11), label, font=f_label, fill=TEXT)
    save(img, out)


def draw_ionisation(out: Path) -> None:
    """Ten acid molecules in water: a strong acid gives up every proton, a weak one only a few."""
    w, h = 1500, 560
    img = Image.new("RGB", (w, h), BG)
    d = ImageDraw.Draw(img)
    f_title, f_head = font("VeraBd.ttf", 30), font("VeraBd.ttf", 24)
    f_label, f_small, f_tiny = font("Vera.ttf", 19), font("VeraBd.ttf", 15), font("VeraBd.ttf", 12)
    d.text((40, 22), "Strong and weak acids in water", font=f_title, fill=INK)
    f_head_small = font("VeraBd.ttf", 17)
    panels = [(40, "Strong acid (HCl)", 10, "all 10 molecules ionised"),
              (770, "Weak acid (CH_3COOH)", 1, "about 1 in 10 ionised (here; far fewer in practice)")]  # fmt: skip
    for left, title, ionised, note in panels:
        right = left + 690
        d.rounded_rectangle(
            (left, 90, right, 500), radius=18, outline=GRID, width=3, fill=(246, 249, 253)
        )
        formula(d, left + 24, 106, title, f_head, f_head_small, INK)
        for i in range(10):
            cx = left + 80 + (i % 5) * 130
            cy = 220 + (i // 5) * 140
            if i < ionised:
                d.ellipse((cx - 30, cy - 30, cx + 30, cy + 30), fill=ACID)
                centred_formula(d, cx, cy - 10, "A^-", f_small, f_tiny, BG)
                d.ellipse((cx + 26, cy - 62, cx + 60, cy - 28), fill=PROTON)
                centred_formula(d, cx + 43, cy - 54, "H^+", f_small, f_tiny, BG)
            else:
                d.ellipse((cx - 30, cy - 30, cx + 30, cy + 30), fill=mix(ACID, BG, 0.55))
                d.ellipse((cx + 14, cy - 40, cx + 38, cy - 16), fill=mix(PROTON, BG, 0.35))
                centred(d, cx, cy - 10, "HA", f_small, INK)
        d.text((left + 24, 456), note, font=f_label, fill=TEXT)
    save(img, out)


def titration_ph(v_base: float) -> float:
    """pH of 25.0 mL of 0.100 M HCl after v_base mL of 0.100 M NaOH (strong acid, strong base)."""
    acid, base = 25.0 * 0.100, v_base * 0.100  # mmol
    volume = 25.0 + v_base
    if abs(acid - base) < 1e-9:
        return 7.0
    if acid > base:
        return -math.log10((acid - base) / volume)
    return 14.0 + math.log10((base - acid) / volume)


def draw_titration(out: Path) -> None:
    """pH against base added: a flat start, a steep jump at the equivalence point, a flat end."""
    w, h = 1500, 640
    img = Image.new("RGB", (w, h), BG)
    d = ImageDraw.Draw(img)
    f_title, f_axis = font("VeraBd.ttf", 30), font("Vera.ttf", 19)
    f_tick, f_note = font("Vera.ttf", 17), font("VeraBd.ttf", 19)
    d.text((40, 22), "Titration of a strong acid with a strong base", font=f_title, fill=INK)
    gx0, gx1, gy0, gy1 = 130, 1420, 560, 90  # plot area: x right, y up
    vmax = 50.0

    def px(v: float) -> float:
        return gx0 + (gx1 - gx0) * v / vmax

    def py(ph: float) -> float:
        return gy0 - (gy0 - gy1) * ph / 14

    for ph in range(0, 15, 2):
        d.line((gx0, py(ph), gx1, py(ph)), fill=GRID, width=1)
        s = str(ph)
        d.text((gx0 - 14 - text_w(d, s, f_tick), py(ph) - 10), s, font=f_tick, fill=AXIS)
    for v in range(0, 51, 10):
        d.line((px(v), gy0, px(v), gy0 + 8), fill=AXIS, width=2)
        centred(d, px(v), gy0 + 12, str(v), f_tick, AXIS)
    d.line((gx0, gy0, gx1, gy0), fill=AXIS, width=3)
    d.line((gx0, gy0, gx0, gy1), fill=AXIS, width=3)
    centred(d, (gx0 + gx1) / 2, gy0 + 40, "volume of 0.100 M NaOH added (mL)", f_axis, INK)
    label = "pH"
    d.text((gx0 - 100, gy1 - 6), label, font=f_note, fill=INK)
    points = [(px(v), py(titration_ph(v))) for v in [i * 0.05 for i in range(int(vmax / 0.05) + 1)]]
    d.line(points, fill=ACID, width=5, joint="curve")
    ex, ey = px(25.0), py(7.0)
    d.line((ex, gy0, ex, ey), fill=BASE, width=2)
    d.ellipse((ex - 10, ey - 10, ex + 10, ey + 10), fill=BASE, outline=BG, width=3)
    d.text((ex + 22, ey - 12), "equivalence point: 25.0 mL, pH 7", font=f_note, fill=BASE)
    d.text((gx0 + 30, py(2.4) - 40), "acid in excess", font=f_axis, fill=TEXT)
    d.text((px(36), py(12.0) + 24), "base in excess", font=f_axis, fill=TEXT)
    save(img, out)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    draw_ph_scale(out / "ph-scale.png")
    draw_ionisation(out / "strong-weak.png")
    draw_titration(out / "titration.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
