"""Card text: the largest size that fits a card's box (then shrink, then cut, with notes), and its lines placed."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from studypack.fit import (
    ELLIPSIS,
    LEADING,
    Fitted,
    FontSet,
    Line,
    Piece,
    clip,
    ellipsize,
    groups,
    runs_width,
    text_width,
)
from studypack.inline import Run, plain_text
from studypack.model import Card
from studypack.units import MM

from .card_geometry import Rect
from .card_math import (
    has_math,
    line_room,
    line_width,
    lines_height,
    text_runs,
    too_wide,
    wrap_lines,
)

FLOOR_SIZE = 4.0  # below the theme minimum we shrink to this before cutting text
READABLE_SIZE = 8.0  # pt: smaller card text is hard to read at arm's length, whatever the theme allows
LABEL_SIZE = 6.0  # card number and pack title
ADVICE = "shorten it or choose a larger card size (cards.size)"


@dataclass(frozen=True)
class TextLine:
    """One line exactly as measured: draw each piece in fonts.name_for(piece.run) from x."""

    x: float
    baseline: float
    size: float
    width: float
    pieces: Line
    fonts: FontSet
    color: str  # theme colour role: "text", "muted", "primary", "accent"
    scale: float = 1.0  # < 1: drawn smaller about (x, baseline), an equation wider than the card


@dataclass(frozen=True)
class Block:
    """Fitted lines of one colour, with each line's width at the fitted size."""

    fitted: Fitted
    fonts: FontSet
    color: str
    gap_before: float = 0.0
    widths: tuple[float, ...] = ()
    rows: tuple[tuple[float, float], ...] = ()  # per line (above, below) its baseline; () if text only

    @property
    def height(self) -> float:
        if not self.rows:
            return len(self.fitted.lines) * self.fitted.size * LEADING
        return sum(above + below for above, below in self.rows)


@dataclass(frozen=True)
class FittedSide:
    """What one side's text became; notes complete "card 'NAME': front|back " into warnings."""

    blocks: tuple[Block, ...]
    notes: tuple[str, ...]


def _truncate(
    lines: tuple[Line, ...], keep: int, fonts: FontSet, size: float, width: float
) -> tuple[Line, ...]:
    """The first `keep` lines, the last ending in an ellipsis that still fits the width."""
    kept = list(lines[:keep])
    if not kept:
        return ()
    last = list(kept[-1])
    while True:
        end = last[-1].run if last else Run("")
        candidate = [*last, Piece(ELLIPSIS, Run(ELLIPSIS, end.bold, end.italic, False, None))]
        # An equation wider than the line by itself stays: the line is drawn smaller (place).
        if line_width(candidate, fonts, size) <= width or not last or too_wide(([last[-1]],), fonts, size, width):
            kept[-1] = tuple(candidate)
            return tuple(kept)
        tail = last[-1]
        last = last[:-1] + (
            [Piece(tail.text[:-1].rstrip(), tail.run)] if len(tail.text) > 1 else []
        )


def _longest_word(runs: tuple[Run, ...], fonts: FontSet) -> float:
    """Width at 1 pt of the widest unbreakable group: a word, or CJK with its kinsoku marks.
    Groups with an equation are left to fitting, which measures them at each size."""
    return max((runs_width(g, fonts, 1.0) for g in groups(runs) if not has_math(g)), default=0.0)


def fit_runs(
    runs: tuple[Run, ...], fonts: FontSet, width: float, height: float,
    max_size: float, min_size: float, step: float = 0.5,
) -> Fitted:  # fmt: skip
    """Same answer as studypack.fit.fit (largest size on its grid whose lines fit the box), found
    by bisection: a smaller size never needs more lines, so "fits" flips once along the grid."""
    sizes = [max_size]
    while sizes[-1] - step >= min_size - 1e-9:
        sizes.append(round(sizes[-1] - step, 2))

    with_math = has_math(runs)  # equations: measured at each size, lines as tall as they need

    def fits(lines: tuple[Line, ...], size: float) -> bool:
        if not with_math:
            return len(lines) * size * LEADING <= height
        return lines_height(lines, size) <= height and not too_wide(lines, fonts, size, width)

    wrap = wrap_lines
    lines = wrap(runs, fonts, sizes[0], width)
    if fits(lines, sizes[0]):  # the common case: short text at the largest size
        return Fitted(sizes[0], lines, True)
    last = len(sizes) - 1
    if last == 0:
        return Fitted(sizes[0], lines, False)
    best = wrap(runs, fonts, sizes[last], width)
    if not fits(best, sizes[last]):
        return Fitted(sizes[last], best, False)
    bad, good = 0, last  # invariant: sizes[bad] overflows, sizes[good] fits
    while good - bad > 1:
        mid = (bad + good) // 2
        lines = wrap(runs, fonts, sizes[mid], width)
        if fits(lines, sizes[mid]):
            good, best = mid, lines
        else:
            bad = mid
    return Fitted(sizes[good], best, True)


