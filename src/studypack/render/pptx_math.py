"""Display equations on slides: a native Office equation in a text box of its own, with a
picture of it as the fallback applications without OMML draw (math engine: studypack.math)."""

from __future__ import annotations

from lxml import etree

from studypack.errors import Report
from studypack.plan.deck_math import PlacedEquation
from studypack.render.pptx_slides import XML_UNSAFE, emu

# The fallback picture's resolution: only applications without OMML show it. 200 dpi is ~2.8 px
# a point, sharper than a 1080p projector (2) and than the slide's other fallback pictures
# (pptx_inline_math, 150 dpi); resvg's time grows with the area (300 dpi took twice as long).
DPI = 200


def equation_key(eq: PlacedEquation, hex_color: str) -> tuple[str, float, str]:
    """What makes two equations' pictures the same file."""
    return eq.math.latex, round(eq.size, 3), hex_color


def equation_png(eq: PlacedEquation, hex_color: str) -> bytes:
    from studypack.math import parse, to_png

    formula = parse(eq.math.latex, eq.math.span, Report())  # checked when the pack loaded
    assert formula is not None
    return to_png(formula, eq.size, f"#{hex_color}", display=True, dpi=DPI)


def equation_xml(
    eq: PlacedEquation, shape_id: int, picture_rid: str, lang: str, hex_color: str
) -> str:
    """The equation's text box (OMML) inside mc:AlternateContent with its picture as fallback."""
    from studypack.math import RunStyle, alternate_content, equation_shape, parse

    formula = parse(eq.math.latex, eq.math.span, Report())
    assert formula is not None
    f = eq.frame
    box = (emu(f.x), emu(f.y), emu(f.w), emu(f.h))
    style = RunStyle(lang=lang, size_pt=eq.size, color=hex_color)
    alt = XML_UNSAFE.sub("", eq.alt)
    sp = equation_shape(formula, shape_id, f"Equation {shape_id}", box, style, True, alt)
    return etree.tostring(alternate_content(sp, picture_rid), encoding="unicode")
