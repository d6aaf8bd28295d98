"""`studypack calibrate`: one duplex test sheet whose rulers show the offset to enter as --cards-offset.

The front carries two millimetre rulers crossing at a point P; the back carries a thin cross
drawn where P's back should be. Held against the light, the back's lines cross the rulers
at the printer's error, and the ruler labels are already the correction: X moves backs to the
right and Y moves them up, as seen on the back page (the same sense `cards.offset` has).
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from studypack.errors import Diagnostic, ProblemsFound, Report, Span
from studypack.fonts import register_pdf_family
from studypack.output import write_atomic
from studypack.plan.card_geometry import Rect, mirror
from studypack.theme import Theme, load_theme
from studypack.units import MM, PAPER_SIZES

RULER_MM = 15  # ticks from -15 to +15 mm around P


def calibration_point(page: tuple[float, float]) -> tuple[float, float]:
    """P lies off both centre lines, so a sheet flipped on the wrong edge shows no cross at all."""
    return (page[0] * 0.42, page[1] * 0.55)


def back_point(page: tuple[float, float], duplex: str) -> tuple[float, float]:
    x, y = calibration_point(page)
    r = mirror(Rect(x, y, 0, 0), page, duplex)
    return (r.x, r.y)


def ruler_label(k: float, axis: str, duplex: str) -> float:
    """The correction printed at the front tick k mm from P (k > 0: right of / above P).

    A printer that shifts the back by e (back page frame) shows the back's line at the front
    tick k = -e on a mirrored axis and k = +e on an unmirrored one; the correction is -e.
    """
    mirrored = (axis == "x") == (duplex != "short-edge")
    return k if mirrored else -k


def sheet(paper: str, duplex: str, fontname: str) -> bytes:
    page = PAPER_SIZES[paper]
    mode = "short-edge" if duplex == "short-edge" else "long-edge"
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=page, invariant=1, pageCompression=1)
    c.setTitle(f"studypack duplex calibration ({paper}, {mode})")
    c.setCreator("studypack")
    _front(c, page, mode, fontname, duplex)
    c.showPage()
    _back(c, page, mode, fontname)
    c.showPage()
    c.save()
    return buf.getvalue()


def _text(c: Canvas, lines: list[str], x: float, y: float, fontname: str, size: float) -> None:
    c.setFillColor(HexColor("#1A1A1A"))
    for i, line in enumerate(lines):
        c.setFont(fontname, size)
        c.drawString(x, y - i * size * 1.35, line)


def _front(
    c: Canvas, page: tuple[float, float], mode: str, fontname: str, theme_duplex: str
) -> None:
    h = page[1]
    edge = mode.replace("-", " ")
    lines = [
        "1.  Print this sheet two-sided, flipped on the "
        + edge
        + ", at 100 % (\u201cactual size\u201d, not \u201cfit to page\u201d),",
        "     on the paper and from the tray you will use for the cards.",
        "2.  Hold it against a window or a lamp with this side towards you.",
        "3.  X: read the horizontal ruler where the back\u2019s vertical line crosses it.",
        "     Y: read the vertical ruler where the back\u2019s horizontal line crosses it.  (Between ticks: halves are fine.)",
        "4.  Build with  studypack build --cards-offset X,Y   or set  cards: {offset: [X, Y]}  in your theme.",
        "     The value replaces any offset you set before; 0,0 means your printer is already exact.",
        "If no cross shows near the rulers, the printer flipped on the other edge: switch cards.duplex",
        "between long-edge and short-edge (and print this sheet again with that setting).",
    ]
    if theme_duplex == "fold":
        lines.append("Your theme uses the fold layout, which prints one-sided and needs no offset.")
    c.setFont(fontname, 16)
    c.drawString(20 * MM, h - 22 * MM, f"Duplex calibration \u2014 FRONT ({edge})")
    _text(c, lines, 20 * MM, h - 32 * MM, fontname, 8.5)
    px, py = calibration_point(page)
    c.setStrokeColor(HexColor("#000000"))
    c.setLineWidth(0.3)
    c.line(px - (RULER_MM + 2) * MM, py, px + (RULER_MM + 2) * MM, py)
    c.line(px, py - (RULER_MM + 2) * MM, px, py + (RULER_MM + 2) * MM)
    c.circle(px, py, 1.2 * MM)
    c.setFillColor(HexColor("#1A1A1A"))
    for k in range(-RULER_MM, RULER_MM + 1):
        tick = (3.0 if k % 5 == 0 else 1.6) * MM
        x, y = px + k * MM, py + k * MM
        c.line(x, py - tick / 2, x, py + tick / 2)  # ticks on the horizontal (X) ruler
        c.line(px - tick / 2, y, px + tick / 2, y)  # ticks on the vertical (Y) ruler
        if k % 5 == 0 and k != 0:
            # Labels in a pinwheel (one set per quadrant), so the two rulers' labels never collide.
            c.setFont(fontname, 6)
            c.drawCentredString(
                x, py - 4.5 * MM if k > 0 else py + 2.5 * MM, f"{ruler_label(k, 'x', mode):+g}"
            )
            label = f"{ruler_label(k, 'y', mode):+g}"
            if k > 0:
                c.drawString(px + 2.2 * MM, y - 2, label)
            else:
                c.drawRightString(px - 2.2 * MM, y - 2, label)
    c.setFont(fontname, 7)
    c.drawString(px + (RULER_MM + 3) * MM, py - 2, "X (mm)")
    c.drawCentredString(px, py + (RULER_MM + 4) * MM, "Y (mm)")


def _back(c: Canvas, page: tuple[float, float], mode: str, fontname: str) -> None:
    h = page[1]
    c.setFont(fontname, 16)
    c.setFillColor(HexColor("#1A1A1A"))
    c.drawString(20 * MM, h - 22 * MM, "Duplex calibration \u2014 BACK")
    _text(
        c,
        ["Read the offset from the front side, holding the sheet against the light."],
        20 * MM,
        h - 32 * MM,
        fontname,
        8.5,
    )
    bx, by = back_point(page, mode)
    c.setStrokeColor(HexColor("#C00000"))
    c.setLineWidth(0.35)
    arm = (RULER_MM + 10) * MM
    c.line(bx - arm, by, bx + arm, by)
    c.line(bx, by - arm, bx, by + arm)


def write_calibration_sheet(paper: str, theme: str, output: Path) -> str:
    """Write the test sheet for the theme's duplex mode; the mode to print it in.

    Problems (an unknown theme, an unwritable file) are raised as ProblemsFound, never raw."""
    report = Report()
    loaded: Theme | None = load_theme(theme, report, Span("--theme"))
    if loaded is None:
        raise ProblemsFound(report.sorted())
    data = sheet(paper, loaded.cards.duplex, register_pdf_family(loaded.fonts.heading).regular)
    try:
        write_atomic(output, data)
    except OSError as e:
        raise ProblemsFound(
            [Diagnostic(str(output), 0, 0, "error", f"cannot write: {e.strerror or e}")]
        ) from None
    return "short-edge" if loaded.cards.duplex == "short-edge" else "long-edge"
