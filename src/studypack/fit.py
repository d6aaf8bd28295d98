"""Text measurement and fitting with real font metrics, shared by the deck and the cards.

Lines are wrapped the way PowerPoint and LibreOffice wrap: at spaces, between CJK
characters (but never before a closing mark like "。" or after an opening bracket: kinsoku),
and inside a word only when the word alone is wider than the line.
The result is the exact lines to draw, so what was measured is what gets drawn.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase import pdfmetrics

from studypack.fonts import FontNames, fallback_for
from studypack.inline import Run
from studypack.units import LEADING

CJK = (
    "\u1100-\u11ff\u2e80-\u303f\u3040-\u30ff\u3100-\u9fff\ua960-\ua97f\uac00-\ud7af"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)

# A token is a run of white space, a zero-width space (a break opportunity that draws nothing),
# one CJK character (breakable on both sides, except as kinsoku below), or a word.
ZWSP = "\u200b"
SPACE_TOKENS = (" ", ZWSP)  # the tokens a line breaks at (token_stream yields white space as " ")

# Kinsoku shori (JIS X 4051), one table for every output: what may not start a line (closing
# marks, small kana, prolonged-sound and iteration marks, so they stay with what precedes them)
# and what may not end one (opening brackets, which stay with what follows). reportlab's tables
# plus the kin they lack: full-width and half-width forms, more brackets and kana, ellipses.
NO_LINE_START = frozenset(
    ALL_CANNOT_START + "、。，．・：；？！ー）」』】〕〉》〙〗〟〜～゠ゝゞヽヾ々〻゛゜‥…”’"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "！％），．：；？］｝｠｡｣､･ｧｨｩｪｫｬｭｮｯｰﾞﾟ}"
)  # fmt: skip
NO_LINE_END = frozenset(ALL_CANNOT_END + "（「『【〔〈《〘〖〝［｛｟｢")

# No-break spaces (French « mot ») join a word; clients never break there.
_WORD = rf"(?:[^\s{ZWSP}]|[\u00a0\u202f])+"
_TOKEN_NO_CJK = re.compile(rf"[^\S\u00a0\u202f]+|{ZWSP}|{_WORD}")


@cache
def _cjk_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    # Compiled on first use: a class of ~50,000 code points costs milliseconds at start-up,
    # and text below U+1100 (most Western text) never needs it.
    word = rf"(?:[^\s{ZWSP}{CJK}]|[\u00a0\u202f])+"
    return re.compile(f"[{CJK}]"), re.compile(rf"[^\S\u00a0\u202f]+|{ZWSP}|[{CJK}]|{word}")


_HANGUL_JAMO = re.compile("[\u1100-\u11ff]")  # the only CJK block below U+2E80


def _may_have_cjk(text: str) -> bool:
    top = max(text, default="")
    return top >= "\u2e80" or (top >= "\u1100" and _HANGUL_JAMO.search(text) is not None)


def token_matches(text: str) -> Iterator[re.Match[str]]:
    """Tokens of `text`: white space, a zero-width space, one CJK character, or a word."""
    return (_cjk_patterns()[1] if _may_have_cjk(text) else _TOKEN_NO_CJK).finditer(text)


def is_cjk(ch: str) -> bool:
    return _may_have_cjk(ch) and _cjk_patterns()[0].match(ch) is not None


def has_cjk(text: str) -> bool:
    """Whether text holds a CJK character (lines may then break between characters)."""
    return _may_have_cjk(text) and _cjk_patterns()[0].search(text) is not None


def token_stream(runs: Sequence[Run]) -> Iterator[tuple[Run, str, bool]]:
    """Each token with its run (white space as " ") and whether it joins the token before it.

    A word joins across runs ("**bold**er"); a mark in NO_LINE_START joins what precedes it
    and one in NO_LINE_END what follows it, so no line starts with "。" or ends with "「".
    Both sets are CJK, so text without CJK keeps the fast path of token_matches.
    """
    prev = ""  # the token before, "" after white space or a zero-width space (a break)
    prev_word = False
    for run in runs:
        for m in token_matches(run.text):
            tok = m.group()
            if tok == ZWSP or (tok[0].isspace() and tok[0] not in "\u00a0\u202f"):
                yield run, tok if tok == ZWSP else " ", False
                prev = ""
                continue
            word = len(tok) > 1 or not is_cjk(tok)
            if not prev:
                yield run, tok, False
            elif word:  # "……" or "”" after a CJK character is a word that must not start a line
                yield run, tok, prev_word or prev in NO_LINE_END or tok[0] in NO_LINE_START
            else:
                yield run, tok, tok in NO_LINE_START or prev in NO_LINE_END
            prev, prev_word = tok, word


_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


@dataclass(frozen=True)
class Piece:
    """A stretch of one run's text on one line."""

    text: str
    run: Run


