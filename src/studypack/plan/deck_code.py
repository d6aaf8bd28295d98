"""Code blocks on slides: Pygments tokens as coloured monospace runs, the largest size that
fits, split between lines onto continuation slides."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from studypack.errors import Report
from studypack.fit import char_width, runs_width
from studypack.inline import Run
from studypack.model import Code
from studypack.plan.deck_fit import HEIGHT_SAFETY, WIDTH_SAFETY, Box, Fitter, Para
from studypack.theme import Theme
from studypack.theme.contrast import AA, contrast_ratio, relative_luminance

CODE_SIZES = (20.0, 18.0, 16.0, 14.0, 12.0)  # largest first; the last is the smallest allowed
SPLIT_SIZE = 16.0  # a listing over several slides is set at most this large: fewer slides
WRAP_MARK = "» "  # starts the rest of a line too long for the slide (WinAnsi: every font has it)
SHADE = 0.06  # how much of the text colour tints the code box's background


@dataclass(frozen=True)
class TintedRun(Run):
    """A run in its own colour (a code token's), '#RRGGBB'; '' = the paragraph's colour."""

    color: str = ""


def mix(a: str, b: str, t: float) -> str:
    """'#RRGGBB' t of the way from a to b."""
    ca, cb = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (a, b))
    return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ca, cb))


def code_shade(theme: Theme) -> str | None:
    """The code box's fill: the background tinted towards the text; none when ink is saved."""
    c = theme.colors
    return mix(c.background, c.text, SHADE) if theme.style.fills else None


def _style_name(background: str) -> str:
    return "default" if relative_luminance(background) > 0.4 else "monokai"


def token_lines(code: Code, theme: Theme) -> list[tuple[TintedRun, ...]]:
    """Each source line as runs coloured by token; a token colour that would not be readable on
    the code box (contrast under AA) is drawn in the theme's text colour instead."""
    text_color = theme.colors.text
    ground = code_shade(theme) or theme.colors.background
    if code.language is None:
        return [(TintedRun(line or " ", code=True),) for line in code.text.split("\n")]
    from pygments.lexers import get_lexer_by_name  # only packs with code pay for Pygments
    from pygments.styles import get_style_by_name

    lexer = get_lexer_by_name(code.language, stripnl=False, ensurenl=False, tabsize=0)
    style = get_style_by_name(_style_name(ground))
    colours: dict[object, tuple[str, bool, bool]] = {}
    lines: list[list[TintedRun]] = [[]]
    for ttype, value in lexer.get_tokens(code.text):
        look = colours.get(ttype)
        if look is None:
            s = style.style_for_token(ttype)
            colour = f"#{s['color']}".upper() if s["color"] else text_color
            if contrast_ratio(colour, ground) < AA:
                colour = text_color
            look = colours[ttype] = (colour, bool(s["bold"]), bool(s["italic"]))
        for k, part in enumerate(value.split("\n")):
            if k:
                lines.append([])
            if part:
                run = TintedRun(part, look[1], look[2], True, None, look[0])
                line = lines[-1]
                # a token in the same look as the one before, or only spaces, extends its run
                if line and (
                    (line[-1].color, line[-1].bold, line[-1].italic) == look or not part.strip()
                ):
                    line[-1] = replace(line[-1], text=line[-1].text + part)
                else:
                    line.append(run)
    return [tuple(line) or (TintedRun(" ", code=True),) for line in lines]


def _wrapped(
    line: tuple[TintedRun, ...], fit: Fitter, size: float, width: float
) -> list[tuple[TintedRun, ...]]:
    """A line cut between characters into pieces that fit the width; the rest after WRAP_MARK."""
    fonts = fit.body
    if runs_width(line, fonts, size) <= width:
        return [line]
    mark = TintedRun(WRAP_MARK, code=True, color="")
    mark_w = runs_width((mark,), fonts, size)
    out: list[list[TintedRun]] = [[]]
    used = 0.0
    for run in line:
        font = fonts.name_for(run)
        buf = ""
        for ch in run.text:
            w = char_width(ch, font) * size / 1000.0
            if used + w > width and (buf or out[-1]):
                if buf:
                    out[-1].append(TintedRun(buf, run.bold, run.italic, True, None, run.color))
                out.append([mark])
                buf, used = "", mark_w
            buf += ch
            used += w
        if buf:
            out[-1].append(TintedRun(buf, run.bold, run.italic, True, None, run.color))
    return [tuple(p) for p in out]


@dataclass(frozen=True)
class CodeFit:
    size: float
    pages: list[tuple[Para, ...]]
    fitted: bool  # False: lines too wide even at the smallest size were wrapped

    def height(self, page: int, box: Box) -> float:
        """The height of a box that holds one page of the listing, insets included."""
        lines = len(self.pages[page])
        return min(box.h, lines * round(self.size * 1.2, 2) + 2 * box.inset_y + HEIGHT_SAFETY + 1.0)


def plan_code(code: Code, theme: Theme, fit: Fitter, box: Box, report: Report) -> CodeFit:
    """The listing at the largest size whose lines fit the box's width: on one slide when some
    size holds it all, else over as few slides as it takes at SPLIT_SIZE or less, cut between
    lines (blank lines preferred); lines too wide even at the smallest size are wrapped."""
    lines = token_lines(code, theme)
    width = box.text_width * WIDTH_SAFETY
    widest = max(runs_width(line, fit.body, 1.0) for line in lines)
    wide_enough = [s for s in CODE_SIZES if widest * s <= width]
    one_slide = [s for s in wide_enough if len(lines) * round(s * 1.2, 2) <= box.text_height]
    if one_slide:
        size = one_slide[0]
    elif wide_enough:
        size = next((s for s in wide_enough if s <= SPLIT_SIZE), wide_enough[-1])
    else:
        size = CODE_SIZES[-1]
        report.warning(
            code.span,
            f"code lines are too long for a slide even at {size:g} pt; wrapped after '{WRAP_MARK.strip()}'",
        )
    pitch = round(size * 1.2, 2)
    per_page = max(1, int(box.text_height // pitch))
    rows = []  # the visual lines of each source line (one taller than a slide: in slide-high parts)
    for line in lines:
        pieces = _wrapped(line, fit, size, width)
        rows += [pieces[k : k + per_page] for k in range(0, len(pieces), per_page)]
    pages = [tuple(Para(piece, size) for i in lines_of for piece in rows[i])
             for lines_of in _page_starts_and_ends(rows, per_page)]  # fmt: skip
    return CodeFit(size, pages, bool(wide_enough))


def _page_starts_and_ends(rows: list[list[tuple[TintedRun, ...]]], per_page: int) -> list[range]:
    """Which source lines go on each slide: as few slides as hold them, filled evenly, a cut
    moved up to a blank line close above it; a line never split (unless taller than a slide)."""
    heights = [len(r) for r in rows]
    total = sum(heights)
    pages = max(1, math.ceil(total / per_page))
    target = math.ceil(total / pages)
    out: list[range] = []
    start = 0
    while start < len(rows):
        end, used = start, 0
        while end < len(rows) and used + heights[end] <= max(per_page, heights[start]):
            if used >= target and len(out) < pages - 1:
                break
            used += heights[end]
            end += 1
        end = max(end, start + 1)
        if end < len(rows):  # prefer to cut after a blank line a few lines up
            for k in range(end, max(start + 1, end - 4), -1):
                if not "".join(r.text for r in rows[k - 1][0]).strip():
                    end = k
                    break
        out.append(range(start, end))
        start = end
    return out
