"""Key-term slides: how many, which terms go on each, in columns or full width, at what size."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from studypack.plan.deck_fit import Box, Fitter, Para
from studypack.plan.deck_flow import flow

# Largest first: the deck's body size down to the smallest size that reads on a slide.
TERM_SIZES = tuple(float(s) for s in range(24, 13, -1))
# Slides are counted at this size: a glossary gets the slides it needs at it, never fewer
# slides of smaller text. Only a term too long for a whole slide at it is set smaller.
COMFORTABLE = 18.0
LONGEST_LINE = 40.0  # ems (about 80 characters): a longer line is hard to follow on a slide
_INF = float("inf")


@dataclass(frozen=True)
class TermSlide:
    """One key-term slide: its columns (just one: a full-width slide in the body frame)."""

    columns: tuple[tuple[Para, ...], ...]
    size: float


@dataclass(frozen=True)
class _Option:
    """Terms start..end on one slide, in columns or full width, at the largest size that fits;
    or one term too long for a slide at COMFORTABLE (`alone`), cut over `pages` slides if
    even the smallest size cannot hold it."""

    end: int
    layout: str  # columns | full | cut
    size: float
    fill: float  # the share of the text frames' height the terms take
    alone: bool = False
    pages: int = 1
    wide: bool = False  # full width although it holds more terms than fit there at the largest size


def _space(size: float) -> float:
    return size * 0.5


class _Terms:
    """The glossary's paragraphs measured at each size in each box, each measurement once."""

    def __init__(self, fit: Fitter, paras: Sequence[Para], columns: Sequence[Box], full: Box):
        self.fit, self.paras, self.columns, self.full = fit, paras, tuple(columns), full
        self.para = cache(self._para)
        self.own = cache(self._own)
        self.solo = cache(self._solo)

    def _para(self, i: int, size: float, box: Box) -> Para:
        """Term i at the size, prepared for the box."""
        return self.fit.prepare(replace(self.paras[i], size=size, space_before=_space(size)), box)

    def _own(self, i: int, size: float, box: Box) -> float:
        """Term i's lines times its line pitch (measured only when asked: most terms are
        never tried at most sizes)."""
        para = self.para(i, size, box)
        return self.fit.lines(para, box) * para.line_height

    def full_width_only(self) -> _Terms:
        """The same terms with no columns, sharing every measurement made."""
        other = _Terms(self.fit, self.paras, (), self.full)
        other.para, other.own, other.solo = self.para, self.own, self.solo
        return other

    def paras_at(self, a: int, b: int, size: float, box: Box) -> tuple[Para, ...]:
        return tuple(self.para(i, size, box) for i in range(a, b))

    def stack(self, a: int, b: int, size: float, box: Box) -> float:
        """Terms a..b one under another in the box: summed as Fitter.height sums them."""
        total = 0.0
        for i in range(a, b):
            total += (_space(size) if i > a else 0.0) + self.own(i, size, box)
        return total

    def fill(self, a: int, b: int, size: float, boxes: Sequence[Box]) -> bool:
        """Whether terms a..b fit the boxes in turn, each filled as full as it goes (the
        fewest boxes any split that keeps their order needs)."""
        col, total = 0, 0.0
        for i in range(a, b):
            h = self.own(i, size, boxes[col])
            if i > a and total + (_space(size) + h) <= boxes[col].text_height:
                total += _space(size) + h
                continue
            if i > a:
                col += 1
                if col == len(boxes):
                    return False
                h = self.own(i, size, boxes[col])
            total = 0.0 + h
            if total > boxes[col].text_height:
                return False
        return True

    def _solo(self, i: int) -> float | None:
        """The largest size at which term i fits a full-width slide by itself, or None."""
        return next((s for s in TERM_SIZES if self.fill(i, i + 1, s, [self.full])), None)


