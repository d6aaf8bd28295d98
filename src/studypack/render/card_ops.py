"""PDF content operators for the flashcards, each formatted once and reused.

Thousands of cards repeat the same slots, frames, colours and often the same text, and
reportlab's per-call number formatting and text objects dominated drawing them. The strings
here are exactly what the equivalent Canvas calls write (drawString, roundRect, line,
setFillColor), so the PDF is the same; they go into the page with Canvas.addLiteral.
Colours are opaque and leave the canvas's colour state alone: the renderer sets nothing else
from it.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import PATH_OPS, Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

from studypack.plan.card_geometry import Rect
from studypack.render._compat_reportlab import document, is_dynamic_font

Mark = tuple[float, float, float, float]


class Ops:
    """Operator strings for one canvas (font subsets belong to its document)."""

    def __init__(self, canvas: Canvas):
        self.c = canvas
        self.doc = document(canvas)  # dynamic (TrueType) fonts number their subsets per document
        self._num: dict[float, str] = {}
        self._colors: dict[tuple[str, str], str] = {}
        self._frames: dict[tuple[float, float, float, float, float], str] = {}
        self._marks: dict[tuple[Mark, ...], str] = {}
        self._shows: dict[tuple[str, float, str], str | None] = {}
        self._dynamic: dict[str, bool] = {}

    def num(self, v: float) -> str:
        s = self._num.get(v)
        if s is None:
            s = self._num[v] = fp_str(v)
        return s

    def color(self, hex_color: str, op: str) -> str:
        """'r g b rg' (fill) or 'r g b RG' (stroke), as Canvas.setFillColor/setStrokeColor write it."""
        key = (hex_color, op)
        s = self._colors.get(key)
        if s is None:
            c = HexColor(hex_color)
            s = self._colors[key] = f"{fp_str((c.red, c.green, c.blue))} {op}"
        return s

    def frame(self, r: Rect, radius: float) -> str:
        """A stroked rounded rectangle (Canvas.roundRect with stroke=1, fill=0)."""
        key = (r.x, r.y, r.w, r.h, radius)
        s = self._frames.get(key)
        if s is None:
            code: list[str] = []
            PDFPathObject(code=code).roundRect(r.x, r.y, r.w, r.h, radius)
            code.append(PATH_OPS[1, 0, self.c._fillMode])
            s = self._frames[key] = "\n".join(code)
        return s

    def lines(self, marks: tuple[Mark, ...]) -> str:
        """Stroked segments (Canvas.line each)."""
        s = self._marks.get(marks)
        if s is None:
            n = self.num
            s = "\n".join(f"n {n(x1)} {n(y1)} m {n(x2)} {n(y2)} l S" for x1, y1, x2, y2 in marks)
            self._marks[marks] = s
        return s

    def is_dynamic(self, font: str) -> bool:
        d = self._dynamic.get(font)
        if d is None:
            d = self._dynamic[font] = is_dynamic_font(font)
        return d

    def text(self, x: float, y: float, font: str, size: float, text: str) -> str | None:
        """A one-line text object as Canvas.setFont + drawString write it (TrueType fonts), or
        None for another kind of font (the caller then uses the Canvas)."""
        key = (font, size, text)
        if key in self._shows:
            show = self._shows[key]
        else:
            show = self._shows[key] = self._show(font, size, text)
        if show is None:
            return None
        return f"BT 1 0 0 1 {self.num(x)} {self.num(y)} Tm {show} T* ET"

    def _show(self, font: str, size: float, text: str) -> str | None:
        if not self.is_dynamic(font):
            return None
        f = pdfmetrics.getFont(font)
        tf = f"{fp_str(size)} Tf {fp_str(size * 1.2)} TL"
        parts = []
        for subset, chunk in f.splitString(text, self.doc):
            # Each text object starts with no subset selected, so every chunk names its own.
            parts.append(f"{f.getSubsetInternalName(subset, self.doc)} {tf}")
            parts.append(f"({escapePDF(chunk)}) Tj")
        return " ".join(parts)
