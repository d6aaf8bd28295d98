"""Inline `$…$` math in deck text: runs that hold an equation, measured by its typeset box.

A `MathRun` is a run whose text is the equation's LaTeX. Line breaking treats it as one
unbreakable box as wide as the typeset equation (it joins the words it touches, so "$v$-axis"
stays together), and a paragraph holding math gets a line pitch tall enough for its tallest
equation. Text without `$` never reaches the math engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from studypack.errors import Report, Span
from studypack.fit import (
    SPACE_TOKENS,
    ZWSP,
    FontSet,
    SpacedGroup,
    char_width,
    greedy_lines,
    token_stream,
)
from studypack.inline import Run, runs_with_math
from studypack.units import LEADING

# Text's extent around its baseline as a share of the size (Arial/Liberation Sans): the
# ascenders and capitals above, the descenders below. Lines of text at 1.2 x size leave 0.24 x
# size between one line's descenders and the next one's capitals: an equation may use that room.
TEXT_ASCENT = 0.75
TEXT_DESCENT = 0.21
BASELINE_DROP = 0.2  # text's baseline lies this share of the size above its line's foot
MATH_GAP = 0.1  # of the size: kept free between the lines of a paragraph holding math


@dataclass(frozen=True)
class MathRun(Run):
    """An inline equation; `text` is its LaTeX source (what plain-text readers show), typeset
    at the paragraph's size times `scale` (below 1 only for an equation wider than the line)."""

    scale: float = 1.0


def is_math(run: Run) -> bool:
    """A run drawn as an equation (a math run emptied to a space by a cut is a space)."""
    return isinstance(run, MathRun) and bool(run.text.strip())


def has_math(runs: Sequence[Run]) -> bool:
    return any(isinstance(r, MathRun) for r in runs)


def deck_runs(text: str) -> tuple[Run, ...]:
    """Inline Markdown as runs, each `$…$` (pandoc's rule) a MathRun; `\\$` is a dollar."""
    return runs_with_math(text, lambda latex: MathRun(" ".join(latex.split())))


@dataclass(frozen=True)
class MathBox:
    width: float
    height: float
    depth: float


@lru_cache(maxsize=4096)
def math_box(latex: str, size: float) -> MathBox:
    """The typeset equation's box in points at `size` (LaTeX the loader refused: its source)."""
    from studypack.math import measure, parse

    formula = parse(latex, Span("math"), Report())  # checked when the pack loaded
    if formula is None:
        return MathBox(len(latex) * size * 0.6, size * TEXT_ASCENT, size * TEXT_DESCENT)
    box = measure(formula, size)
    return MathBox(box.width, box.height, box.depth)


def run_box(run: Run, size: float) -> MathBox:
    """A math run's box in a paragraph of `size` pt."""
    return math_box(run.text, round(size * getattr(run, "scale", 1.0), 2))


@lru_cache(maxsize=4096)
def _extent(latex: tuple[tuple[str, float], ...], size: float) -> tuple[float, float]:
    boxes = [math_box(x, round(size * k, 2)) for x, k in latex]
    above = max([size * TEXT_ASCENT] + [b.height for b in boxes])
    below = max([size * TEXT_DESCENT] + [b.depth for b in boxes])
    return above, below


def _latex(runs: Sequence[Run]) -> tuple[tuple[str, float], ...]:
    return tuple((r.text, getattr(r, "scale", 1.0)) for r in runs if is_math(r))


def math_pitch(runs: Sequence[Run], size: float) -> float:
    """Line pitch of a paragraph at `size`: the text's, or more when its equations reach into
    the room between lines (every line of a paragraph has one pitch)."""
    pitch = round(size * LEADING, 2)
    latex = _latex(runs)
    if not latex:
        return pitch
    above, below = _extent(latex, size)
    return round(max(pitch, above + below + MATH_GAP * size), 2)


def baseline_in_line(runs: Sequence[Run], size: float, pitch: float) -> float:
    """How far below a line's top its baseline lies: where LibreOffice sets text in an exact
    pitch, raised only as far as its equations' depth needs (the pitch holds their height)."""
    below = _extent(_latex(runs), size)[1] if _latex(runs) else 0.0
    return pitch - max(BASELINE_DROP * size, below)


