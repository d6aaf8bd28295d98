"""Inline `$…$` math in reportlab Paragraphs: a picture of the typeset equation on the baseline.

Each equation is a 300 dpi PNG from the math engine, placed with `<img>` at its typeset size
and lowered by its depth, so reportlab sets the line's ascent and descent from it and the
paragraph's height stays right. The picture travels in the markup as a data: URI: reportlab
reads those only when its trust settings allow the scheme, so this module allows `data:` and
nothing else (no host, no file: URLs). No file is written, so nothing is left behind when the
CLI ends its process without the interpreter's teardown.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from reportlab import rl_config

from studypack.errors import Report, Span

DPI = 300
# Only data: URIs, which we write ourselves (pack text is escaped, so it cannot add an <img>).
rl_config.trustedHosts = ["data.invalid"]
rl_config.trustedSchemes = ["data"]


def inline_math_markup(latex: str, size: float, color: str) -> str | None:
    """`<img …/>` markup of the equation at `size` pt in `color` ('#RRGGBB'); None when it
    does not parse (the pack's loading reported it)."""
    from studypack.math import measure, parse

    formula = parse(latex, Span("math"), Report())
    if formula is None:
        return None
    box = measure(formula, size)
    return (
        f'<img src="{_data_uri(latex, size, color)}" width="{box.width:.3f}" height="{box.height + box.depth:.3f}"'
        f' valign="{-box.depth:.3f}"/>'
    )


@lru_cache(maxsize=1024)
def _data_uri(latex: str, size: float, color: str) -> str:
    from studypack.math import parse, to_png

    formula = parse(latex, Span("math"), Report())
    assert formula is not None  # parsed by the caller
    return "data:image/png;base64," + base64.b64encode(to_png(formula, size, color, dpi=DPI)).decode("ascii")
