"""How a deck's paragraphs are spread over slides (or columns): a small dynamic programme over
where each box ends, measured with a Fitter. Used by plan/deck.py for points and key terms."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import replace

from studypack.inline import Run
from studypack.plan.deck_fit import HEIGHT_SAFETY, Box, Fitter, Para

_NEVER: tuple[float, ...] = (math.inf,)  # the cost of a layout that cannot be had


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
    for a box is cut into line-long pieces, so it can start below what comes before it
    and end a box anywhere; pieces that share a box are one paragraph again. The count of
    boxes is a multiple of `multiple` (a slide's columns) when there are paragraphs enough.

    Of all ways to break the paragraphs into boxes, the one taken has, in turn: fewest
    parents at a box's foot with their first child in the next (only where the two
    cannot share a box, as greedy filling keeps them: so never more boxes than greedy
    filling); fewest boxes; fewest cuts through nested lists, outer levels first; the
    most even heights (least sum of squares): 3 + 3 points, never 5 + 1.
    """
    parents = parents or [()] * len(paras)
    heads = {chain: fit.heads(chain, box) for chain in set(parents)}
    units, chains, starts, joins = _units(fit, paras, parents, heads, box)
    n = len(units)
    if not n:
        return [[]]
    own = [fit.lines(unit, box) * unit.line_height for unit in units]
    # cost[i][r]: the least cost (parents orphaned, boxes, list levels cut, sum of squared
    # heights) of units[:i] in a count of boxes ≡ r (mod multiple); begin[i][r]: where
    # its last box begins
    cost = [[_NEVER] * multiple for _ in range(n + 1)]
    begin = [[0] * multiple for _ in range(n + 1)]
    cost[0][0] = (0, 0, 0, 0.0)
    for a in range(n):
        orphan, nested = starts[a]
        reach = list(_boxes_from(fit, a, units, own, joins, heads[chains[a]], box))
        for r, before in enumerate(cost[a]):
            if before is _NEVER:
                continue
            orphans, count, cuts, squares = before
            for b, square in reach:
                total = (orphans + orphan, count + 1, cuts + nested, squares + square)
                if total < cost[b][(r + 1) % multiple]:
                    cost[b][(r + 1) % multiple], begin[b][(r + 1) % multiple] = total, a
    r = 0 if cost[n][0] is not _NEVER else min(range(multiple), key=cost[n].__getitem__)
    pages: list[list[Para]] = []
    end = n
    while end:
        a = begin[end][r]
        pages.append([*heads[chains[a]], *_joined(fit, units[a:end], joins[a:end], box)])
        end, r = a, (r - 1) % multiple
    return pages[::-1]

def _joined(fit: Fitter, units: Sequence[Para], joins: Sequence[str | None], box: Box) -> list[Para]:
    """A box's units, the pieces of one paragraph joined again (joins: the space the cut
    took, or None). Wrapped whole, a paragraph never takes more lines than its pieces did
    one by one, so the box still fits."""
    groups: list[tuple[Para, list[Run]]] = []
    for unit, gap in zip(units, joins):
        if gap is not None and groups:
            runs = groups[-1][1]
            if gap and runs:
                runs.append(replace(runs[-1], text=gap))
            runs.extend(unit.runs)
        else:
            groups.append((unit, list(unit.runs)))
    return [
        para if len(runs) == len(para.runs) else fit.prepare(replace(para, runs=tuple(runs)), box)
        for para, runs in groups
    ]

def _units(
    fit: Fitter,
    paras: Sequence[Para],
    chains: Sequence[tuple[Para, ...]],
    heads: dict[tuple[Para, ...], list[Para]],
    box: Box,
) -> tuple[list[Para], list[tuple[Para, ...]], list[tuple[int, int]], list[str | None]]:
    """Each paragraph prepared for the box with its ancestor chain, one too tall for a box
    (below its repeated ancestors) as pieces about a line long (cut at sentence ends where
    a sentence fits a line); what a box starting at each unit breaks: (a parent left at the
    foot of the box before, nested levels cut, a cut inside a paragraph the deepest); and
    for a unit that continues the paragraph of the one before, the space cut between them
    (None for a paragraph's first unit)."""
    units: list[Para] = []
    unit_chains: list[tuple[Para, ...]] = []
    starts: list[tuple[int, int]] = []
    joins: list[str | None] = []
    for i, (para, chain) in enumerate(zip(paras, chains)):
        para, above = fit.prepare(para, box), heads[chain]
        orphan = bool(i and chain) and paras[i - 1] is chain[-1]  # its parent ends a box
        pieces = [para]
        if not fit.fits([*above, para], box):
            line = para.line_height + 2 * box.inset_y + HEIGHT_SAFETY + 1e-6  # float slack
            pieces = fit.split(para, replace(box, h=line))
            pieces[1:] = [replace(piece, space_before=0.0) for piece in pieces[1:]]
        units.extend(pieces)
        unit_chains.extend([chain] * len(pieces))
        starts.extend([(int(orphan), len(chain))] + [(0, len(chain) + 1)] * (len(pieces) - 1))
        joins.extend([None, *_gaps(para, pieces)])
    return units, unit_chains, starts, joins

def _boxes_from(
    fit: Fitter,
    a: int,
    units: Sequence[Para],
    own: Sequence[float],
    joins: Sequence[str | None],
    heads: Sequence[Para],
    box: Box,
) -> Iterator[tuple[int, float]]:
    """Every box that can start at unit a (own: each unit's height): the unit after it,
    and its height squared. Pieces of one paragraph are measured joined, as drawn."""
    before = fit.height(heads, box)  # summed in the same order as height()
    used, space, last, first = before, 0.0, 0.0, a  # last: height of the paragraph from unit first
    for b in range(a, len(units)):
        if b > a and joins[b] is not None:
            last += own[b]  # its pieces' heights bound the joined paragraph's: measure it
            used = before + (space + last)  # only when the bound says it does not fit
            if used > box.text_height:
                joined = _joined(fit, units[first : b + 1], joins[first : b + 1], box)[0]
                last = fit.lines(joined, box) * joined.line_height
                used = before + (space + last)
        else:
            before, first, last = used, b, own[b]
            space = units[b].space_before if heads or b > a else 0.0
            used = before + (space + last)
        if used > box.text_height and b > a:
            return  # one unit alone is always placed (a piece is a line: it fits below its heads)
        yield b + 1, used * used



def _gaps(para: Para, pieces: Sequence[Para]) -> list[str]:
    """The space split() dropped before each piece after the first (none between CJK characters)."""
    text = "".join(r.text for r in para.runs)
    gaps, pos = [], 0
    for k, piece in enumerate(pieces):
        at = text.find("".join(r.text for r in piece.runs), pos)
        if k:
            gaps.append(text[pos:at])
        pos = at + sum(len(r.text) for r in piece.runs)
    return gaps
