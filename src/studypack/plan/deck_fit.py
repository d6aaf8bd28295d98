"""Deck text measurement: boxes, paragraphs and the Fitter that measures and cuts them
(plan/deck_flow.py spreads them over slides)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from studypack.errors import Report, Span
from studypack.fit import (
    CJK,
    ELLIPSIS,
    ZWSP,
    FontSet,
    clip,
    count_lines,
    cut_with_ellipsis,
    groups,
    hyphenate,
    most_that_fit,
    runs_width,
)
from studypack.fonts import OFFICE_CODE_FONT, OFFICE_FONTS
from studypack.inline import Run, plain_text
from studypack.plan.deck_inline import count_math_lines, has_math, is_math, math_pitch, run_box
from studypack.theme import Theme
from studypack.units import BOX_INSET_X, BOX_INSET_Y, LEADING

CONT = "(cont.)"  # marks a slide title or a repeated point as continued
READABLE_TITLE = 28.0  # pt: a smaller slide title is hard to read from the back of a room
LINE = LEADING  # exact line pitch / size; the renderer writes it as lnSpc spcPts
WIDTH_SAFETY = 0.97  # clients round glyph positions; keep 3 % of each line free
HEIGHT_SAFETY = 2.0  # pt kept free at the foot of every box


@dataclass(frozen=True)
class Box:
    """A placeholder's frame in points, with the insets the renderer writes into its bodyPr."""

    x: float
    y: float
    w: float
    h: float
    inset_x: float = BOX_INSET_X
    inset_y: float = BOX_INSET_Y

    @property
    def text_width(self) -> float:
        return self.w - 2 * self.inset_x

    @property
    def text_height(self) -> float:
        return self.h - 2 * self.inset_y - HEIGHT_SAFETY


@dataclass(frozen=True)
class Para:
    """One paragraph of a placeholder, with every spacing explicit so clients agree on it."""

    runs: tuple[Run, ...]
    size: float
    level: int = 0
    bullet: str | None = None
    margin: float = 0.0  # marL; the bullet hangs HANGING pt left of it
    space_before: float = 0.0  # ignored on a box's first paragraph (the renderer writes 0)
    color: str = "text"  # a theme.Colors field
    bold: bool = False
    align: str = ""  # "" = the placeholder's own; else an OOXML algn value ("ctr", "r")

    @property
    def line_height(self) -> float:
        if has_math(self.runs):  # as tall as its tallest inline equation needs
            return math_pitch(self.runs, self.size)
        return round(self.size * LINE, 2)


_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")  # no-break spaces stay


@cache
def _widest(fontname: str) -> float:
    """An upper bound on any character's advance in `fontname` (thousandths of an em).

    Characters a font lacks are measured at most 1250 by fit.char_width (colour emoji).
    """
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(fontname)
    widths = getattr(getattr(font, "face", None), "charWidths", None)
    if isinstance(widths, dict) and widths:  # a TrueType face: every glyph it maps
        return max(1250.0, *widths.values())
    return max(1250.0, *font.widths)  # a standard font: its whole WinAnsi repertoire


@lru_cache(maxsize=64)
def _widest_of(fonts: FontSet) -> float:
    names = (fonts.text.regular, fonts.text.bold, fonts.text.italic, fonts.text.bold_italic)
    names += (fonts.code.regular, fonts.code.bold, fonts.code.italic, fonts.code.bold_italic)
    return max(_widest(n) for n in names)


def _normalized(runs: Sequence[Run]) -> tuple[Run, ...]:
    """What fit.hyphenate returns when it cuts nothing: spaces collapsed, equal neighbours merged."""
    out: list[Run] = []
    last: Run | None = None
    for run in runs:
        if not run.text:
            continue
        text = _SPACES.sub(" ", run.text)
        # hyphenate merges pieces of equal runs (two equations side by side stay two)
        if last is not None and last == run and not is_math(run):
            out[-1] = replace(run, text=out[-1].text + text)
        else:
            out.append(replace(run, text=text))  # a subclass (a coloured code run) stays one
        last = run
    return tuple(out)