def plan_terms(
    fit: Fitter, paras: Sequence[Para], columns: Sequence[Box], full: Box
) -> list[TermSlide]:
    """The glossary's paragraphs (in order, at any size) on key-term slides.

    The count of slides is the fewest that hold every term at COMFORTABLE or larger. Of the
    ways to spread the terms over that many slides, keeping their order, the one taken has
    columns on every slide that holds more than a few terms, then the largest smallest size,
    then sizes as close to it as they go, then slides as equally full. Each slide uses the
    largest size at which its terms fit: in columns balanced by height, or full width when
    it holds fewer terms than columns or its few terms fit there at the largest size. Where
    terms too long to pair up would mix the layouts, every slide is full width instead if
    that takes no more slides and its lines are not too long.
    A term is never cut, unless a whole slide cannot hold it at the smallest size; one too
    long for a whole slide at COMFORTABLE stands alone.
    """
    if not paras:
        return []
    terms = _Terms(fit, paras, columns, full)
    chosen = _spread(terms)
    if any(o.wide for _, o in chosen) and full.text_width <= LONGEST_LINE * COMFORTABLE:
        # Mixed layouts: full width throughout if that needs no more slides (and its lines
        # are not too long to read: on a 4:3 slide, not a 16:9 one).
        wide = terms.full_width_only()
        throughout = _spread(wide)
        if sum(o.pages for _, o in throughout) <= sum(o.pages for _, o in chosen):
            terms, chosen = wide, throughout
    return [slide for a, o in chosen for slide in _slides(terms, a, o)]


def _spread(terms: _Terms) -> list[tuple[int, _Option]]:
    """The slides that hold the terms: the option each starts, and the term it starts at."""
    n = len(terms.paras)
    options = [_options(terms, a) for a in range(n)]
    base = n + 1  # one slide a size smaller outweighs any number of larger ones

    def largest(o: _Option) -> tuple[float, ...]:
        # Fewest slides; columns unless few terms; the fewest slides at the smallest size,
        # then at the next and so on.
        return o.pages, int(o.wide), 0 if o.alone else base ** TERM_SIZES.index(o.size)

    floor = min(
        (o.size for _, o in _cheapest(options, largest) if not o.alone), default=TERM_SIZES[0]
    )

    def even(o: _Option) -> tuple[float, ...]:
        # As many slides and as wide, none smaller than that smallest size; then sizes as
        # close to it as they go (a slide of few terms would be larger: they are spread
        # instead); slides equally full; full-width slides after column ones.
        if not o.alone and o.size < floor:
            return (_INF,)
        above = 0.0 if o.alone else o.size - floor
        late = 0 if o.layout == "columns" else n - o.end
        return o.pages, int(o.wide), above * above, (1.0 - o.fill) ** 2, late

    return _cheapest(options, even)


def _cheapest(
    options: Sequence[Sequence[_Option]], cost: Callable[[_Option], tuple[float, ...]]
) -> list[tuple[int, _Option]]:
    """The options, one after another from the first term to the last, of least summed cost
    (compared in order of the cost's parts), with the term each starts at."""
    n = len(options)
    best: list[tuple[float, ...] | None] = [None] * (n + 1)
    came: list[tuple[int, _Option] | None] = [None] * (n + 1)
    best[0] = (0.0,) * 6
    for a in range(n):
        before = best[a]
        if before is None:
            continue
        for o in options[a]:
            own = cost(o)
            if own[0] == _INF:
                continue
            total = tuple(x + y for x, y in zip(before, own + (0.0,) * (6 - len(own))))
            if best[o.end] is None or total < best[o.end]:  # type: ignore[operator]
                best[o.end], came[o.end] = total, (a, o)
    out: list[tuple[int, _Option]] = []
    end = n
    while end:
        step = came[end]
        assert step is not None  # every term alone has an option that is never refused
        out.append(step)
        end = step[0]
    return out[::-1]


