"""How many lines fit.wrap() would make, without making them (the deck planner asks ~10^5 times).

Same tokens, same greedy breaking, same floating-point sums in the same order as fit.wrap,
so the count is exactly len(wrap(...)); tests/test_deck_lines.py checks that on random text.
Word widths are cached, which is most of the speed-up.
"""

from __future__ import annotations

from collections.abc import Sequence

from studypack.fit import ZWSP, FontSet, char_width, token_stream
from studypack.fit import _em_width as _em
from studypack.inline import Run

Piece = tuple[str, str]  # text, reportlab font name


def _groups(runs: Sequence[Run], fonts: FontSet) -> list[list[Piece]]:
    """fit.groups with font names instead of runs, from the same fit.token_stream."""
    groups: list[list[Piece]] = []
    last, fontname = None, ""  # name_for once per run, not per token
    for run, tok, joins in token_stream(runs):
        if run is not last:
            last, fontname = run, fonts.name_for(run)
        if joins:
            groups[-1].append((tok, fontname))
        else:
            groups.append([(tok, fontname)])
    return groups


def _width(pieces: Sequence[Piece], size: float) -> float:
    total = 0.0
    for text, fontname in pieces:
        total += _em(text, fontname) * size / 1000.0
    return total


def _break(group: list[Piece], size: float, width: float) -> tuple[int, list[Piece]]:
    """fit._break_word: lines it completes, and the pieces of its last (open) line."""
    full = 0
    current: list[Piece] = []
    current_w = 0.0
    for text, fontname in group:
        buf = ""
        for ch in text:
            cw = char_width(ch, fontname) * size / 1000.0
            if current_w + cw > width and (current or buf):
                if buf:
                    current.append((buf, fontname))
                full += 1
                current, current_w, buf = [], 0.0, ""
            buf += ch
            current_w += cw
        if buf:
            current.append((buf, fontname))
    return full, current


def count_lines(runs: Sequence[Run], fonts: FontSet, size: float, width: float) -> int:
    """len(fit.wrap(runs, fonts, size, width))."""
    lines = 0
    open_line = False
    line_w = 0.0
    pending: Piece | None = None  # a space that only counts if something follows it
    for group in _groups(runs, fonts):
        if group[0][0] in (" ", ZWSP):
            if open_line:
                pending = group[0]
            continue
        w = _width(group, size)
        space_w = _width([pending], size) if pending and open_line else 0.0
        if open_line and line_w + space_w + w <= width:
            line_w += space_w + w
        else:
            lines += open_line
            if w <= width:
                open_line, line_w = True, w
            else:
                full, last = _break(group, size, width)
                lines += full
                open_line, line_w = bool(last), _width(last, size)
        pending = None
    return lines + open_line
