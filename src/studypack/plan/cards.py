"""Flashcard sheets as pure geometry: card slots, duplex mirroring, crop marks and fitted text.

Coordinates are PDF points with the origin at the page's bottom left (see card_geometry for
the sheet layout and card_text for fitting); this module puts the two together per card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studypack.errors import Report
from studypack.fit import FontSet
from studypack.math.unicode import plain_readable
from studypack.model import Card, Pack
from studypack.theme import Theme
from studypack.units import LEADING

from .card_geometry import (  # noqa: F401 - re-exported: callers and tests import them from here
    INCH,
    MARK_GAP,
    MARK_LENGTH,
    MIN_MARGIN,
    MM,
    PAPER_SIZES,
    SIZES,
    CardSize,
    Rect,
    crop_marks,
    fold_slots,
    grid,
    mirror,
)
from .card_text import (  # noqa: F401
    ELLIPSIS,
    FLOOR_SIZE,
    LABEL_SIZE,
    FittedSide,
    TextLine,
    back_runs,
    card_name,
    fit_side,
    front_runs,
    hint_runs,
    labels,
    place,
)

FRAME_INSET = 2 * MM  # the printed border sits inside the cut line, so a stray cut hides nothing


@dataclass(frozen=True)
class CardSide:
    card: int  # 1-based card number in pack order
    side: str  # "front" or "back"
    rect: Rect  # the cut outline
    frame: Rect  # the printed border
    lines: tuple[TextLine, ...]  # content, then the labels (number, pack title)
    logo: Rect | None = None  # where the theme logo goes (backs only)
    labels: int = 0  # how many of the last lines are labels (number, pack title): not content


@dataclass(frozen=True)
class Sheet:
    kind: str  # "front", "back" or "fold"
    sides: tuple[CardSide, ...]
    marks: tuple[tuple[float, float, float, float], ...]  # crop mark lines x1, y1, x2, y2
    folds: tuple[tuple[float, float, float, float], ...] = ()


@dataclass(frozen=True)
class CardsPlan:
    page: tuple[float, float]
    size: CardSize
    card_size: tuple[float, float]  # as laid out (fold layouts may turn the card)
    duplex: str
    per_page: int
    sheets: tuple[Sheet, ...]
    count: int


@dataclass(frozen=True)
class CardFonts:
    front: FontSet  # terms and questions (drawn bold)
    back: FontSet  # definitions, answers, hints
    label: FontSet  # card numbers and pack title


HEADER = LABEL_SIZE * LEADING + 2.5 * MM  # the strip for number, title and logo


def _logo_rect(frame: Rect, aspect: float) -> Rect:
    w = min((HEADER - 1 * MM) * aspect, frame.w / 3)
    h = w / aspect
    return Rect(frame.x + 1.5 * MM, frame.top - 0.75 * MM - h, w, h)


class _Maker:
    """Lays out card sides for one pack and theme; equal texts in equal boxes are fitted once."""

    def __init__(
        self, pack: Pack, theme: Theme, fonts: CardFonts, report: Report, logo_aspect: float | None
    ) -> None:
        self.title = plain_readable(pack.title)
        self.lo, self.hi = theme.cards.min_font, theme.cards.max_font
        self.fonts = fonts
        self.report = report
        self.logo_aspect = logo_aspect
        # A text repeated in a pack (or in its boxes of one size) costs one fit, not one per card.
        self.fitted: dict[tuple, FittedSide] = {}
        self.memo: dict[tuple, Any] = {}

    def _fit(self, card: Card, side: str, box: Rect) -> FittedSide:
        if side == "front":
            key = (side, card.front, None, box.w, box.h)
        else:
            key = (side, card.back, card.hint, box.w, box.h)
        done = self.fitted.get(key)
        if done is None:
            if side == "front":
                main, hint, fonts, color = front_runs(card.front), (), self.fonts.front, "primary"
            else:
                main, hint = back_runs(card.back), hint_runs(card.hint or "")
                fonts, color = self.fonts.back, "text"
            done = fit_side(main, hint, fonts, box.w, box.h, self.lo, self.hi, color, self.memo)
            self.fitted[key] = done
        if done.notes:
            name = card_name(card)
            for note in done.notes:
                self.report.warning(card.span, f"card '{name}': {side} {note}")
        return done

    def side(self, card: Card, number: int, side: str, rect: Rect) -> CardSide:
        frame = rect.inset(FRAME_INSET)
        pad = max(3 * MM, min(rect.w, rect.h) * 0.05)
        # The content box is symmetric (header strip above, the same below) so text sits centred.
        box = Rect(frame.x + pad, frame.y + HEADER, frame.w - 2 * pad, frame.h - 2 * HEADER)
        fitted = self._fit(card, side, box)
        logo = None
        if side == "back" and self.logo_aspect:
            logo = _logo_rect(frame, self.logo_aspect)
        lines = place(fitted.blocks, box, side == "front")
        marks = labels(frame, number, self.title, self.fonts.label, logo)
        return CardSide(number, side, rect, frame, tuple(lines + marks), logo, len(marks))


# ---- the plan ------------------------------------------------------------------------------


def plan_cards(
    pack: Pack, theme: Theme, fonts: CardFonts, report: Report, logo_aspect: float | None = None
) -> CardsPlan:
    """Every flashcard placed on sheets: fronts then mirrored backs, or fold pairs."""
    page = PAPER_SIZES[theme.paper]
    size = SIZES[theme.cards.size]
    cards = pack.flashcards()
    duplex = theme.cards.duplex
    make = _Maker(pack, theme, fonts, report, logo_aspect).side
    sheets: list[Sheet] = []
    mark_memo: dict[tuple[Rect, ...], tuple] = {}  # full sheets share one slot layout

    def marks_for(rects: list[Rect]) -> tuple[tuple[float, float, float, float], ...]:
        key = tuple(rects)
        if key not in mark_memo:
            mark_memo[key] = crop_marks(rects, page)
        return mark_memo[key]

    if duplex == "fold":
        triples, card_size = fold_slots(page, size)
        per_page = len(triples)
        for start in range(0, len(cards), per_page):
            used = list(zip(cards[start : start + per_page], triples, strict=False))
            sides = []
            for i, (card, (front, back, _)) in enumerate(used, start + 1):
                sides += [make(card, i, "front", front), make(card, i, "back", back)]
            marks = marks_for([front.union(back) for _, (front, back, _) in used])
            sheets.append(Sheet("fold", tuple(sides), marks, tuple(f for _, (_, _, f) in used)))
        return CardsPlan(page, size, card_size, duplex, per_page, tuple(sheets), len(cards))

    slots = grid(page, size.width, size.height, size.gutter)
    per_page = len(slots)
    dx, dy = (v * MM for v in theme.cards.offset)
    for start in range(0, len(cards), per_page):
        chunk = list(enumerate(cards[start : start + per_page]))
        fronts = [make(c, start + i + 1, "front", slots[i]) for i, c in chunk]
        # Each back goes where its front's slot lands after the flip, plus the printer's offset.
        backs = [
            make(c, start + i + 1, "back", mirror(slots[i], page, duplex).shifted(dx, dy))
            for i, c in chunk
        ]
        sheets.append(Sheet("front", tuple(fronts), marks_for([s.rect for s in fronts])))
        sheets.append(Sheet("back", tuple(backs), marks_for([s.rect for s in backs])))
    card_size = (size.width, size.height)
    return CardsPlan(page, size, card_size, duplex, per_page, tuple(sheets), len(cards))