def _options(terms: _Terms, a: int) -> list[_Option]:
    """Every slide that can start at term a: up to which term, how laid out, at what size."""
    solo, full, columns = terms.solo(a), terms.full, terms.columns
    if solo is None:  # too long for a whole slide even at the smallest size: cut
        pages = flow(terms.fit, terms.paras_at(a, a + 1, TERM_SIZES[-1], full), full)
        return [_Option(a + 1, "cut", TERM_SIZES[-1], 1.0, True, len(pages))]
    if solo < COMFORTABLE:  # it takes a slide of its own, at the largest size it fits
        return [
            _Option(a + 1, "full", solo, terms.stack(a, a + 1, solo, full) / full.text_height, True)
        ]
    sizes = TERM_SIZES[: TERM_SIZES.index(COMFORTABLE) + 1]
    out: list[_Option] = []
    in_columns = in_full = 0  # indices into sizes: what fails for a..b fails for a longer run
    for b in range(a + 1, len(terms.paras) + 1):
        if b > a + 1 and (terms.solo(b - 1) or 0.0) < COMFORTABLE:
            break  # that term stands alone
        while in_full < len(sizes) and not terms.fill(a, b, sizes[in_full], [full]):
            in_full += 1
        if len(columns) < 2 or b - a < len(columns):  # one column, or fewer terms: full width
            in_columns_now = len(sizes)
        else:
            while in_columns < len(sizes) and not terms.fill(a, b, sizes[in_columns], columns):
                in_columns += 1
            in_columns_now = in_columns
        if in_columns_now == len(sizes) and in_full == len(sizes):
            if b - a < len(columns):
                continue  # more terms may fit the columns
            break
        # Few terms read best in one column: full width when there are fewer than columns
        # or they fit it at the largest size; else columns, balanced by height, if they fit.
        if in_full < len(sizes) and (in_full == 0 or in_columns_now == len(sizes)):
            size = sizes[in_full]
            fill = terms.stack(a, b, size, full) / full.text_height
            out.append(
                _Option(b, "full", size, fill, wide=in_full > 0 and b - a >= len(columns) >= 2)
            )
        else:
            size = sizes[in_columns]
            used = terms.stack(a, b, size, columns[0]) - (len(columns) - 1) * _space(size)
            out.append(_Option(b, "columns", size, used / sum(c.text_height for c in columns)))
    return out


def _slides(terms: _Terms, a: int, o: _Option) -> list[TermSlide]:
    """The slide(s) of one chosen option."""
    full, columns = terms.full, terms.columns
    if o.layout == "cut":
        pages = flow(terms.fit, terms.paras_at(a, a + 1, o.size, full), full)
        return [TermSlide((tuple(page),), o.size) for page in pages]
    if o.layout == "full":
        return [TermSlide((terms.paras_at(a, o.end, o.size, full),), o.size)]
    bounds = [a, *_balanced_cuts(terms, a, o.end, o.size), o.end]
    return [
        TermSlide(
            tuple(
                terms.paras_at(bounds[j], bounds[j + 1], o.size, box)
                for j, box in enumerate(columns)
            ),
            o.size,
        )
    ]


def _balanced_cuts(terms: _Terms, a: int, b: int, size: float) -> list[int]:
    """Where terms a..b are cut into one non-empty run per column, every column fitting:
    the fullest column as empty as it can be, then the heights as even as they go."""
    columns = terms.columns
    k = len(columns)
    worst = (_INF, _INF)
    # best[j][i]: (fullest share, sum of squared heights) of terms a..i in the first j columns
    best = [[worst] * (b + 1) for _ in range(k + 1)]
    cut = [[a] * (b + 1) for _ in range(k + 1)]
    best[0][a] = (0.0, 0.0)
    for j, box in enumerate(columns, 1):
        for i in range(a + j, b + 1):
            for m in range(a + j - 1, i):
                fullest, squares = best[j - 1][m]
                h = terms.stack(m, i, size, box)
                if fullest == _INF or h > box.text_height:
                    continue
                total = (max(fullest, h / box.text_height), squares + h * h)
                if total < best[j][i]:
                    best[j][i], cut[j][i] = total, m
    assert best[k][b] != worst, "the option was measured to fit"
    cuts, end = [], b
    for j in range(k, 1, -1):
        end = cut[j][end]
        cuts.append(end)
    return cuts[::-1]
