"""Flashcard sheets as pure geometry: card slots, duplex mirroring, crop marks and fitted text.

Coordinates are PDF points with the origin at the page's bottom left. Pages are always
portrait, so "long-edge" and "short-edge" mean what the print dialog says: a sheet turned
over its long edge puts the back of x at W - x (columns mirrored); over its short edge, the
back of y at H - y (rows mirrored).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from studypack.errors import Report
from studypack.fit import LEADING, Fitted, FontSet, Line, Piece, fit, runs_width, text_width, wrap
from studypack.inline import Run, parse_inline, plain_text
from studypack.model import Card, Pack
from studypack.theme import Theme

MM = 72 / 25.4
INCH = 72.0
PAPER_SIZES = {"letter": (8.5 * INCH, 11 * INCH), "a4": (210 * MM, 297 * MM)}

MIN_MARGIN = 9 * MM  # room for crop marks inside most printers' unprintable border
MARK_GAP = 1.5 * MM  # crop marks stop short of the card so a cut never shows them
MARK_LENGTH = 5 * MM
FLOOR_SIZE = 4.0  # below the theme minimum we shrink to this before cutting text
LABEL_SIZE = 6.0  # card number and pack title
FRAME_INSET = 2 * MM  # the printed border sits inside the cut line, so a stray cut hides nothing
ELLIPSIS = "\u2026"


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


@dataclass(frozen=True)
class CardSide:
    card: int  # 1-based card number in pack order
    side: str  # "front" or "back"
    rect: Rect  # the cut outline
    frame: Rect  # the printed border
    lines: tuple[TextLine, ...]  # content, then the labels (number, pack title)
    logo: Rect | None = None  # where the theme logo goes (backs only)


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


def _fold_slots(
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


# ---- text ----------------------------------------------------------------------------------


def _ellipsize(text: str, fontname: str, size: float, width: float) -> str:
    if text_width(text, fontname, size) <= width:
        return text
    while text and text_width(text + ELLIPSIS, fontname, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS if text else ""


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
        if runs_width(candidate, fonts, size) <= width or not last:
            kept[-1] = tuple(candidate)
            return tuple(kept)
        tail = last[-1]
        last = last[:-1] + (
            [Piece(tail.text[:-1].rstrip(), tail.run)] if len(tail.text) > 1 else []
        )


def _longest_word(runs: tuple[Run, ...], fonts: FontSet) -> float:
    """Width at 1 pt of the widest word; CJK characters are words of their own."""
    widest = 0.0
    for run in runs:
        for word in run.text.split():
            if any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in word):
                continue  # lines break between CJK characters anyway
            widest = max(widest, text_width(word, fonts.name_for(run), 1.0))
    return widest


@dataclass(frozen=True)
class _Block:
    fitted: Fitted
    fonts: FontSet
    color: str
    gap_before: float = 0.0


def _fit_side(
    main: tuple[Run, ...], hint: tuple[Run, ...], fonts: FontSet, box: Rect, theme: Theme,
    name: str, which: str, span, report: Report,
) -> list[_Block]:  # fmt: skip
    """Largest size in the theme's range; below it shrink to FLOOR_SIZE, then cut, and say so."""
    lo, hi = theme.cards.min_font, theme.cards.max_font
    hint_size = max(lo, min(9.0, hi))
    # Shrinking until the longest word fits reads better than breaking it at a large size.
    longest = _longest_word(main, fonts)
    if longest > 0 and box.w / longest >= lo:  # a word too long even at lo is broken anyway
        hi = min(hi, math.floor(2 * box.w / longest) / 2)

    def attempt(size_hi: float, size_lo: float, with_hint: bool) -> list[_Block]:
        blocks: list[_Block] = []
        room = box.h
        if hint and with_hint:
            hsize = min(hint_size, size_hi)
            hlines = wrap(hint, fonts, hsize, box.w)
            gap = hsize * 0.6
            room -= len(hlines) * hsize * LEADING + gap
            hint_block = _Block(Fitted(hsize, hlines, room >= 0), fonts, "muted", gap)
        if room <= 0:
            return [_Block(Fitted(size_lo, (), False), fonts, "text")]
        blocks.append(_Block(fit(main, fonts, box.w, room, size_hi, size_lo), fonts, "text"))
        if hint and with_hint:
            blocks.append(hint_block)
        return blocks

    blocks = attempt(hi, lo, True)
    if all(b.fitted.fits for b in blocks):
        if blocks[0].fitted.size <= lo < hi:  # at the legibility floor: worth a look
            report.warning(span, f"card '{name}': {which} text shrunk to {lo:g} pt to fit")
        return blocks
    first = f"card '{name}': {which} text does not fit even at {lo:g} pt"
    advice = "shorten it or choose a larger card size (cards.size)"
    for with_hint in (True, False):
        blocks = attempt(min(lo, hi), FLOOR_SIZE, with_hint)
        if all(b.fitted.fits for b in blocks):
            size = blocks[0].fitted.size
            dropped = " and without its hint line" if hint and not with_hint else ""
            report.warning(span, f"{first}; printed at {size:g} pt{dropped} — {advice}")
            return blocks
    # Even the floor size overflows: keep what fits and end with an ellipsis, never clip.
    fitted = blocks[0].fitted
    keep = max(1, int((box.h + 1e-6) // (FLOOR_SIZE * LEADING)))
    total = len(fitted.lines)
    lines = _truncate(fitted.lines, keep, fonts, FLOOR_SIZE, box.w)
    report.warning(
        span,
        f"{first}; only {min(keep, total)} of {total} lines printed at {FLOOR_SIZE:g} pt, "
        f"cut with '{ELLIPSIS}'{' and without its hint line' if hint else ''} — {advice}",
    )
    return [_Block(Fitted(FLOOR_SIZE, lines, True), fonts, "text")]


def _place(blocks: list[_Block], box: Rect, align_all_center: bool) -> list[TextLine]:
    """Lines centred vertically in the box; centred horizontally when short, else ragged right."""
    heights = [
        len(b.fitted.lines) * b.fitted.size * LEADING + (b.gap_before if b.fitted.lines else 0)
        for b in blocks
    ]
    nlines = sum(len(b.fitted.lines) for b in blocks)
    center = align_all_center or nlines <= 2
    y = box.y + (box.h + sum(heights)) / 2
    out: list[TextLine] = []
    for b in blocks:
        if not b.fitted.lines:
            continue
        y -= b.gap_before
        size = b.fitted.size
        for line in b.fitted.lines:
            y -= size * LEADING
            width = runs_width(line, b.fonts, size)
            x = box.x + (box.w - width) / 2 if center else box.x
            # Baseline above the line's bottom by the descent, so glyphs stay inside the line box.
            out.append(TextLine(x, y + 0.27 * size, size, width, line, b.fonts, b.color))
    return out


def _label(x: float, baseline: float, text: str, fonts: FontSet) -> TextLine:
    width = text_width(text, fonts.text.regular, LABEL_SIZE)
    return TextLine(x, baseline, LABEL_SIZE, width, (Piece(text, Run(text)),), fonts, "muted")


def _labels(
    frame: Rect, number: int, title: str, fonts: FontSet, logo: Rect | None
) -> list[TextLine]:
    """Card number at the top right and pack title at the top left (after the logo, if any)."""
    pad = 1.5 * MM
    baseline = frame.top - pad - LABEL_SIZE * 0.8
    num = _label(0, baseline, f"#{number}", fonts)
    num = replace(num, x=frame.right - pad - num.width)
    x_title = (logo.right + 1 * MM) if logo else frame.x + pad
    shown = _ellipsize(title, fonts.text.regular, LABEL_SIZE, num.x - 2 * MM - x_title)
    return [num, _label(x_title, baseline, shown, fonts)] if shown else [num]


def card_name(card: Card) -> str:
    """How messages name a card: its front as plain text, on one line, at most 60 characters."""
    name = " ".join(plain_text(card.front).split())
    return name if len(name) <= 60 else name[:59].rstrip() + ELLIPSIS


HEADER = LABEL_SIZE * 1.2 + 2.5 * MM  # the strip for number, title and logo


def _logo_rect(frame: Rect, aspect: float) -> Rect:
    w = min((HEADER - 1 * MM) * aspect, frame.w / 3)
    h = w / aspect
    return Rect(frame.x + 1.5 * MM, frame.top - 0.75 * MM - h, w, h)


@dataclass(frozen=True)
class _Maker:
    """Lays out card sides for one pack and theme."""

    pack: Pack
    theme: Theme
    fonts: CardFonts
    report: Report
    logo_aspect: float | None

    def side(self, card: Card, number: int, side: str, rect: Rect) -> CardSide:
        frame = rect.inset(FRAME_INSET)
        pad = max(3 * MM, min(rect.w, rect.h) * 0.05)
        # The content box is symmetric (header strip above, the same below) so text sits centred.
        box = Rect(frame.x + pad, frame.y + HEADER, frame.w - 2 * pad, frame.h - 2 * HEADER)
        name, fonts, theme, report = card_name(card), self.fonts, self.theme, self.report
        logo = None
        if side == "front":
            runs = tuple(replace(r, bold=True) for r in parse_inline(card.front))
            blocks = _fit_side(runs, (), fonts.front, box, theme, name, "front", card.span, report)
            blocks = [replace(b, color="primary") for b in blocks]
        else:
            hint = tuple(replace(r, italic=True) for r in parse_inline(card.hint or ""))
            back = parse_inline(card.back)
            blocks = _fit_side(back, hint, fonts.back, box, theme, name, "back", card.span, report)
            logo = _logo_rect(frame, self.logo_aspect) if self.logo_aspect else None
        lines = _place(blocks, box, side == "front")
        lines += _labels(frame, number, plain_text(self.pack.title), fonts.label, logo)
        return CardSide(number, side, rect, frame, tuple(lines), logo)


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
    if duplex == "fold":
        triples, card_size = _fold_slots(page, size)
        per_page = len(triples)
        for start in range(0, len(cards), per_page):
            used = list(zip(cards[start : start + per_page], triples, strict=False))
            sides = []
            for i, (card, (front, back, _)) in enumerate(used, start + 1):
                sides += [make(card, i, "front", front), make(card, i, "back", back)]
            marks = crop_marks([front.union(back) for _, (front, back, _) in used], page)
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
        sheets.append(Sheet("front", tuple(fronts), crop_marks([s.rect for s in fronts], page)))
        sheets.append(Sheet("back", tuple(backs), crop_marks([s.rect for s in backs], page)))
    card_size = (size.width, size.height)
    return CardsPlan(page, size, card_size, duplex, per_page, tuple(sheets), len(cards))
