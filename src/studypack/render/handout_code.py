"""Code listings in the handout: Pygments colours, long lines wrapped with a mark, split between lines."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from studypack.errors import Span
from studypack.fonts import FontNames
from studypack.render.pdf_text import Glyphs

# Pygments' "xcode" colours all reach 4.5:1 contrast on white, so they read on screen and in print.
PYGMENTS_STYLE = "xcode"
CODE_SIZE = 8.8
CODE_LEADING = 11.6
PAD = 6.0  # inside the box, above, below and right
GUTTER = 13.0  # left of the text: room for the continuation mark
CONTINUATION = ("↪", "»")  # the mark on a wrapped line's continuation: the first the font draws
MIN_LINES = 2  # source lines kept together at either side of a page break


@dataclass(frozen=True)
class Run:
    text: str
    font: str
    color: Any  # a reportlab colour


VisualLine = tuple[Run, ...]


@dataclass(frozen=True)
class SourceLine:
    """One line of the source as drawn: its first visual line, then its continuations."""

    parts: tuple[VisualLine, ...]


@cache
def _style_colors(style_name: str) -> dict[Any, tuple[str | None, bool, bool]]:
    from pygments.styles import get_style_by_name

    style = get_style_by_name(style_name)
    return {t: (s["color"], s["bold"], s["italic"]) for t, s in style}


@cache
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=True)


def highlight(
    text: str, language: str | None, default_color: str
) -> list[list[tuple[str, str, bool, bool]]]:
    """Lines of (text, colour '#RRGGBB', bold, italic) runs; one colour when language is None."""
    if language is None:
        return [[(line, default_color, False, False)] for line in text.split("\n")]
    lexer = _lexer(language)
    styles = _style_colors(PYGMENTS_STYLE)
    lines: list[list[tuple[str, str, bool, bool]]] = [[]]
    for ttype, value in lexer.get_tokens(text):
        color, bold, italic = styles.get(ttype, (None, False, False))
        for i, piece in enumerate(value.split("\n")):
            if i:
                lines.append([])
            if not piece:
                continue
            run = (piece, f"#{color}" if color else default_color, bold, italic)
            if lines[-1] and lines[-1][-1][1:] == run[1:]:  # one run per look: fewer text operators to draw
                lines[-1][-1] = (lines[-1][-1][0] + piece, *run[1:])
            else:
                lines[-1].append(run)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()  # the newline Pygments ensures at the end
    return lines


def code_lines(text: str, language: str | None, fonts: FontNames, width: float, glyphs: Glyphs,
               span: Span, default_color: str) -> list[SourceLine]:  # fmt: skip
    """The listing's lines, each wrapped to width; characters the code font lacks in a fallback font."""
    out: list[SourceLine] = []
    for line in highlight(text, language, default_color):
        runs: list[Run] = []
        for piece, color, bold, italic in line:
            base = fonts.pick(bold, italic)
            runs += [Run(t, f, _color(color)) for t, f in glyphs.segments(piece, base, span)]
        out.append(SourceLine(tuple(_wrap(runs, width))))
    return out


def _wrap(runs: list[Run], width: float) -> list[VisualLine]:
    """Visual lines no wider than width: broken after the last space in the line's final third,
    else at the last character that fits (code has no hyphenation)."""
    if sum(_width(r.text, r.font) for r in runs) <= width:
        return [tuple(runs)]  # most lines fit: no need to measure character by character
    chars = [(ch, r) for r in runs for ch in r.text]
    lines: list[VisualLine] = []
    start = 0
    while start < len(chars):
        used, end = 0.0, start
        while end < len(chars):
            ch, r = chars[end]
            w = _width(ch, r.font)
            if used + w > width and end > start:
                break
            used += w
            end += 1
        if end < len(chars):
            spaces = [
                i for i in range(start + 1, end) if chars[i - 1][0] == " " and chars[i][0] != " "
            ]
            if spaces and spaces[-1] - start >= (end - start) * 2 / 3:
                end = spaces[-1]
        lines.append(_runs(chars[start:end]))
        start = end
    return lines


@lru_cache(maxsize=256)
def _color(hex_color: str) -> Any:
    return colors.HexColor(hex_color)


@lru_cache(maxsize=8192)
def _width(text: str, font: str) -> float:
    return stringWidth(text, font, CODE_SIZE)


def _runs(chars: list[tuple[str, Run]]) -> VisualLine:
    out: list[Run] = []
    for ch, r in chars:
        if out and out[-1].font == r.font and out[-1].color == r.color:
            out[-1] = Run(out[-1].text + ch, r.font, r.color)
        else:
            out.append(Run(ch, r.font, r.color))
    return tuple(out)


def continuation_mark(fonts: FontNames) -> str:
    from studypack.fonts import coverage

    return next((m for m in CONTINUATION if ord(m) in coverage(fonts.regular)), "»")


