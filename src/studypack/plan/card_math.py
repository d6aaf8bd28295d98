"""Inline `$…$` math in card text: runs that stand for equations, measured by their typeset box.

An equation is a run of its own (MathRun) whose text is one stand-in character per copy, so
the ordinary tokenising keeps it one unbreakable word together with what touches it ("($x$),").
Widths, heights and depths come from the math engine at each size asked: typeset size is not
proportional to the font size (scripts stop shrinking at a minimum size), so nothing is scaled.
Text without math never comes here (wrap_lines hands it to studypack.fit.wrap).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from studypack.errors import Report, Span
from studypack.fit import (
    ZWSP,
    FontSet,
    Line,
    Piece,
    break_lines,
    groups,
    merge_pieces,
    text_width,
    wrap,
)
from studypack.inline import Run, runs_with_math
from studypack.math.inline import lone_equation
from studypack.units import LEADING

STAND_IN = "\ue000"  # a private-use character: a word character to the tokeniser, never drawn
ABOVE, BELOW = LEADING - 0.27, 0.27  # × size: a text line's room above and below its baseline
MATH_GAP = 0.12  # × size kept between an equation and the lines above and below


@dataclass(frozen=True)
class MathRun(Run):
    """Inline math: `text` is STAND_IN (once per copy when equal runs merge), `latex` the source;
    `display` for a card face that is one equation and nothing else (fractions and limits full
    size, as a display equation)."""

    latex: str = ""
    display: bool = False


def text_runs(text: str) -> tuple[Run, ...]:
    """Runs of card text: inline Markdown, with each `$…$` that parses as one MathRun (math is
    split off first, so `_` and `*` inside it are not emphasis)."""
    runs = runs_with_math(text, _math_run)
    if len(runs) == 1 and isinstance(runs[0], MathRun) and lone_equation(text) is not None:
        return (replace(runs[0], display=True),)
    return runs


def _math_run(latex: str) -> Run:
    if _box(latex, 10.0, False) is None:  # reported when the pack loaded; shown as typed
        return Run(f"${latex}$")
    return MathRun(STAND_IN, latex=latex)


def has_math(runs: Sequence[Run | Piece]) -> bool:
    return any(isinstance(r.run if isinstance(r, Piece) else r, MathRun) for r in runs)


def box(run: MathRun, size: float) -> tuple[float, float, float] | None:
    """(width, height, depth) in pt of the equation typeset at `size`; None when it does not parse."""
    return _box(run.latex, size, run.display)


@lru_cache(maxsize=8192)
def _box(latex: str, size: float, display: bool) -> tuple[float, float, float] | None:
    from studypack.math import measure, parse

    formula = parse(latex, Span("math"), Report(), display)
    if formula is None:
        return None
    b = measure(formula, size, display)
    return b.width, b.height, b.depth


def piece_width(piece: Piece, fonts: FontSet, size: float) -> float:
    run = piece.run
    if isinstance(run, MathRun):
        b = box(run, size)
        return len(piece.text) * b[0] if b else 0.0
    return text_width(piece.text, fonts.name_for(run), size)


def line_width(line: Sequence[Piece], fonts: FontSet, size: float) -> float:
    return sum(piece_width(p, fonts, size) for p in line)


def line_room(line: Sequence[Piece], size: float) -> tuple[float, float]:
    """(above, below) the baseline a line needs: a text line's, or more for a tall equation."""
    above, below = ABOVE * size, BELOW * size
    for piece in line:
        if isinstance(piece.run, MathRun):
            b = box(piece.run, size)
            if b is not None:
                above = max(above, b[1] + MATH_GAP * size)
                below = max(below, b[2] + MATH_GAP * size)
    return above, below


def lines_height(lines: Sequence[Line], size: float) -> float:
    if not any(has_math(line) for line in lines):
        return len(lines) * size * LEADING
    return sum(sum(line_room(line, size)) for line in lines)


def wrap_lines(runs: Sequence[Run], fonts: FontSet, size: float, width: float) -> tuple[Line, ...]:
    """Lines as studypack.fit.wrap breaks them, equations measured at `size`. A group holding an
    equation is never broken: when wider than the line it stands alone, wider (fitting then
    chooses a smaller size, see too_wide)."""
    if not has_math(runs):
        return wrap(runs, fonts, size, width)
    lines: list[list[Piece]] = []
    line: list[Piece] = []
    used = 0.0
    pending: Piece | None = None  # a space that only counts if something follows it
    for group in groups(runs):
        if group[0].text in (" ", ZWSP):
            if line:
                pending = group[0]
            continue
        w = line_width(group, fonts, size)
        space = piece_width(pending, fonts, size) if pending is not None and line else 0.0
        if line and used + space + w <= width:
            if pending is not None:
                line.append(pending)
            line += group
            used += space + w
        else:
            if line:
                lines.append(line)
            if w <= width or has_math(group):
                line, used = list(group), w
            else:  # a word wider than the line: broken between characters, as fit.wrap does
                parts = break_lines(
                    [replace(p.run, text=p.text) for p in group], fonts, size, width
                )
                lines += [[Piece(t, r) for t, _, r in part] for part in parts[:-1]]
                line = [Piece(t, r) for t, _, r in parts[-1]]
                used = line_width(line, fonts, size)
        pending = None
    if line:
        lines.append(line)
    return tuple(merge_pieces(ln) for ln in lines)


def too_wide(lines: Sequence[Line], fonts: FontSet, size: float, width: float) -> bool:
    """Whether a line with an equation overflows the width (text lines never do)."""
    return any(has_math(ln) and line_width(ln, fonts, size) > width + 1e-6 for ln in lines)