def _block(fitted: Fitted, fonts: FontSet, color: str, gap: float = 0.0) -> Block:
    size = fitted.size
    if not any(has_math(line) for line in fitted.lines):
        return Block(fitted, fonts, color, gap, tuple(runs_width(ln, fonts, size) for ln in fitted.lines))
    widths = tuple(line_width(line, fonts, size) for line in fitted.lines)
    return Block(fitted, fonts, color, gap, widths, tuple(line_room(ln, size) for ln in fitted.lines))


def fit_side(
    main: tuple[Run, ...], hint: tuple[Run, ...], fonts: FontSet, box_w: float, box_h: float,
    lo: float, hi: float, color: str, memo: dict[tuple, Any] | None = None,
) -> FittedSide:  # fmt: skip
    """Largest size in [lo, hi]; below it shrink to FLOOR_SIZE, then cut, and say so.

    memo keeps fit_runs answers across sides: one definition with different hints (its
    "see also" line) is fitted once per box height left over."""
    memo = {} if memo is None else memo
    hint_size = max(lo, min(9.0, hi))
    # Shrinking until the longest word fits reads better than breaking it at a large size.
    lw_key = ("longest", main, fonts)
    longest = memo.get(lw_key)
    if longest is None:
        longest = memo[lw_key] = _longest_word(main, fonts)
    if longest > 0 and box_w / longest >= lo:  # a word too long even at lo is broken anyway
        hi = min(hi, math.floor(2 * box_w / longest) / 2)

    def attempt(size_hi: float, size_lo: float, with_hint: bool) -> list[Block]:
        blocks: list[Block] = []
        room = box_h
        if hint and with_hint:
            hsize = min(hint_size, size_hi)
            hlines = wrap_lines(hint, fonts, hsize, box_w)
            gap = hsize * 0.6
            room -= lines_height(hlines, hsize) + gap
            hint_block = _block(Fitted(hsize, hlines, room >= 0), fonts, "muted", gap)
        if room <= 0:
            return [Block(Fitted(size_lo, (), False), fonts, color)]
        key = (main, fonts, box_w, room, size_hi, size_lo)
        main_fit = memo.get(key)
        if main_fit is None:
            main_fit = memo[key] = fit_runs(main, fonts, box_w, room, size_hi, size_lo)
        blocks.append(_block(main_fit, fonts, color))
        if hint and with_hint:
            blocks.append(hint_block)
        return blocks

    blocks = attempt(hi, lo, True)
    if all(b.fitted.fits for b in blocks):
        notes = ()
        size = blocks[0].fitted.size
        if size <= lo < hi or size < READABLE_SIZE:  # at the theme's floor, or hard to read: worth a look
            notes = (f"text shrunk to {size:g} pt to fit",)
        return FittedSide(tuple(blocks), notes)
    first = f"text does not fit even at {lo:g} pt"
    for with_hint in (True, False):
        blocks = attempt(min(lo, hi), FLOOR_SIZE, with_hint)
        if all(b.fitted.fits for b in blocks):
            size = blocks[0].fitted.size
            dropped = " and without its hint line" if hint and not with_hint else ""
            return FittedSide(
                tuple(blocks), (f"{first}; printed at {size:g} pt{dropped} — {ADVICE}",)
            )
    # Even the floor size overflows: keep what fits and end with an ellipsis, never clip.
    fitted = blocks[0].fitted
    keep = 1
    while keep < len(fitted.lines) and lines_height(fitted.lines[: keep + 1], FLOOR_SIZE) <= box_h + 1e-6:
        keep += 1
    total = len(fitted.lines)
    without = " and without its hint line" if hint else ""
    if keep >= total:  # the height is not the problem: an equation wider than the card is
        note = f"{first}; printed at {FLOOR_SIZE:g} pt{without}, an equation drawn smaller to fit — {ADVICE}"
        return FittedSide((_block(Fitted(FLOOR_SIZE, fitted.lines, True), fonts, color),), (note,))
    lines = _truncate(fitted.lines, keep, fonts, FLOOR_SIZE, box_w)
    note = (
        f"{first}; only {min(keep, total)} of {total} lines printed at {FLOOR_SIZE:g} pt, "
        f"cut with '{ELLIPSIS}'{without} — {ADVICE}"
    )
    return FittedSide((_block(Fitted(FLOOR_SIZE, lines, True), fonts, color),), (note,))


