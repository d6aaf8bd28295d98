"""How a deck's paragraphs are spread over slides (or columns): a small dynamic programme over
where each box ends, measured with a Fitter. Used by plan/deck.py for points and key terms."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from studypack.fit import is_cjk
from studypack.inline import Run
from studypack.plan.deck_fit import HEIGHT_SAFETY, Box, Fitter, Para
from studypack.plan.deck_inline import is_math

MARK = "\u2026"  # ends a paragraph cut at a box's foot, and starts its rest in the next box
NBSP = "\u00a0"  # binds the mark to its word: it never stands alone on a line
SPARSE = 0.5  # a box filled less than this is nearly empty
MIN_LINES = 2  # lines a cut paragraph keeps on each side of the cut

# How the text before a cut ends, best first.
SENTENCE, CLAUSE, WORD = 0, 1, 2
_CLOSE = "[)\"'\u201d\u2019\u00bb]"  # a closing bracket or quote after the punctuation
_ENDS = re.compile(
    rf"(?P<sentence>(?:(?<=[.!?\u2026])|(?<=[.!?\u2026]{_CLOSE}))\s+|[\u3002\uff01\uff1f]\s*)"
    rf"|(?P<clause>(?:(?<=[;:,\u2014\u2013])|(?<=[;:,]{_CLOSE}))\s+|[\u3001\uff0c\uff1b\uff1a]\s*)"
)

_NEVER: tuple[float, ...] = (math.inf,)  # the cost of a layout that cannot be had


@dataclass(frozen=True)
class ContinuationMark(Run):
    """The mark at a cut through a paragraph, drawn in a theme colour (a theme.Colors field)."""

    color: str = "muted"


@dataclass(frozen=True)
class _Unit:
    """A paragraph, or a piece of one too tall for a box (at most a line long)."""

    para: Para
    chain: tuple[Para, ...]  # its ancestor points, outermost first
    first: int  # the index of its paragraph's first unit
    end: int  # the index after its paragraph's last unit
    gap: str | None  # the white space cut before it; None when it starts its paragraph
    cut: int  # how the text before it ends (SENTENCE, CLAUSE or WORD): a box starting here cuts there
    orphan: bool  # a box starting here leaves its parent at the foot of the box before


def flow(
    fit: Fitter,
    paras: Sequence[Para],
    box: Box,
    parents: Sequence[tuple[Para, ...]] | None = None,
    multiple: int = 1,
) -> list[list[Para]]:
    """Paragraphs spread over as few boxes as hold them, as evenly as they go.

    parents[i] is paragraph i's chain of ancestor points, outermost first: a box that
    starts inside a nested list opens with that chain repeated, marked continued, so a
    sub-point never appears cut off from the point it belongs to. A paragraph too tall
    for a box is cut into pieces at sentence ends, clause ends and line ends, so it can
    start below what comes before it; the part in each box is one paragraph, ending in
    '…' when it goes on in the next box, where its rest starts with '…' and no bullet.
    The count of boxes is a multiple of `multiple` (a slide's columns) when there are
    paragraphs enough.

    Of all ways to break the paragraphs into boxes, the one taken has, in turn: fewest
    cut paragraphs with under two lines on a side of the cut; fewest parents at a box's
    foot with their first child in the next (only where the two cannot share a box, as
    greedy filling keeps them: so never more boxes than greedy filling); fewest boxes;
    fewest boxes starting at a sub-point, outer levels first (a point keeps its
    sub-list); fewest nearly empty boxes, which a too-tall paragraph is cut to avoid
    (so it starts under what comes before it); fewest paragraphs cut between words,
    then between clauses (a cut after a sentence is free); the most even heights
    (least sum of squares): 3 + 3 points, never 5 + 1.
    """
    parents = parents or [()] * len(paras)
    heads = {chain: fit.heads(chain, box) for chain in set(parents)}
    units = _units(fit, paras, parents, heads, box)
    n = len(units)
    if not n:
        return [[]]
    parts = _Parts(fit, units, box)
    # cost[i][r]: the least cost (see the docstring) of units[:i] in a count of boxes
    # ≡ r (mod multiple); begin[i][r]: where its last box begins
    cost = [[_NEVER] * multiple for _ in range(n + 1)]
    begin = [[0] * multiple for _ in range(n + 1)]
    cost[0][0] = (0, 0, 0, 0, 0, 0, 0, 0.0)
    for a, unit in enumerate(units):
        inside = unit.gap is not None  # the box starts inside a paragraph
        # A piece's box cuts its paragraph wherever it starts: not counted as a list cut,
        # or a paragraph would rather start on a box of its own after a nearly empty one.
        nested = 0 if inside else len(unit.chain)
        words, clauses = int(inside and unit.cut == WORD), int(inside and unit.cut == CLAUSE)
        reach = list(_boxes_from(a, units, parts, heads[unit.chain], box))
        for r, before in enumerate(cost[a]):
            if before is _NEVER:
                continue
            stranded, orphans, count, cuts, sparse, word_cuts, clause_cuts, squares = before
            for b, short, empty, square in reach:
                total = (
                    stranded + short,
                    orphans + unit.orphan,
                    count + 1,
                    cuts + nested,
                    sparse + empty,
                    word_cuts + words,
                    clause_cuts + clauses,
                    squares + square,
                )
                if total < cost[b][(r + 1) % multiple]:
                    cost[b][(r + 1) % multiple], begin[b][(r + 1) % multiple] = total, a
    r = 0 if cost[n][0] is not _NEVER else min(range(multiple), key=cost[n].__getitem__)
    pages: list[list[Para]] = []
    end = n
    while end:
        a = begin[end][r]
        pages.append([*heads[units[a].chain], *parts.of_box(a, end)])
        end, r = a, (r - 1) % multiple
    return pages[::-1]


def _units(
    fit: Fitter,
    paras: Sequence[Para],
    chains: Sequence[tuple[Para, ...]],
    heads: dict[tuple[Para, ...], list[Para]],
    box: Box,
) -> list[_Unit]:
    """Each paragraph prepared for the box with its ancestor chain; one too tall for a box
    (below its repeated ancestors) as pieces at most a line long."""
    units: list[_Unit] = []
    for i, (para, chain) in enumerate(zip(paras, chains)):
        orphan = bool(i and chain) and paras[i - 1] is chain[-1]  # its parent ends a box
        para = fit.prepare(para, box)
        pieces = [(para, WORD)]
        if not fit.fits([*heads[chain], para], box):
            pieces = _pieces(fit, para, box)
        first, end = len(units), len(units) + len(pieces)
        gaps = [None, *_gaps(para, [piece for piece, _ in pieces])]
        for k, ((piece, cut), gap) in enumerate(zip(pieces, gaps)):
            units.append(_Unit(piece, chain, first, end, gap, cut, orphan and not k))
    return units


def _pieces(fit: Fitter, para: Para, box: Box) -> list[tuple[Para, int]]:
    """A paragraph cut into pieces at most a line long, each with how the text before it
    ends: whole sentences packed into lines; a sentence longer than a line as its clauses
    packed into lines; a clause longer than a line at words, else between characters.
    Only the first piece keeps the bullet and the space above."""
    line = replace(box, h=para.line_height + 2 * box.inset_y + HEIGHT_SAFETY + 1e-6)  # float slack

    def fits(runs: tuple[Run, ...]) -> bool:
        return fit.fits([replace(para, runs=_rstrip(runs))], line)

    out: list[tuple[tuple[Run, ...], int]] = []  # each piece with how it ends
    for sentence in _packed(_sentences(_segments(para.runs)), fits):
        # a chunk that does not fit a line is one sentence: its clauses packed instead
        clause_chunks = (
            [sentence] if fits(sentence[0]) else _packed([[c] for c in sentence[1]], fits)
        )
        for clauses in clause_chunks:
            if fits(clauses[0]):
                out.append((clauses[0], clauses[1][-1][1]))
                continue
            for runs, end in clauses[1]:  # one clause too long for a line
                split = fit.split(replace(para, runs=runs), line)
                out.extend((piece.runs, WORD) for piece in split[:-1])
                out.append((split[-1].runs, end))
    pieces: list[tuple[Para, int]] = []
    before = WORD
    for runs, end in out:
        runs = _merged(_rstrip(runs))
        if runs:
            piece = (
                replace(para, runs=runs)
                if not pieces
                else replace(para, runs=runs, bullet=None, space_before=0.0)
            )
            pieces.append((piece, before))
        before = end
    return pieces


Segment = tuple[tuple[Run, ...], int]  # runs, and how they end (SENTENCE, CLAUSE or WORD)


def _sentences(segments: list[Segment]) -> list[list[Segment]]:
    """Segments grouped into sentences."""
    out: list[list[Segment]] = [[]]
    for segment in segments:
        out[-1].append(segment)
        if segment[1] == SENTENCE:
            out.append([])
    return [group for group in out if group]


def _packed(
    groups: Sequence[Sequence[Segment]], fits: Callable[[tuple[Run, ...]], bool]
) -> list[tuple[tuple[Run, ...], list[Segment]]]:
    """Consecutive groups of segments (sentences, or single clauses) joined into the longest
    chunks that fit a line, a group alone when it does not: each chunk's runs and segments."""
    chunks: list[tuple[tuple[Run, ...], list[Segment]]] = []
    for group in groups:
        segments = list(group)
        runs = tuple(r for seg, _ in segments for r in seg)
        if chunks and fits(chunks[-1][0] + runs) and fits(chunks[-1][0]):
            chunks[-1] = (chunks[-1][0] + runs, chunks[-1][1] + segments)
        else:
            chunks.append((runs, segments))
    return chunks


def _segments(runs: Sequence[Run]) -> list[tuple[tuple[Run, ...], int]]:
    """The runs cut after each sentence and clause end (its white space kept before the cut),
    each part with how it ends (SENTENCE, CLAUSE, or WORD for the last)."""
    # An equation's source is never cut: its punctuation is no sentence's or clause's end.
    text = "".join("x" * len(r.text) if is_math(r) else r.text for r in runs)
    cuts = [(m.end(), SENTENCE if m.group("sentence") else CLAUSE) for m in _ENDS.finditer(text)]
    cuts = [(at, kind) for at, kind in cuts if 0 < at < len(text)] + [(len(text), WORD)]
    out: list[tuple[tuple[Run, ...], int]] = []
    start = 0
    for at, kind in cuts:
        out.append((_slice(runs, start, at), kind))
        start = at
    return [(part, kind) for part, kind in out if part]


def _slice(runs: Sequence[Run], start: int, end: int) -> tuple[Run, ...]:
    """The runs' text from character `start` to `end`, each piece in its own run's style."""
    out, pos = [], 0
    for run in runs:
        lo, hi = max(start - pos, 0), min(end - pos, len(run.text))
        if lo < hi:
            out.append(
                run if (lo, hi) == (0, len(run.text)) else replace(run, text=run.text[lo:hi])
            )
        pos += len(run.text)
    return tuple(out)


def _rstrip(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    while runs and not runs[-1].text.rstrip():
        runs = runs[:-1]
    if runs and runs[-1].text != runs[-1].text.rstrip():
        runs = runs[:-1] + (replace(runs[-1], text=runs[-1].text.rstrip()),)
    return runs


def _merged(runs: Sequence[Run]) -> tuple[Run, ...]:
    """Neighbouring runs in one style joined (pieces cut at words or between CJK characters
    are a run each)."""
    out: list[Run] = []
    texts: list[list[str]] = []
    last: tuple[object, ...] = ()
    for run in runs:
        style = (type(run), *(v for k, v in vars(run).items() if k != "text"))
        if out and style == last and not is_math(run):  # two equations side by side stay two
            texts[-1].append(run.text)
        else:
            out.append(run)
            texts.append([run.text])
            last = style
    return tuple(r if len(t) == 1 else replace(r, text="".join(t)) for r, t in zip(out, texts))


def _gaps(para: Para, pieces: Sequence[Para]) -> list[str]:
    """The white space dropped before each piece after the first (none between CJK characters)."""
    text = "".join(r.text for r in para.runs)
    gaps, pos = [], 0
    for k, piece in enumerate(pieces):
        at = text.find("".join(r.text for r in piece.runs), pos)
        if k:
            gaps.append(text[pos:at])
        pos = at + sum(len(r.text) for r in piece.runs)
    return gaps


class _Parts:
    """The part of a paragraph from one unit to another, as drawn in one box (its pieces
    joined again, marked where cut), and its lines, measured once."""

    def __init__(self, fit: Fitter, units: Sequence[_Unit], box: Box):
        self.fit, self.units, self.box = fit, units, box
        self._lines: dict[tuple[int, int], tuple[int, float]] = {}

    def para(self, start: int, end: int) -> Para:
        first = self.units[start]
        if (start, end) == (first.first, first.end) and end - start == 1:
            return first.para  # a whole paragraph, never cut
        runs: list[Run] = []
        for unit in self.units[start:end]:
            if runs and unit.gap:
                runs.append(replace(runs[-1], text=unit.gap))
            runs.extend(unit.para.runs)
        # Pieces of a prepared paragraph: joined, they need no preparing again.
        para = replace(first.para, runs=_merged(runs))
        runs = list(para.runs)
        if start > first.first:  # the rest of a paragraph begun in the box before
            text = runs[0].text if runs else ""
            runs.insert(0, ContinuationMark(MARK + ("" if text and is_cjk(text[0]) else NBSP)))
        if end < first.end:  # it goes on in the next box
            text = runs[-1].text if runs else ""
            runs.append(ContinuationMark(("" if text and is_cjk(text[-1]) else NBSP) + MARK))
        return replace(para, runs=tuple(runs))

    def lines(self, start: int, end: int) -> int:
        return self._measured(start, end)[0]

    def height(self, start: int, end: int) -> float:
        return self._measured(start, end)[1]

    def _measured(self, start: int, end: int) -> tuple[int, float]:
        """Lines and height (a part holding an equation has a taller line pitch)."""
        known = self._lines.get((start, end))
        if known is None:
            para = self.para(start, end)
            lines = self.fit.lines(para, self.box)
            known = self._lines[start, end] = (lines, lines * para.line_height)
        return known

    def of_box(self, start: int, end: int) -> list[Para]:
        """The paragraphs of a box holding units[start:end], cut ones as their parts."""
        out = []
        while start < end:
            stop = min(self.units[start].end, end)
            out.append(self.para(start, stop))
            start = stop
        return out


def _boxes_from(
    a: int, units: Sequence[_Unit], parts: _Parts, heads: Sequence[Para], box: Box
) -> Iterator[tuple[int, int, int, float]]:
    """Every box that can start at unit a: the unit after it; how many sides of cuts in it
    hold under two lines; whether it is nearly empty; its height squared."""
    fit = parts.fit
    above = fit.height(heads, box)  # the height of everything above the current paragraph
    used = above
    start = units[a]
    for b in range(a, len(units)):
        unit = units[b]
        first = max(a, unit.first)  # where this paragraph's part in the box starts
        if b == first:
            above = used
            space = unit.para.space_before if heads or b > a else 0.0
        lines = parts.lines(first, b + 1)
        used = above + (space + parts.height(first, b + 1))
        if used > box.text_height and b > a:
            return  # one unit alone is always placed (a piece is a line: it fits below its heads)
        short = 0
        if start.gap is not None and parts.lines(a, min(b + 1, start.end)) < MIN_LINES:
            short += 1  # the rest of a paragraph cut in the box before
        if b + 1 < unit.end and lines < MIN_LINES:
            short += 1  # the start of a paragraph that goes on in the next box
        yield b + 1, short, int(used < SPARSE * box.text_height), used * used
