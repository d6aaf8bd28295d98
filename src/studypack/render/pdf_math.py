"""Inline `$…$` math in reportlab Paragraphs: a picture of the typeset equation on the baseline.

Each equation is a 300 dpi PNG from the math engine, placed with `<img>` at its typeset size
and lowered by its depth, so reportlab sets the line's ascent and descent from it and the
paragraph's height stays right. reportlab's `<img>` reads files only (data: URIs need a
global trust setting), so the pictures live in a temporary folder named by their content.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from pathlib import Path

from studypack.errors import Report, Span

DPI = 300
_folder: list[Path] = []


def _dir() -> Path:
    if not _folder:
        path = Path(tempfile.mkdtemp(prefix="studypack-math-"))
        atexit.register(shutil.rmtree, path, True)
        _folder.append(path)
    return _folder[0]


def inline_math_markup(latex: str, size: float, color: str) -> str | None:
    """`<img …/>` markup of the equation at `size` pt in `color` ('#RRGGBB'); None when it
    does not parse (the pack's loading reported it)."""
    from studypack.math import measure, parse, to_png

    formula = parse(latex, Span("math"), Report())
    if formula is None:
        return None
    box = measure(formula, size)
    png = to_png(formula, size, color, dpi=DPI)
    path = _dir() / (hashlib.sha256(png).hexdigest()[:24] + ".png")
    if not path.exists():
        path.write_bytes(png)
    return (
        f'<img src="{path}" width="{box.width:.3f}" height="{box.height + box.depth:.3f}"'
        f' valign="{-box.depth:.3f}"/>'
    )