Line = tuple[Piece, ...]


@dataclass(frozen=True)
class Fitted:
    size: float
    lines: tuple[Line, ...]
    fits: bool  # False when even min_size overflows the box (lines are then at min_size)

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING


@dataclass(frozen=True)
class FontSet:
    """The fonts a text is measured (and drawn) in: body styles plus a code font."""

    text: FontNames
    code: FontNames

    def name_for(self, run: Run) -> str:
        return (self.code if run.code else self.text).pick(run.bold, run.italic)


@cache
def _font_tables(fontname: str) -> tuple[dict[int, int] | None, bool]:
    """(TrueType char widths or None, is a standard Type 1 font)."""
    font = pdfmetrics.getFont(fontname)
    face = getattr(font, "face", None)
    widths = getattr(face, "charWidths", None)
    if isinstance(widths, dict):
        return widths, False
    return None, True


@cache
def _office_widths() -> dict[str, dict[int, int]]:
    """Widths of Arial's and Times New Roman's metric clones where the standard fonts that
    stand for them lack a character or set it at another width (scripts/make_office_widths.py)."""
    tables = json.loads((Path(__file__).parent / "office_widths.json").read_text())
    return {
        font: {int(code, 16): width for code, width in table.items()}
        for font, table in tables.items()
    }


@lru_cache(maxsize=262144)
def char_width(ch: str, fontname: str) -> float:
    """Advance width of one character in thousandths of an em."""
    if ch in _ZERO_WIDTH or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    ttf_widths, standard = _font_tables(fontname)
    if ttf_widths is not None and ord(ch) in ttf_widths:
        return float(ttf_widths[ord(ch)])
    if standard:
        clone = _office_widths().get(fontname, {}).get(ord(ch))
        if (
            clone is not None
        ):  # what LibreOffice (and PowerPoint) set, not what Helvetica/Times would
            return float(clone)
        try:
            ch.encode("cp1252")  # the standard fonts' WinAnsi repertoire
            return pdfmetrics.stringWidth(ch, fontname, 1000)
        except UnicodeEncodeError:
            pass
    # Not in this font: a fallback font draws it. In a PDF that is a font we choose, so
    # measure it there (a 10⁻³ with a guessed width prints with a gap); a deck's fallback
    # is the viewer's: CJK and emoji are full-width there, anything else is estimated generously.
    fallback = fallback_for(ch) if ttf_widths is not None else None
    if fallback is not None:
        return char_width(ch, fallback)
    if standard and fontname.startswith("Courier"):
        return 600.0  # monospaced: every glyph a viewer draws in its place is as wide
    if 0x2190 <= ord(ch) <= 0x21FF:
        return 1000.0  # arrows are an em wide in Arial, Times New Roman and their clones
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        # Colour emoji fonts advance wider than an em (Noto Color Emoji: 1.245 em).
        return 1250.0 if unicodedata.category(ch) == "So" else 1000.0
    return 650.0


@lru_cache(maxsize=262144)
def _em_width(text: str, fontname: str) -> float:
    return sum(char_width(c, fontname) for c in text)


def text_width(text: str, fontname: str, size: float) -> float:
    return _em_width(text, fontname) * size / 1000.0


def runs_width(runs: Sequence[Run | Piece], fonts: FontSet, size: float) -> float:
    total = 0.0
    for r in runs:
        run = r.run if isinstance(r, Piece) else r
        total += text_width(r.text, fonts.name_for(run), size)
    return total