def place(blocks: tuple[Block, ...], box: Rect, center_lines: bool) -> list[TextLine]:
    """Lines centred vertically in the box. Each line centred (fronts), or all lines left-aligned
    in one block as wide as its longest line and centred in the box (backs): every back reads
    the same way, short or long, with or without a hint line."""
    heights = [b.height + (b.gap_before if b.fitted.lines else 0) for b in blocks]
    block_w = max((w for b in blocks for w in b.widths), default=0.0)
    left = box.x + max(0.0, (box.w - block_w) / 2)
    y = box.y + (box.h + sum(heights)) / 2
    out: list[TextLine] = []
    for b in blocks:
        if not b.fitted.lines:
            continue
        y -= b.gap_before
        size = b.fitted.size
        rows = b.rows or ((size * (LEADING - 0.27), size * 0.27),) * len(b.fitted.lines)
        for line, width, (above, below) in zip(b.fitted.lines, b.widths, rows, strict=True):
            y -= above + below
            # An equation wider than the card even at the floor size is drawn smaller, never clipped.
            scale = min(1.0, box.w / width) if width > box.w else 1.0
            shown = width * scale
            x = box.x + (box.w - shown) / 2 if center_lines else left
            # Baseline above the line's bottom by the descent, so glyphs stay inside the line box.
            out.append(TextLine(x, y + below * scale, size, width, line, b.fonts, b.color, scale))
    return out


@lru_cache(maxsize=4096)
def _label_width(text: str, fontname: str) -> float:
    return text_width(text, fontname, LABEL_SIZE)


def _label(
    x: float, baseline: float, text: str, fonts: FontSet, width: float | None = None
) -> TextLine:
    width = _label_width(text, fonts.text.regular) if width is None else width
    return TextLine(x, baseline, LABEL_SIZE, width, (Piece(text, Run(text)),), fonts, "muted")


def labels(
    frame: Rect, number: int, title: str, fonts: FontSet, logo: Rect | None
) -> list[TextLine]:
    """Card number at the top right and pack title at the top left (after the logo, if any)."""
    pad = 1.5 * MM
    baseline = frame.top - pad - LABEL_SIZE * 0.8
    number_text = f"#{number}"
    width = text_width(number_text, fonts.text.regular, LABEL_SIZE)
    num = _label(frame.right - pad - width, baseline, number_text, fonts, width)
    x_title = (logo.right + 1 * MM) if logo else frame.x + pad
    shown = ellipsize(title, fonts.text.regular, LABEL_SIZE, num.x - 2 * MM - x_title)
    return [num, _label(x_title, baseline, shown, fonts)] if shown else [num]


def card_name(card: Card) -> str:
    """How messages name a card: its front as plain text, on one line, at most 60 characters."""
    return clip(" ".join(plain_text(card.front).split()), 60, strip=True)


def front_runs(text: str) -> tuple[Run, ...]:
    return tuple(replace(r, bold=True) for r in text_runs(text))


def back_runs(text: str) -> tuple[Run, ...]:
    return text_runs(text)


def hint_runs(text: str) -> tuple[Run, ...]:
    return tuple(replace(r, italic=True) for r in text_runs(text))