class Fitter:
    """Measures paragraphs in one deck's fonts; everything here is arithmetic on metrics."""

    def __init__(self, theme: Theme, cont: str = CONT):
        self.cont = cont  # the pack language's "(cont.)"
        code = OFFICE_FONTS[OFFICE_CODE_FONT]
        self.body = FontSet(OFFICE_FONTS[theme.slides.body_font], code)
        self.heading = FontSet(OFFICE_FONTS[theme.slides.heading_font], code)
        self._lines: dict[tuple[object, ...], int] = {}

    def width(self, para: Para, box: Box) -> float:
        return (box.text_width - para.margin) * WIDTH_SAFETY

    def _chars_fit(self, n: int, fonts: FontSet, size: float, width: float) -> bool:
        """Any n characters fit the width, whatever they are (a bound, never a measurement)."""
        return n * _widest_of(fonts) * size / 1000.0 <= width - 1e-6  # slack for rounding

    def prepare(self, para: Para, box: Box, fonts: FontSet | None = None) -> Para:
        """The paragraph with words wider than the box cut and hyphenated."""
        fonts = fonts or self.body
        width = self.width(para, box)
        if has_math(para.runs):
            return replace(para, runs=_math_scaled(_normalized(para.runs), para.size, width, fonts))
        text = "".join(r.text for r in para.runs)
        # Most words are far narrower than a line: skip measuring them (same result, ~10x faster).
        if self._chars_fit(len(text), fonts, para.size, width) or self._chars_fit(
            max(map(len, _WORD.findall(text)), default=0), fonts, para.size, width
        ):
            return replace(para, runs=_normalized(para.runs))
        return replace(para, runs=hyphenate(para.runs, fonts, para.size, width))

    def lines(self, para: Para, box: Box, fonts: FontSet | None = None) -> int:
        fonts = fonts or self.body
        width = self.width(para, box)
        key = (para.runs, para.size, width, fonts)
        n = self._lines.get(key)
        if n is None:
            n = self._lines[key] = self._count(para, fonts, width)
        return n

    def _count(self, para: Para, fonts: FontSet, width: float) -> int:
        if has_math(para.runs):
            return count_math_lines(para.runs, fonts, para.size, width)
        if self._chars_fit(sum(len(r.text) for r in para.runs), fonts, para.size, width):
            return 1  # even at the widest glyph it is one line
        return max(1, count_lines(para.runs, fonts, para.size, width))

    def height(self, paras: Sequence[Para], box: Box, fonts: FontSet | None = None) -> float:
        total = 0.0
        for i, p in enumerate(paras):
            total += (p.space_before if i else 0.0) + self.lines(p, box, fonts) * p.line_height
        return total

    def fits(self, paras: Sequence[Para], box: Box, fonts: FontSet | None = None) -> bool:
        return self.height(paras, box, fonts) <= box.text_height

    def heads(self, chain: Sequence[Para], box: Box) -> list[Para]:
        """The ancestor chain as continued one-liners; outer ones dropped if it needs over half the box."""
        heads = [self.continued(p, box) for p in chain]
        while heads and self.height(heads, box) > box.text_height / 2:
            heads.pop(0)  # only with absurdly deep nesting: the nearest parent matters most
        return heads

    def continued(self, para: Para, box: Box) -> Para:
        """A point repeated atop a continuation: 'text (cont.)' if one line holds it, else 'first words… (cont.)'."""
        runs = _rstrip(para.runs)
        head = self.prepare(replace(para, runs=runs + (Run(f" {self.cont}"),), color="muted"), box)
        if self.lines(head, box) == 1:
            return head

        def cut(units: list[tuple[Run, ...]], n: int) -> Para:
            return self.prepare(
                replace(head, runs=_rstrip(_join(units[:n])) + (Run(f"{ELLIPSIS} {self.cont}"),)),
                box,
            )

        # Whole words; Japanese and Chinese (no spaces) between characters.
        for units in (_split_runs(runs, _SPACE), _split_runs(runs, _level_pattern(2))):
            lo, hi = 0, len(units)  # the most units that leave room for the mark on one line
            while lo < hi:
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if self.lines(cut(units, mid), box) == 1 else (lo, mid - 1)
            if lo:
                return cut(units, lo)
        return cut(units, 0)

    def split(self, para: Para, box: Box) -> list[Para]:
        """A paragraph cut into pieces that each fit the box: at sentences, else at words, else between characters."""
        fits = lambda runs: self.fits([replace(para, runs=runs)], box)

        def cut(runs: tuple[Run, ...], level: int) -> list[tuple[Run, ...]]:
            out: list[tuple[Run, ...]] = []
            for chunk in _greedy(_split_runs(runs, _level_pattern(level)), fits):
                out.extend(
                    cut(chunk, level + 1)
                    if not fits(chunk) and level + 1 < _LEVEL_COUNT
                    else [chunk]
                )
            return out

        pieces = [r for r in (_rstrip(c) for c in cut(para.runs, 0)) if r]
        return [
            replace(para, runs=runs, bullet=para.bullet if i == 0 else None)
            for i, runs in enumerate(pieces)
        ]

    def fit_title(
        self, title: str, box: Box, sizes: Sequence[float], span: Span, report: Report
    ) -> tuple[tuple[Run, ...], float]:
        """The largest listed size at which the title fits its box; cut with '…' below the smallest."""
        runs = (Run(title or " "),)
        for size in sizes:
            para = self.prepare(Para(runs, size), box, self.heading)
            if self.fits([para], box, self.heading):
                if size < min(READABLE_TITLE, sizes[0]):  # the room shrank it past what reads from the back row
                    report.warning(span, f"slide title '{short(title)}' shrunk to {size:g} pt to fit; shorten it")
                return para.runs, size
        size = sizes[-1]
        runs, kept = self.ellipsize(title, Para((), size), box, self.heading)
        report.warning(span, f"slide title '{short(title)}' is too long for its box; cut to {kept}")
        return runs, size

    def ellipsize(
        self, text: str, para: Para, box: Box, fonts: FontSet | None = None
    ) -> tuple[tuple[Run, ...], str]:
        """The longest start of `text`, then '…', that fits the box at the paragraph's size, and
        what was kept ("3 words"): whole words, or characters when not even one word fits
        (Japanese and Chinese titles have no spaces)."""

        def shown(n: int, by_words: bool) -> tuple[Run, ...]:
            start = cut_with_ellipsis(text, n, by_words)
            return self.prepare(replace(para, runs=(Run(start),)), box, fonts).runs

        def fits(n: int, by_words: bool) -> bool:
            return self.fits([replace(para, runs=shown(n, by_words))], box, fonts)

        for by_words, total in ((True, len(text.split())), (False, len(text))):
            kept = most_that_fit(total, lambda n: fits(n, by_words))  # noqa: B023 - used at once
            if kept:
                return shown(kept, by_words), f"{kept} {'words' if by_words else 'characters'}"
        return shown(0, False), "nothing"

    def fit_paras(
        self, paras: Sequence[Para], box: Box, sizes: Sequence[float]
    ) -> list[Para] | None:
        """The paragraphs at the largest listed size that fits the box, or None."""
        for size in sizes:
            scaled = [
                self.prepare(
                    replace(p, size=size, space_before=p.space_before * size / p.size), box
                )
                for p in paras
            ]
            if self.fits(scaled, box):
                return scaled
        return None


