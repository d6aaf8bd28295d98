"""Flashcard sheet geometry: paper and card sizes, card slots, duplex mirroring and crop marks.

Coordinates are PDF points with the origin at the page's bottom left. Pages are always
portrait, so "long-edge" and "short-edge" mean what the print dialog says: a sheet turned
over its long edge puts the back of x at W - x (columns mirrored); over its short edge, the
back of y at H - y (rows mirrored).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from studypack.units import INCH, MM, PAPER_SIZES  # noqa: F401 - PAPER_SIZES re-exported

MIN_MARGIN = 9 * MM  # room for crop marks inside most printers' unprintable border
MARK_GAP = 1.5 * MM  # crop marks stop short of the card so a cut never shows them
MARK_LENGTH = 5 * MM


@dataclass(frozen=True)
class CardSize:
    key: str
    width: float  # as the card is read (text upright)
    height: float
    gutter: float  # between neighbouring cards; 0 = cards share a cut line (perforated stock)
    note: str


# Each preset keeps the orientation its stock is printed in.
SIZES = {
    "3x5in": CardSize(
        "3x5in",
        5 * INCH,
        3 * INCH,
        0.25 * INCH,
        "3x5in index cards, 3 per sheet (Avery 5388 layout)",
    ),
    "A7": CardSize("A7", 74 * MM, 105 * MM, 6 * MM, "A7 cards (74x105 mm), 4 per sheet"),
    "2x3.5in": CardSize(
        "2x3.5in", 3.5 * INCH, 2 * INCH, 0.0, "business cards, 10 per sheet (Avery 5371 layout)"
    ),
}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def shifted(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def union(self, other: Rect) -> Rect:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.right, other.right) - x, max(self.top, other.top) - y)

    def inset(self, dx: float, dy: float | None = None) -> Rect:
        dy = dx if dy is None else dy
        return Rect(self.x + dx, self.y + dy, self.w - 2 * dx, self.h - 2 * dy)


# ---- grid geometry -------------------------------------------------------------------------


def _count(avail: float, size: float, gutter: float) -> int:
    return max(0, math.floor((avail + gutter + 1e-6) / (size + gutter)))


def grid(page: tuple[float, float], w: float, h: float, gutter: float) -> list[Rect]:
    """Slots of w x h centred on the page, rows top to bottom, columns left to right."""
    pw, ph = page
    cols = _count(pw - 2 * MIN_MARGIN, w, gutter)
    rows = _count(ph - 2 * MIN_MARGIN, h, gutter)
    x0 = (pw - (cols * w + (cols - 1) * gutter)) / 2
    top = ph - (ph - (rows * h + (rows - 1) * gutter)) / 2
    return [
        Rect(x0 + c * (w + gutter), top - (r + 1) * h - r * gutter, w, h)
        for r in range(rows)
        for c in range(cols)
    ]


def mirror(rect: Rect, page: tuple[float, float], duplex: str) -> Rect:
    """Where the back of a front slot must be drawn so it prints behind it."""
    pw, ph = page
    if duplex == "short-edge":
        return Rect(rect.x, ph - rect.y - rect.h, rect.w, rect.h)
    return Rect(pw - rect.x - rect.w, rect.y, rect.w, rect.h)


def fold_slots(
    page: tuple[float, float], size: CardSize
) -> tuple[list[tuple[Rect, Rect, tuple]], tuple[float, float]]:
    """(front, back, fold line) triples: the layout (card turn x pair direction) fitting most."""
    best: tuple[list[tuple[Rect, Rect, tuple]], tuple[float, float]] = (
        [],
        (size.width, size.height),
    )
    for w, h in ((size.width, size.height), (size.height, size.width)):
        for horizontal in (True, False):
            pairs = grid(page, 2 * w if horizontal else w, h if horizontal else 2 * h, size.gutter)
            found = []
            for p in pairs:
                if horizontal:  # front left, back right, fold on the shared vertical edge
                    front, back = Rect(p.x, p.y, w, h), Rect(p.x + w, p.y, w, h)
                    fold = (p.x + w, p.y, p.x + w, p.top)
                else:  # front above, back below
                    front, back = Rect(p.x, p.y + h, w, h), Rect(p.x, p.y, w, h)
                    fold = (p.x, p.y + h, p.right, p.y + h)
                found.append((front, back, fold))
            if len(found) > len(best[0]):
                best = (found, (w, h))
    return best


def crop_marks(
    rects: Sequence[Rect], page: tuple[float, float]
) -> tuple[tuple[float, float, float, float], ...]:
    """Short lines continuing every cut line outside the block of cards; none crosses a card."""
    if not rects:
        return ()
    left = min(r.x for r in rects)
    right = max(r.right for r in rects)
    bottom = min(r.y for r in rects)
    top = max(r.top for r in rects)
    pw, ph = page
    xs = sorted({round(v, 3) for r in rects for v in (r.x, r.right)})
    ys = sorted({round(v, 3) for r in rects for v in (r.y, r.top)})
    marks: list[tuple[float, float, float, float]] = []

    def span(start: float, limit: float, direction: int) -> tuple[float, float] | None:
        a = start + direction * MARK_GAP
        room = (limit - a) * direction
        length = min(MARK_LENGTH, room - 1 * MM)  # keep a millimetre off the paper's edge
        return (a, a + direction * length) if length > 1 * MM else None

    for x in xs:
        for s in (span(top, ph, 1), span(bottom, 0, -1)):
            if s:
                marks.append((x, s[0], x, s[1]))
    for y in ys:
        for s in (span(right, pw, 1), span(left, 0, -1)):
            if s:
                marks.append((s[0], y, s[1], y))
    return tuple(marks)
