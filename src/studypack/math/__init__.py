"""Math engine: LaTeX in, alt text, OMML for decks, vector drawings and PNGs out.

Importing this package is cheap: only `split_inline` (pure text) loads eagerly; the rest
loads latex2mathml and ziamath on first use (ziamath only for an equation the math cache
lacks; svglib and resvg only for an SVG outlines.py does not read), so a pack without math never
imports them. Pictures are drawn by studypack.picture (aggdraw and Pillow). Nothing here imports studypack.render or studypack.plan. Typeset equations,
their PDF outlines and the deck's pictures are kept between builds in the math cache
(studypack.math.cache: $XDG_CACHE_HOME/studypack/math; STUDYPACK_NO_MATH_CACHE=1 turns it off).

    split_inline(text) -> list[str | InlineMath]    `$…$` by pandoc's rule; `\\$` is a dollar
    lone_equation(text) -> InlineMath | None        the text is one equation and nothing else
    parse(latex, span, report) -> Formula | None    located `math: …` error, never raises
    spoken(formula) -> str                          alt text ("fraction a over b, end fraction")
    measure(formula, size_pt, display) -> Box       width, height, depth in points (typeset)
    to_drawing(formula, size_pt, color, display)    MathDrawing: reportlab vector outlines
    DisplayMath(drawing)                            Flowable, centred in its frame
    to_png(formula, size_pt, color, display, dpi)   transparent PNG (deck fallback picture)
    to_omml(formula, display, RunStyle)             m:oMath / m:oMathPara XML string
    a14_math(formula, display, RunStyle)            <a14:m> element, a child of a:p
    equation_shape(formula, id, name, box_emu, RunStyle) -> p:sp text box of one equation
    alternate_content(sp, picture_rid)              PowerPoint's mc:AlternateContent around sp

Deck: a shape whose paragraphs hold `a14_math(...)` must be wrapped by
`alternate_content(sp, rid)`, rid naming a picture of the *whole shape* (PowerPoint's own
form). A display equation is therefore best a text box of its own (`equation_shape`, sized by
`measure`, picture `to_png` at the same size); inline math inside a bulleted placeholder
would need a picture of the whole placeholder.

Handout/cards, inline math on the baseline: reserve the box in a Paragraph with
`<img src="<1x1 transparent png>" width="W" height="H+D" valign="-D"/>` (reportlab sets the
line's ascent and descent from it, so leading and fitting stay right) and draw the vector
drawing at that spot with an `<onDraw name="…" label="…"/>` callback placed just before it
(the callback gets the canvas and reads the current text position). Prefer this to a PNG in
`<img>`: the equation stays vector outlines, and the PDF can carry the LaTeX as alt text.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from studypack.math.inline import InlineMath, lone_equation, split_inline

_LAZY = {
    "Formula": "formula",
    "parse": "formula",
    "known_commands": "formula",
    "spoken": "speech",
    "Box": "typeset",
    "measure": "typeset",
    "to_png": "typeset",
    "to_drawing": "drawing",
    "MathDrawing": "drawing",
    "DisplayMath": "drawing",
    "RunStyle": "omml",
    "to_omml": "omml",
    "a14_math": "office",
    "equation_shape": "office",
    "alternate_content": "office",
}

if TYPE_CHECKING:
    from studypack.math.drawing import DisplayMath, MathDrawing, to_drawing
    from studypack.math.formula import Formula, known_commands, parse
    from studypack.math.office import a14_math, alternate_content, equation_shape
    from studypack.math.omml import RunStyle, to_omml
    from studypack.math.speech import spoken
    from studypack.math.typeset import Box, measure, to_png

__all__ = [
    "InlineMath",
    "lone_equation",
    "split_inline",
    "Formula",
    "parse",
    "known_commands",
    "spoken",
    "Box",
    "measure",
    "to_png",
    "to_drawing",
    "MathDrawing",
    "DisplayMath",
    "RunStyle",
    "to_omml",
    "a14_math",
    "equation_shape",
    "alternate_content",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f"studypack.math.{_LAZY[name]}"), name)
        globals()[name] = value  # found directly from now on (renderers import names per call)
        return value
    raise AttributeError(f"module 'studypack.math' has no attribute {name!r}")
