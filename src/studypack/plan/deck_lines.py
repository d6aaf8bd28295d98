"""How many lines fit.wrap() would make, without making them (the deck planner asks ~10^5 times).

Same tokens, same greedy breaking, same floating-point sums in the same order as fit.wrap,
so the count is exactly len(wrap(...)); tests/test_deck_lines.py checks that on random text.
Word widths are cached, which is most of the speed-up.
"""

from __future__ import annotations

from collections.abc import Sequence

from studypack.fit import ZWSP, FontSet, char_width, is_cjk, token_matches
from studypack.fit import _em_width as _em
from studypack.inline import Run

Piece = tuple[str, str]  # text, reportlab font name


def _groups(runs: Sequence[Run], fonts: FontSet) -> list[list[Piece]]:
    """fit._tokens: unbreakable groups; a word may span runs."""
    groups: list[list[Piece]] = []
    glue = False
    for run in runs:
        fontname = fonts.name_for(run)
        for m in token_matches(run.text):
            tok = m.group()
            is_space = tok[0].isspace() or tok == ZWSP
            cjk = len(tok) == 1 and is_cjk(tok)
            if glue and not is_space and not cjk and m.start() == 0 and groups:
                groups[-1].append((tok, fontname))
            else:
                groups.append([(tok if tok == ZWSP else " " if is_space else tok, fontname)])
            glue = not is_space and not cjk and m.end() == len(run.text)
        if not run.text:
            glue = False
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
