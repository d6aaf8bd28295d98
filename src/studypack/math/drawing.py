"""Typeset equations as reportlab drawings, in vector outlines: what the handout and the
flashcards draw (the deck never loads reportlab's graphics for them)."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isString
from reportlab.platypus import Flowable

from studypack.math.formula import Formula
from studypack.math.outlines import Outlines, shapes
from studypack.math.outlines import read as read_outlines
from studypack.math.typeset import BASE_SIZE, Box, base_svg, typeset


class MathDrawing(Drawing):
    """A reportlab Drawing of the equation in vector outlines; origin at the box's bottom-left.

    `box` gives the baseline: it lies `box.depth` points above the drawing's bottom edge.
    `draw_on` writes the outlines as ready-made PDF path operators (what the handout and the
    flashcards use); renderPDF.draw gives the same picture through reportlab's shapes.
    """

    _attrMap = AttrMap(
        BASE=Drawing, box=AttrMapValue(None), latex=AttrMapValue(isString),
        outlines=AttrMapValue(None), scale=AttrMapValue(None),
    )  # fmt: skip
    box: Box
    latex: str
    outlines: Outlines | None
    scale: float

    @property
    def contents(self) -> list[Any]:
        # reportlab's shapes of the outlines are made only when something walks the drawing
        pending = self.__dict__.pop("_pending", None)
        if pending is not None:
            self.__dict__["contents"].append(pending())
        return self.__dict__["contents"]

    @contents.setter
    def contents(self, value: list[Any]) -> None:
        self.__dict__["contents"] = value

    def draw_on(self, canv: Any, x: float, y: float) -> None:
        """The outlines with the box's bottom left at (x, y)."""
        if self.outlines is None:  # an SVG only svglib reads
            from reportlab.graphics import renderPDF

            renderPDF.draw(self, canv, x, y)
            return
        canv.saveState()
        canv.transform(self.scale, 0, 0, self.scale, x, y)
        canv.addLiteral(self.outlines.ops)
        canv.restoreState()


def to_drawing(
    formula: Formula, size_pt: float, color: str = "#000000", display: bool = False
) -> MathDrawing:
    """The equation in vector outlines, sized by its typeset box."""
    mathml = formula.display_mathml if display else formula.mathml
    box = typeset(formula, size_pt, color, display).box
    # The outlines are read once per equation and colour, at the base size, and scaled.
    k = size_pt / BASE_SIZE
    outlines = _outlines(mathml, display, color.lower())
    drawing = MathDrawing(box.width, box.height + box.depth)
    if outlines is not None:
        drawing.__dict__["_pending"] = lambda: _scaled_group(
            _shapes(mathml, display, color.lower()), k
        )
    else:  # svglib reads SVG user units as CSS pixels (0.75 pt): the scale undoes that too
        drawing.add(_scaled_group(_svglib_outlines(mathml, display, color.lower()), k / 0.75))
    drawing.box, drawing.latex = box, formula.latex
    drawing.outlines, drawing.scale = outlines, k
    return drawing


def _scaled_group(shapes: tuple[Any, ...], k: float) -> Group:
    group = Group(*shapes)
    group.scale(k, k)
    return group


@lru_cache(maxsize=512)
def _outlines(mathml: str, display: bool, color: str) -> Outlines | None:
    return read_outlines(base_svg(mathml, display, color))


@lru_cache(maxsize=512)
def _shapes(mathml: str, display: bool, color: str) -> tuple[Any, ...]:
    outlines = _outlines(mathml, display, color)
    return tuple(shapes(outlines)) if outlines is not None else ()


@lru_cache(maxsize=64)
def _svglib_outlines(mathml: str, display: bool, color: str) -> tuple[Any, ...]:
    from svglib.svglib import svg2rlg

    return tuple(svg2rlg(io.StringIO(base_svg(mathml, display, color))).contents)


class DisplayMath(Flowable):
    """A display equation centred in the frame, in vector outlines; its LaTeX is kept on it."""

    def __init__(self, drawing: MathDrawing, space_before: float = 0, space_after: float = 0):
        super().__init__()
        self.drawing = drawing
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self.latex = drawing.latex

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._avail = avail_width
        return avail_width, self.drawing.height

    def draw(self) -> None:
        x = max(0.0, (self._avail - self.drawing.width) / 2)
        self.drawing.draw_on(self.canv, x, 0)