def _math_scaled(
    runs: tuple[Run, ...], size: float, width: float, fonts: FontSet
) -> tuple[Run, ...]:
    """Runs whose inline equations are each shrunk to the line's width when wider, and whose
    words wider than the line (between the equations) are hyphenated."""
    out: list[Run] = []
    text: list[Run] = []
    for run in (*runs, None):
        if run is None or is_math(run):
            if text:  # a stretch of text between equations
                wide_word = _has_wide_word(text, fonts, size, width)
                out.extend(hyphenate(text, fonts, size, width) if wide_word else text)
                text = []
            if run is not None:
                wide = run_box(replace(run, scale=1.0), size).width
                scale = min(1.0, width / wide) if wide else 1.0
                out.append(replace(run, scale=scale - 0.005 if scale < 1.0 else 1.0))
        else:
            text.append(run)
    return tuple(out)


def _has_wide_word(runs: Sequence[Run], fonts: FontSet, size: float, width: float) -> bool:
    return any(runs_width(g, fonts, size) > width for g in groups(runs) if g[0].text.strip())


def _greedy(
    units: list[tuple[Run, ...]], fits: Callable[[tuple[Run, ...]], bool]
) -> list[tuple[Run, ...]]:
    """Consecutive units joined into the longest chunks that fit (a unit alone may not fit)."""
    chunks: list[tuple[Run, ...]] = []
    i = 0
    while i < len(units):
        lo, step = i + 1, 1
        while lo + step <= len(units) and fits(
            _join(units[i : lo + step])
        ):  # gallop, so wraps stay short
            lo, step = lo + step, step * 2
        hi = min(lo + step - 1, len(units))
        while lo < hi:  # then binary search: the most units from i on that fit together
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if fits(_join(units[i:mid])) else (lo, mid - 1)
        chunks.append(_join(units[i:lo]))
        i = lo
    return chunks


def _join(units: Sequence[tuple[Run, ...]]) -> tuple[Run, ...]:
    return tuple(run for unit in units for run in unit)


def _split_runs(runs: Sequence[Run], pattern: re.Pattern[str]) -> list[tuple[Run, ...]]:
    """Runs cut after every match of `pattern`; the match stays with the text before it."""
    units: list[list[Run]] = [[]]
    for run in runs:
        if is_math(run):  # an equation is never cut
            units[-1].append(run)
            continue
        start = 0
        for m in pattern.finditer(run.text):
            if m.end() <= start:
                continue
            units[-1].append(replace(run, text=run.text[start : m.end()]))
            units.append([])
            start = m.end()
        if start < len(run.text):
            units[-1].append(replace(run, text=run.text[start:]))
    return [tuple(u) for u in units if u]


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|[。！？]\s*")
_SPACE = re.compile(r"\s+")
_LEVEL_COUNT = 3  # sentence ends, spaces, anywhere (see _level_pattern)


@cache
def _level_pattern(level: int) -> re.Pattern[str]:
    """Where a too-long paragraph is cut, coarsest first: sentence ends, spaces, then after any
    CJK character or zero-width space, even inside a word. The last is compiled on first use:
    a class of ~50,000 code points costs milliseconds, and only over-long words need it."""
    if level < 2:
        return (_SENTENCE_END, _SPACE)[level]
    return re.compile(rf"{ZWSP}|[{CJK}]")


def sentences(runs: Sequence[Run]) -> list[tuple[Run, ...]]:
    return _split_runs(runs, _SENTENCE_END)


def _rstrip(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    if runs and runs[-1].text != runs[-1].text.rstrip():
        last = replace(runs[-1], text=runs[-1].text.rstrip())
        return runs[:-1] + ((last,) if last.text else ())
    return runs


rstrip = _rstrip


def short(text: str, n: int = 40) -> str:
    return clip(plain_text(text), n)
