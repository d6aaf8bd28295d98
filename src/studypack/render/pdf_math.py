"""Inline `$…$` math in reportlab Paragraphs, typeset in vector outlines on the text baseline.

The markup reserves the equation's box with an `<img>` of a blank 1×1 PNG shipped with
studypack, at the typeset width, height + depth, lowered by the depth: reportlab lays the
line out around it (handout_para gives such lines the room they need). Just before it an
`<onDraw>` names the equation. While the paragraph draws, the callback queues the equation
with the text object being written, and MathCanvas.drawImage, called for the blank with the
exact spot (alignment and lowering applied), draws the vector outlines there instead, as a
Formula element between the text before and after it. No picture is embedded.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from studypack.errors import Report, Span
from studypack.render._compat_reportlab import diverted, draw_between_text, text_position
from studypack.render.pdf_tags import Tag, inline

CALLBACK = "studypack_math"
SLOT = str(
    Path(__file__).with_name("math_slot.png")
)  # a file: reportlab reads no data: URI untrusted


def escape_attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def inline_math_markup(latex: str, size: float, color: str) -> str | None:
    """Markup of the equation at `size` pt in `color` ('#RRGGBB'); None when it does not parse
    (the pack's loading reported it)."""
    from studypack.math import measure

    formula = _formula(latex)
    if formula is None:
        return None
    box = measure(formula, size)
    label = escape_attr(f"{size!r}|{color}|{latex}")
    return (
        f'<onDraw name="{CALLBACK}" label="{label}"/>'
        f'<img src="{escape_attr(SLOT)}" width="{box.width:.3f}" height="{box.height + box.depth:.3f}"'
        f' valign="{-box.depth:.3f}"/>'
    )


@lru_cache(maxsize=1024)
def _formula(latex: str) -> Any:
    from studypack.math import parse

    return parse(latex, Span("math"), Report())


@lru_cache(maxsize=1024)
def drawing(latex: str, size: float, color: str, display: bool = False) -> Any:
    """The equation's MathDrawing (origin at its box's bottom left), or None."""
    from studypack.math import to_drawing

    formula = _formula(latex)
    return None if formula is None else to_drawing(formula, size, color, display)


@lru_cache(maxsize=1024)
def spoken_form(latex: str) -> str:
    from studypack.math import spoken

    formula = _formula(latex)
    return latex if formula is None else spoken(formula)


def formula_tag(latex: str, alt: str | None = None) -> Tag:
    """A Formula element. PDF/UA-1 (7.7) asks a Formula for /Alt or /ActualText: /Alt is what a
    screen reader says (the spoken form, or the author's `alt:`), /ActualText the replacement
    text that copying and text extraction give, so the LaTeX source stays recoverable."""
    return Tag("Formula", alt=alt or spoken_form(latex), actual_text=latex)


def draw_formula(
    canv: Any, latex: str, size: float, color: str, x: float, y: float, display: bool = False
) -> float:  # fmt: skip
    """The equation's outlines with its box's bottom left at (x, y), tagged as a Formula inside
    the element being drawn; returns its width."""
    d = drawing(latex, size, color, display)
    if d is None:
        return 0.0
    with inline(canv, formula_tag(latex)):
        d.draw_on(canv, x, y)
    return float(d.width)


class MathCanvas:
    """Mixin for a reportlab Canvas class that draws the inline equations of Paragraphs."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._math_queue: list[tuple[str, Any, float]] = []
        self.setNamedCB(CALLBACK, _queue)  # type: ignore[attr-defined]

    def drawImage(self, image: Any, x: float, y: float, width: Any = None, height: Any = None,
                  *args: Any, **kw: Any) -> Any:  # fmt: skip
        if getattr(image, "fileName", None) != SLOT:
            return super().drawImage(image, x, y, width, height, *args, **kw)  # type: ignore[misc]
        if self._math_queue:
            label, tx, _ = self._math_queue.pop(0)
            size, color, latex = label.split("|", 2)
            with diverted(self) as code:
                draw_formula(self, latex, float(size), color, x, y)
            if tx is not None:
                # The text resumes on the equation's own line: the blank lies its depth below
                # the baseline. (The callback's line can be the one before: reportlab may end a
                # line with the zero-width callback and start the next with the equation.)
                d = drawing(latex, float(size), color)
                draw_between_text(tx, code, y + d.box.depth)
            else:  # no text object to break: the outlines go straight onto the page
                self.addLiteral(" ".join(code))  # type: ignore[attr-defined]
        return (width, height)


def _queue(canv: Any, kind: str, label: str | None) -> None:
    position = text_position(canv)
    tx, baseline = position if position is not None else (None, 0.0)
    canv._math_queue.append((label or "", tx, baseline))