@dataclass(frozen=True)
class LinePiece:
    """A stretch of one run on one line; for a math run the whole equation."""

    text: str
    run: Run
    width: float


def math_lines(
    runs: Sequence[Run], fonts: FontSet, size: float, width: float
) -> list[list[LinePiece]]:
    """Greedy line breaking as studypack.fit.break_lines, each equation one unbreakable box
    that joins the words it touches; a group wider than the line stands alone on it."""
    return greedy_lines(_spaced(_groups(runs, fonts, size)), width)


def _spaced(groups: list[list[LinePiece]]) -> list[SpacedGroup[LinePiece]]:
    """The groups that are not spaces, each with its width and the space before it. A group
    led by a space stands for that space alone: what follows the space in it is left out."""
    out: list[SpacedGroup[LinePiece]] = []
    add = out.append
    space: LinePiece | None = None
    space_w = 0.0
    for group in groups:
        first = group[0]
        if first.text in SPACE_TOKENS and not is_math(first.run):
            space, space_w = first, first.width
        else:
            add((space, space_w, group, sum(p.width for p in group)))
            space, space_w = None, 0.0
    return out


def _groups(runs: Sequence[Run], fonts: FontSet, size: float) -> list[list[LinePiece]]:
    """Unbreakable groups: words (across runs), each equation joined to the words it touches."""
    out: list[list[LinePiece]] = []
    glued = False  # the last group ends in a word or an equation (no space after it)
    for chunk in _chunks(runs):
        if is_math(chunk[0]):
            run = chunk[0]
            piece = LinePiece(run.text, run, run_box(run, size).width)
            if glued and out:
                out[-1].append(piece)
            else:
                out.append([piece])
            glued = True
            continue
        first = True
        for run, tok, joins in token_stream(chunk):
            # token_stream gives the spaces a line may break at as " " (or ZWSP); a token led
            # by a no-break space ("\u00a0!" in French) is a word, drawn whole
            piece = LinePiece(tok, run, _width(tok, run, fonts, size))
            space = tok in (" ", ZWSP)
            if space:
                out.append([piece])
            elif (joins or (first and glued)) and out:
                out[-1].append(piece)
            else:
                out.append([piece])
            glued, first = not space, False
    return out


def _chunks(runs: Sequence[Run]) -> list[tuple[Run, ...]]:
    """Runs cut into stretches of text runs and single equations."""
    out: list[tuple[Run, ...]] = []
    text: list[Run] = []
    for run in runs:
        if is_math(run):
            if text:
                out.append(tuple(text))
                text = []
            out.append((run,))
        else:
            text.append(run if not isinstance(run, MathRun) else Run(run.text))
    if text:
        out.append(tuple(text))
    return out


def _width(text: str, run: Run, fonts: FontSet, size: float) -> float:
    fontname = fonts.name_for(run)
    return sum(char_width(c, fontname) for c in text) * size / 1000.0


def count_math_lines(runs: Sequence[Run], fonts: FontSet, size: float, width: float) -> int:
    return max(1, len(math_lines(runs, fonts, size, width)))


__all__ = [
    "MathRun",
    "baseline_in_line",
    "count_math_lines",
    "deck_runs",
    "has_math",
    "is_math",
    "math_box",
    "run_box",
    "math_lines",
    "math_pitch",
    "natural_widths",
]


_REF = 20.0  # pt: equations are measured at this size and scaled for widths "at 1 pt"


def natural_widths(runs: Sequence[Run], fonts: FontSet) -> tuple[float, float]:
    """(whole width, widest unbreakable group) of the runs set at 1 pt, equations by their
    typeset width (measured at 20 pt and scaled: a table sizes its columns from these)."""
    lines = math_lines(runs, fonts, _REF, float("inf"))
    whole = sum(p.width for line in lines for p in line) / _REF
    widest = max((sum(p.width for p in g) for g in _groups(runs, fonts, _REF)), default=0.0)
    return whole, widest / _REF