def groups(runs: Sequence[Run]) -> list[list[Piece]]:
    """Unbreakable groups: words may span runs, kinsoku marks stay with their neighbours."""
    out: list[list[Piece]] = []
    for run, tok, joins in token_stream(runs):
        if joins:
            out[-1].append(Piece(tok, run))
        else:
            out.append([Piece(tok, run)])
    return out


Token = tuple[str, str, Run]  # text, reportlab font name, the run it came from
T = TypeVar("T")  # what a line is made of: a Token here, a piece with its width in the deck

# A group no break may split, after the space before it: (that space or None, the space's
# width, 0.0 for None; the group's items, the group's width). A space only counts between two
# groups of one line (never at a line's start or end); when several come before a group, the
# last stands for them.
SpacedGroup = tuple[T | None, float, list[T], float]


def greedy_lines(
    groups: Iterable[SpacedGroup[T]],
    width: float,
    split_wide: Callable[[list[T], list[list[T]]], tuple[list[T], float]] | None = None,
) -> list[list[T]]:
    """Greedy line breaking, the one loop behind break_lines() and the deck's lines that hold
    equations: a group goes on the current line when it fits there after the space before it,
    else it starts the next line.

    A group wider than the line stands alone on its line, or `split_wide` splits it: it appends
    the full lines to the list it is given and returns the last, open one with its width.
    A group's list becomes the line it starts (not copied): callers hand over fresh lists.
    """
    lines: list[list[T]] = []
    line: list[T] = []
    line_w = 0.0
    for space, space_w, group, w in groups:
        if line and line_w + space_w + w <= width:
            if space is not None:
                line.append(space)
            line.extend(group)
            line_w += space_w + w
        else:
            if line:
                lines.append(line)
            if w <= width or split_wide is None:
                line, line_w = group, w
            else:
                line, line_w = split_wide(group, lines)
    if line:
        lines.append(line)
    return lines


def break_lines(
    runs: Sequence[Run], fonts: FontSet, size: float, width: float
) -> list[list[Token]]:
    """Greedy line breaking of runs, the one routine behind wrap() and count_lines().

    Lines break at spaces and between CJK characters (kinsoku groups stay whole); a group
    wider than the line is broken between characters.
    """

    def split_wide(group: list[Token], lines: list[list[Token]]) -> tuple[list[Token], float]:
        line = _break_group(group, size, width, lines)
        return line, _tokens_width(line, size)

    return greedy_lines(_measured_groups(runs, fonts, size), width, split_wide)


def _measured_groups(runs: Sequence[Run], fonts: FontSet, size: float) -> list[SpacedGroup[Token]]:
    """groups() as tokens with their font names (looked up once per run, not per token), each
    with its width at `size` and the space before it."""
    out: list[SpacedGroup[Token]] = []
    em_width = _em_width  # bound once: the deck fitter's innermost loop
    space: Token | None = None
    space_w = 0.0
    last, fontname = None, ""
    for run, tok, joins in token_stream(runs):
        if run is not last:
            last, fontname = run, fonts.name_for(run)
        w = em_width(tok, fontname) * size / 1000.0
        if joins:  # the width summed token by token, as _tokens_width sums it
            before, before_w, group, total = out[-1]
            group.append((tok, fontname, run))
            out[-1] = (before, before_w, group, total + w)
        elif tok in SPACE_TOKENS:
            space, space_w = (tok, fontname, run), w
        else:
            out.append((space, space_w, [(tok, fontname, run)], w))
            space, space_w = None, 0.0
    return out


def _tokens_width(tokens: Sequence[Token], size: float) -> float:
    total = 0.0
    for text, fontname, _ in tokens:
        total += _em_width(text, fontname) * size / 1000.0
    return total


def _break_group(
    group: list[Token], size: float, width: float, lines: list[list[Token]]
) -> list[Token]:
    """Split an over-wide group across lines (appended to `lines`); returns its last, open line."""
    current: list[Token] = []
    current_w = 0.0
    for text, fontname, run in group:
        buf = ""
        for ch in text:
            cw = char_width(ch, fontname) * size / 1000.0
            if current_w + cw > width and (current or buf):
                if buf:
                    current.append((buf, fontname, run))
                lines.append(current)
                current, current_w, buf = [], 0.0, ""
            buf += ch
            current_w += cw
        if buf:
            current.append((buf, fontname, run))
    return current


