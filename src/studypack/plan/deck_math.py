"""Display equations on slides: an empty paragraph of the equation's typeset height holds its
place in the text flow; the equation itself is a text box of its own placed over that slot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studypack.errors import Report
from studypack.fit import count_lines
from studypack.inline import Run
from studypack.model import Math
from studypack.plan.deck_fit import LINE, WIDTH_SAFETY, Box, Fitter, Para
from studypack.plan.deck_inline import count_math_lines, has_math

MATH_SIZE = 24.0  # pt: as large as a first-level point
PAD = 4.0  # pt kept free above and below an equation inside its slot
MAX_SHARE = 0.6  # an equation takes at most this share of the body's height
# Clients and our metrics agree on a line's width to within this share of it (LibreOffice
# draws Liberation Sans, PowerPoint Arial, with the same advances); a wrap decided by less may
# go either way.
CLIENT_TOLERANCE = 0.005


@dataclass(frozen=True)
class HeldPara(Para):
    """A paragraph above a display equation, with the number of lines clients draw it in:
    the equation below is placed by it. `margin_right` (marR) narrows the client's line where
    its wrap would otherwise be a matter of rounding."""

    margin_right: float = 0.0
    lines: int = 1


@dataclass(frozen=True)
class EquationPara(Para):
    """The slot of a display equation in the text flow: no runs, one line `line_height` tall."""

    math: Math | None = None
    math_size: float = MATH_SIZE  # the size it is typeset at (shrunk to fit the box)
    width: float = 0.0  # its typeset width in pt
    depth: float = 0.0  # height + depth in pt (the picture's height)


@dataclass(frozen=True)
class PlacedEquation:
    """A display equation's own text box on a slide, in points."""

    math: Math
    frame: Box
    size: float
    alt: str


def math_para(math: Math, box: Box) -> Para:
    """A math block as one slot of the text flow, sized by its real typeset box, shrunk to
    the box's width (and to a share of its height) when larger."""
    from studypack.math import measure, parse

    formula = parse(math.latex, math.span, Report())  # checked when the pack loaded
    if formula is None:  # unreachable after loading; the source in the code font then
        source = " ".join(math.latex.split())
        return Para((Run(source, code=True),), 20.0, space_before=8.0, align="ctr")
    size = MATH_SIZE
    m = measure(formula, size, display=True)
    room_w = box.text_width * WIDTH_SAFETY
    room_h = box.text_height * MAX_SHARE - 2 * PAD
    scale = min(1.0, room_w / m.width if m.width else 1.0, room_h / (m.height + m.depth))
    if scale < 1.0:
        size *= scale
        m = measure(formula, size, display=True)
    tall = m.height + m.depth
    return EquationPara(
        (), (tall + 2 * PAD) / LINE, space_before=MATH_SIZE * 0.4, align="ctr",
        math=math, math_size=size, width=m.width, depth=tall,
    )  # fmt: skip


def place_equations(fit: Fitter, paras: Sequence[Para], frame: Box) -> tuple[PlacedEquation, ...]:
    """Each equation slot's text box: centred in the frame's text width, centred in its slot,
    the slot found by adding up the paragraphs' heights as the fitter measures them."""
    out: list[PlacedEquation] = []
    top = frame.y + frame.inset_y
    for i, para in enumerate(paras):
        if i:
            top += para.space_before
        lines = para.lines if isinstance(para, HeldPara) else fit.lines(para, frame)
        height = lines * para.line_height
        if isinstance(para, EquationPara) and para.math is not None:
            x = frame.x + frame.inset_x + (frame.text_width - para.width) / 2
            y = top + (para.line_height - para.depth) / 2
            alt = para.math.alt or _spoken(para.math)
            out.append(
                PlacedEquation(para.math, Box(x, y, para.width, para.depth), para.math_size, alt)
            )
        top += height
    return tuple(out)


def hold_lines(fit: Fitter, paras: Sequence[Para], frame: Box) -> tuple[Para, ...]:
    """The paragraphs with every one above an equation slot held to a line count every
    client draws.

    The fitter keeps a safety share of each line free, so a line that fills the last few
    percent of the box is two lines to it and one to a client: placed by the fitter's count,
    the equation stays put while the text below moves up over it. So an equation is placed by
    the lines a client draws at the paragraph's full width; where that is a matter of
    rounding (a line within CLIENT_TOLERANCE of the width), a right margin makes the client
    break where the fitter does.
    """
    last = max((i for i, p in enumerate(paras) if isinstance(p, EquationPara)), default=-1)
    return tuple(
        _held(fit, p, frame) if i < last and not isinstance(p, EquationPara) else p
        for i, p in enumerate(paras)
    )


def _held(fit: Fitter, para: Para, frame: Box) -> Para:
    fields = {f: getattr(para, f) for f in para.__dataclass_fields__}
    full = frame.text_width - para.margin
    tol = CLIENT_TOLERANCE * full
    n = _count(fit, para, full - tol)
    if not para.runs or _count(fit, para, full + tol) == n:
        return HeldPara(**fields, lines=n)  # every client wraps it alike at the full width
    # The fitter's count, and the narrowest width that takes fewer lines: between the
    # fitter's width and full + tol.
    n = fit.lines(para, frame)
    keeps, fewer = fit.width(para, frame), full + tol
    for _ in range(24):
        mid = (keeps + fewer) / 2
        keeps, fewer = (mid, fewer) if _count(fit, para, mid) == n else (keeps, mid)
    width = min(full, max(fewer - tol, (fit.width(para, frame) + fewer) / 2))
    return HeldPara(**fields, margin_right=round(full - width, 2), lines=n)


def drawn_width(fit: Fitter, para: Para, frame: Box) -> float:
    """The width a paragraph's lines are broken at in a picture of its shape: a held
    paragraph's as clients draw it, any other the fitter's."""
    if isinstance(para, HeldPara):
        return frame.text_width - para.margin - para.margin_right
    return fit.width(para, frame)


def _count(fit: Fitter, para: Para, width: float) -> int:
    if has_math(para.runs):
        return count_math_lines(para.runs, fit.body, para.size, width)
    return max(1, count_lines(para.runs, fit.body, para.size, width))


def _spoken(math: Math) -> str:
    from studypack.math import parse, spoken

    formula = parse(math.latex, math.span, Report())
    return spoken(formula) if formula is not None else math.latex


def without_slots(paras: Sequence[Para]) -> bool:
    """True when no paragraph is an equation slot (nothing to place)."""
    return not any(isinstance(p, EquationPara) for p in paras)


__all__ = [
    "MATH_SIZE",
    "EquationPara",
    "HeldPara",
    "drawn_width",
    "PlacedEquation",
    "hold_lines",
    "math_para",
    "place_equations",
]