@dataclass(frozen=True)
class CodeLook:
    """How a listing is drawn: box fill (None in ink-saving themes), border, mark font and colour."""

    fill: Any
    border: Any
    mark: str
    mark_font: str
    mark_color: Any
    frame_height: float


class CodeFlow(Flowable):
    """A code listing in a box, caption above; splits only between source lines.

    Structure: a Code element (the tagging pass marks each line's text; the box and the
    continuation marks are artifacts).
    """

    role = "Code"

    def __init__(self, lines: list[SourceLine], caption: Paragraph | None, look: CodeLook,
                 continued: bool = False, wrapped_from_above: bool = False):  # fmt: skip
        super().__init__()
        self.lines, self.caption, self.look, self.continued = lines, caption, look, continued
        # The first visual line continues the previous piece's last (a line longer than a page).
        self.wrapped_from_above = wrapped_from_above
        self.gap = 4.0 if caption is not None else 0.0
        self.spaceBefore, self.spaceAfter = 4.0, 10.0

    def _caption_height(self, width: float) -> float:
        return self.caption.wrap(width, 1e6)[1] + self.gap if self.caption is not None else 0.0

    @staticmethod
    def _box(n_visual: int) -> float:
        return n_visual * CODE_LEADING + 2 * PAD

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self._caption_height(availWidth) + self._box(
            sum(len(s.parts) for s in self.lines)
        )
        return (availWidth, self.height)

    @property
    def slack(self) -> float:
        """How much shorter its first piece on a page may be than the whole (handout_para.Keep)."""
        if len(self.lines) < 2 * MIN_LINES:
            return 0.0
        head = sum(len(s.parts) for s in self.lines[:MIN_LINES])
        return (sum(len(s.parts) for s in self.lines) - head) * CODE_LEADING

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        room = int((availHeight - self._caption_height(availWidth) - 2 * PAD) // CODE_LEADING)
        n, used, k = len(self.lines), 0, 0
        while k < n and used + len(self.lines[k].parts) <= room:
            used += len(self.lines[k].parts)
            k += 1
        if n >= 2 * MIN_LINES:
            k = min(k, n - MIN_LINES) if k >= MIN_LINES else 0
        elif self.height <= self.look.frame_height:
            k = 0  # a short listing is not parted: it moves on whole
        if k == 0:
            return self._split_long_line(room)
        rest = CodeFlow(self.lines[k:], None, self.look, continued=True)
        return self._same_element([CodeFlow(self.lines[:k], self.caption, self.look, self.continued), rest])

    def _split_long_line(self, room: int) -> list[Flowable]:
        """A first source line longer than a page parts between its visual lines."""
        first = self.lines[0]
        full_room = int((self.look.frame_height - 2 * PAD) // CODE_LEADING)
        if len(first.parts) <= full_room or room < 3:
            return []  # it fits on a fresh page: move on
        head = SourceLine(first.parts[:room])
        tail = SourceLine(first.parts[room:])
        rest = CodeFlow(
            [tail, *self.lines[1:]], None, self.look, continued=True, wrapped_from_above=True
        )
        return self._same_element([
            CodeFlow([head], self.caption, self.look, self.continued, self.wrapped_from_above),
            rest,
        ])  # fmt: skip

    def _same_element(self, pieces: list[CodeFlow]) -> list[Flowable]:
        """Pieces of one listing are one Code element of the structure tree (pdf_tags)."""
        for piece in pieces:
            piece.struct = getattr(self, "struct", None)
        return list(pieces)

    def draw(self) -> None:
        canv, look = self.canv, self.look
        box = self._box(sum(len(s.parts) for s in self.lines))
        if self.caption is not None:
            self.caption.drawOn(canv, 0, box + self.gap)
        canv.saveState()
        canv.setLineWidth(0.6)
        canv.setStrokeColor(look.border)
        if look.fill is not None:
            canv.setFillColor(look.fill)
        canv.rect(0, 0, self.width, box, stroke=1, fill=1 if look.fill is not None else 0)
        y = box - PAD - CODE_SIZE * 0.8
        for s in self.lines:
            for j, line in enumerate(s.parts):
                if j or (s is self.lines[0] and self.wrapped_from_above):
                    canv.setFont(look.mark_font, CODE_SIZE)
                    canv.setFillColor(look.mark_color)
                    canv.drawString(3.0, y, look.mark)
                text = canv.beginText(GUTTER, y)
                font = color = None
                for run in line:
                    if run.font != font:
                        text.setFont(run.font, CODE_SIZE)
                        font = run.font
                    if run.color != color:
                        text.setFillColor(run.color)
                        color = run.color
                    text.textOut(run.text)
                canv.drawText(text)
                y -= CODE_LEADING
        canv.restoreState()