def wrap(runs: Sequence[Run], fonts: FontSet, size: float, width: float) -> tuple[Line, ...]:
    """The lines break_lines() makes, as pieces of runs ready to draw."""
    return tuple(
        merge_pieces([Piece(text, run) for text, _, run in line])
        for line in break_lines(runs, fonts, size, width)
    )


def count_lines(runs: Sequence[Run], fonts: FontSet, size: float, width: float) -> int:
    """len(wrap(...)) without making pieces (the deck planner asks ~10^5 times)."""
    return len(break_lines(runs, fonts, size, width))


def hyphenate(runs: Sequence[Run], fonts: FontSet, size: float, width: float) -> tuple[Run, ...]:
    """Runs in which every word wider than `width` is cut into pieces joined by "-" + ZWSP.

    Each piece plus its hyphen fits the width, so wrap() here and the client's own line
    breaking (PowerPoint, LibreOffice, both break at U+200B) agree, and no word spills.
    """
    out: list[Piece] = []
    for group in groups(runs):
        if group[0].text in (" ", ZWSP) or runs_width(group, fonts, size) <= width:
            out.extend(group)
            continue
        used = 0.0
        for piece in group:
            fontname = fonts.name_for(piece.run)
            hyphen_w = text_width("-", fontname, size)
            buf = ""
            for ch in piece.text:
                cw = char_width(ch, fontname) * size / 1000.0
                if used + cw + hyphen_w > width and (used > 0 or buf):
                    out.append(Piece(buf + "-" + ZWSP, piece.run))
                    buf, used = "", 0.0
                buf += ch
                used += cw
            if buf:
                out.append(Piece(buf, piece.run))
    merged = merge_pieces(out)
    return tuple(Run(p.text, p.run.bold, p.run.italic, p.run.code, p.run.href) for p in merged)


def merge_pieces(line: Sequence[Piece]) -> Line:
    """Adjacent pieces of the same run joined, so renderers draw fewer, longer strings."""
    out: list[Piece] = []
    for p in line:
        if out and out[-1].run == p.run:
            out[-1] = Piece(out[-1].text + p.text, p.run)
        else:
            out.append(p)
    return tuple(out)


ELLIPSIS = "\u2026"


def clip(text: str, limit: int, strip: bool = False) -> str:
    """`text` in at most `limit` characters, the last an ellipsis when it is cut (for names in
    messages and metadata fields); `strip` drops white space left before the ellipsis."""
    if len(text) <= limit:
        return text
    return (text[: limit - 1].rstrip() if strip else text[: limit - 1]) + ELLIPSIS


def cut_with_ellipsis(text: str, keep: int, by_words: bool = False) -> str:
    """The first `keep` words (white space collapsed) or characters of `text`, then an ellipsis."""
    if by_words:
        return " ".join(text.split()[:keep]) + " " + ELLIPSIS
    return text[:keep].rstrip() + ELLIPSIS


def most_that_fit(total: int, fits: Callable[[int], bool]) -> int:
    """The largest n in 0..total with fits(n), by bisection: fits must hold up to some n and
    fail after it (a longer start of a text never gets narrower)."""
    lo, hi = 0, total
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid - 1)
    return lo


@lru_cache(maxsize=4096)
def ellipsize(text: str, fontname: str, size: float, width: float) -> str:
    """`text` if it fits `width` on one line, else its longest start then an ellipsis that
    does ("" when not even one character does)."""
    if text_width(text, fontname, size) <= width:
        return text
    keep = most_that_fit(
        len(text), lambda n: text_width(text[:n] + ELLIPSIS, fontname, size) <= width
    )
    return cut_with_ellipsis(text, keep) if keep else ""


def fit(
    runs: Sequence[Run],
    fonts: FontSet,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    step: float = 0.5,
) -> Fitted:
    """The largest size in [min_size, max_size] (in `step`s) whose wrapped text fits the box."""
    size = max_size
    while True:
        lines = wrap(runs, fonts, size, width)
        if len(lines) * size * LEADING <= height:
            return Fitted(size, lines, True)
        if size - step < min_size - 1e-9:
            return Fitted(size, lines, False)
        size = round(size - step, 2)


def line_text(line: Line) -> str:
    return "".join(p.text for p in line)
