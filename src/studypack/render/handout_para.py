"""Handout paragraphs and keep-with-next groups on top of reportlab's.

Paragraphs are made cheaply (markup parsed once per shape, lines broken once per width) and
come out byte-for-byte as reportlab's, except that lines with CJK text are broken by the
kinsoku rules. A keep-with-next group lets a figure at its end shrink to stay on the page.
"""

from __future__ import annotations

import html
import re
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable
from reportlab.platypus.paragraph import imgNormV, imgVRange

from studypack.fit import NO_LINE_END, NO_LINE_START, has_cjk, is_cjk
from studypack.render._compat_reportlab import (
    FUZZ,
    ParaFrag,
    ParaLines,
    ParaParser,
    cjkU,
    cleanBlockQuotedText,
    handle_bullet_width,
    is_split_part,
    keep_members,
    makeCJKParaLine,
    paragraph_lines,
    unframed,
)
from studypack.render.pdf_math import CALLBACK as MATH_CALLBACK

# Markup as reportlab's parser sees it: a tag, an entity, or text up to the next '<' or '&'.
_TOKEN = re.compile(r"<[^>]*>|&([a-z]+);|[^<&]+")
_TARGET = re.compile(r'\b(href|name)="([^"]*)"')
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}  # all that escape() writes outside attributes
_SLOT = "\ue000"  # stands for one text token while parsing a paragraph's shape
# Parsed shapes per style; weak, so styles of finished renders (and their shapes) go away.
_shapes: WeakKeyDictionary[ParagraphStyle, dict[str, list[ParaFrag] | None]] = WeakKeyDictionary()
_math_styles: WeakKeyDictionary[ParagraphStyle, ParagraphStyle] = WeakKeyDictionary()
MATH_GAP = 0.12  # × font size kept between an equation and the lines above and below it


def math_style(style: ParagraphStyle) -> ParagraphStyle:
    """style for a paragraph with inline equations: each line as tall as it needs (see
    Para.room_for_math), which reportlab calls autoLeading "min"."""
    if style.name.endswith("+math"):
        return style
    made = _math_styles.get(style)
    if made is None:
        made = _math_styles[style] = ParagraphStyle(style.name + "+math", style, autoLeading="min")
    return made


def room_for_math(lines: Any, style: ParagraphStyle) -> None:
    """Each line's ascent and descent as reportlab's fixed leading spaces text (the font size
    above the baseline, the rest of the leading below), grown where an equation needs more,
    so lines without a tall equation keep their usual spacing."""
    above = style.fontSize
    below = style.leading - above
    gap = MATH_GAP * style.fontSize
    for line in lines:
        top, bottom = above, below
        for frag in getattr(line, "words", ()):
            box = getattr(frag, "cbDefn", None)
            if box is not None and getattr(box, "kind", "") == "img":
                lo, hi = imgVRange(imgNormV(box.height, frag.fontSize), box.valign, frag.fontSize)
                top, bottom = max(top, hi + gap), max(bottom, -lo + gap)
        line.ascent, line.descent = top, -bottom


def parse_frags(markup: str, style: ParagraphStyle) -> tuple[str, list[ParaFrag]] | None:
    """The fragments reportlab's parser makes of markup, parsing each shape only once.

    Parsing (html.parser underneath) costs more than laying a paragraph out. Fragments
    depend on the tags around each text token, not on the text, so the markup's shape
    (tags kept, every text or entity token a slot) is parsed once per style and its
    fragments are copied with the real text. None when the markup is not of that form.
    """
    text = cleanBlockQuotedText(markup)
    shape: list[str] = []
    data: list[str] = []
    targets: list[str] = []  # link targets and anchor names, slots in the shape too

    def slot_attr(m: re.Match[str]) -> str:
        targets.append(html.unescape(m.group(2)).strip())
        return f'{m.group(1)}="{_SLOT}{len(targets) - 1}"'

    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token[0] == "<":
            shape.append(_TARGET.sub(slot_attr, token) if token.startswith("<a ") else token)
            continue
        if token[0] == "&":
            if m.group(1) not in _ENTITIES:
                return None
            token = _ENTITIES[m.group(1)]
        data.append(token)
        shape.append("&#xE000;")  # a char ref: one fragment per token, as the parser splits text
    key = "".join(shape)
    known = _shapes.setdefault(style, {})
    template = known.get(key, [])
    if template == []:
        _, frags, bullet_frags = ParaParser().parse(key, style)
        ok = (
            frags is not None
            and not bullet_frags
            and sum(f.text == _SLOT for f in frags) == len(data)
        )
        template = known[key] = frags if ok else None
    if template is None or not all(targets):  # the parser rejects blank targets: let it say so
        return None
    it = iter(data)
    frags = [f.clone(text=next(it)) if f.text == _SLOT else f.clone() for f in template]
    if targets:
        for f in frags:
            _fill_targets(f, targets)
    return text, frags


def _fill_targets(frag: ParaFrag, targets: list[str]) -> None:
    def real(value: str) -> str:
        return targets[int(value[1:])] if value.startswith(_SLOT) else value

    link = getattr(frag, "link", None)
    if link:
        frag.link = [(n, real(target)) for n, target in link]
    anchor = getattr(frag, "cbDefn", None)
    if anchor is not None and getattr(anchor, "kind", None) == "anchor":
        frag.cbDefn = anchor.clone(name=real(anchor.name))


def _may_break(units: list[str], j: int, k: int) -> bool:
    """Whether a line may end after units[j] and the next begin at units[k] (only spaces between)."""
    a, b = units[j], units[k]
    if a in NO_LINE_END or b in NO_LINE_START:
        return False
    return k > j + 1 or is_cjk(a) or is_cjk(b)


def kinsoku_lines(frags: list[ParaFrag], max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """Lines of a paragraph with CJK text: breaks at spaces or next to a CJK character, never
    leaving closing punctuation or a small kana at a line's start or an opening bracket at its end.

    reportlab's own CJK wrap hangs one forbidden character in the margin and knows no line-end
    rule; here the characters that cannot be parted travel to the next line together.
    Forced breaks (<br/>) are not handled: the markup we write never contains them.
    """
    units = [cjkU(c, f, "utf8") for f in frags for c in (getattr(f, "text", "") or [""])]
    lines = []
    start, n = 0, len(units)

    def skip_spaces(i: int, step: int) -> int:
        while 0 <= i < n and units[i].isspace():
            i += step
        return i

    while start < n:
        max_w = max_widths[min(len(lines), len(max_widths) - 1)]
        end, used = start, 0.0
        while end < n and (end == start or used + units[end].width <= max_w + FUZZ):
            used += units[end].width
            end += 1
        if end < n:
            # The break: the last allowed one before the overflow, else the overflow itself.
            for cut in range(end, start, -1):
                j, k = skip_spaces(cut - 1, -1), skip_spaces(cut, 1)
                if j >= start and (k == n or _may_break(units, j, k)):
                    break
            else:
                j, k = end - 1, skip_spaces(end, 1)
            line, start = units[start : j + 1], k
        else:
            line, start = units[start:], n
        width = sum(u.width for u in line)
        lines.append(makeCJKParaLine(line, max_w, width, max_w - width, False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


class Para(Paragraph):
    """A Paragraph that parses its markup by shape and breaks its lines once per width.

    Platypus wraps most paragraphs twice at the same width: once when a keep-with-next
    group measures itself, again when the frame places it. Line breaks depend on the width
    only, so the second wrap reuses the first (split() drops blPara when it must redo it).
    """

    _wrapped_width: float | None = None
    may_cut = True  # a keep-with-next group may end a page inside it (Keep); not headings, terms

    def __init__(
        self, text: str, style: ParagraphStyle, bulletText: Any = None, frags: Any = None, **kw: Any
    ):
        if frags is None and text is not None:
            if MATH_CALLBACK in text:
                style = math_style(style)
            parsed = parse_frags(text, style)
            if parsed is not None:
                text, frags = parsed
        super().__init__(text, style, bulletText, frags, **kw)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth == self._wrapped_width and paragraph_lines(self) is not None:
            return (self.width, self.height)
        size = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return size

    def drawPara(self, debug: int = 0) -> None:
        # reportlab puts the first baseline one font size below the top, whatever the line's
        # ascent: lower a first line whose equation reaches higher, into the room wrap() gave it.
        lines = paragraph_lines(self)
        first = lines.lines[0] if lines is not None and lines.kind == 1 and lines.lines else None
        extra = 0.0
        if first is not None and self.style.name.endswith("+math"):
            extra = first.ascent - first.fontSize
        if extra <= 0:
            return super().drawPara(debug)
        self.canv.saveState()
        self.canv.translate(0, -extra)
        super().drawPara(debug)
        self.canv.restoreState()

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        struct = getattr(self, "struct", None)
        if struct is not None:  # both parts are the one element (pdf_tags), across the page break
            for part in parts:
                part.struct = struct
        return parts

    def breakLines(self, width: Any) -> Any:
        if any(has_cjk(getattr(f, "text", "") or "") for f in self.frags):
            lines = self.breakLinesCJK(width)
        else:
            lines = super().breakLines(width)
        if self.style.name.endswith("+math") and lines.kind == 1:
            room_for_math(lines.lines, self.style)
        return lines

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if paragraph_lines(self) is not None and is_split_part(self):
            return paragraph_lines(self)  # the first part of a split keeps the lines it was cut from
        widths = maxWidths if isinstance(maxWidths, list) else [maxWidths]
        handle_bullet_width(self.bulletText, self.style, widths)
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return kinsoku_lines(self.frags, widths, auto not in ("", "off"))


class Keep(KeepTogether):
    """reportlab's keep-with-next group, kept with the first lines of what follows, not all of it.

    reportlab moves a whole group (a heading, a long summary, its first point) to the next page
    when it does not fit, leaving a hole; here the group stays when its members up to the first
    one that may be cut fit with that one's first lines (FIRST_LINES), and the frame cuts it
    there. A block ending the group that may be shorter on this page (a figure that shrinks, a
    table or listing cut after its first rows: `slack`) counts at its least height.
    Measured without deep-copying the frame: KeepTogether copies it on every measurement in case
    a member adds generated content to it; no handout flowable does, and the copies cost a
    second at 100x.
    """

    def __init__(
        self, flowables: list[Any], maxHeight: float | None = None, frame_height: float = float("inf")
    ):
        super().__init__(flowables, maxHeight)
        self.frame_height = frame_height  # the frame's full height: a group there cannot do better

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        doc, frame = unframed(self.canv)
        if frame is not None:
            doc.frame = None
        try:
            size = super().wrap(aW, aH)
        finally:
            if frame is not None:
                doc.frame = frame
        self.least = least_height(keep_members(self), self._H, aW)
        self.measured = (aW, aH)
        return size

    def split(self, aW: float, aH: float) -> list[Any]:
        if getattr(self, "measured", None) != (aW, aH):
            self.wrap(aW, aH)
        members = list(keep_members(self))
        if self.least <= aH + FUZZ or aH >= self.frame_height - 1:
            # Placed one by one from here; the member that reaches the foot is cut there.
            return [NullActionFlowable(), *members]
        return [FrameBreak(), *members]


FIRST_LINES = 2  # lines of a paragraph that stay with the heading or lead-in before it


def first_lines_height(f: Any) -> float | None:
    """The least of a paragraph that may end a page (its first lines), or None if it is not cut."""
    if not isinstance(f, Para) or not f.may_cut:
        return None
    if getattr(f.style, "autoLeading", "") not in ("", "off"):  # lines of their own heights
        return None
    lines = paragraph_lines(f)
    # Never fewer than FIRST_LINES on either side (the styles allow no orphans and no widows).
    if lines is None or len(lines.lines) < 2 * FIRST_LINES:
        return None
    return FIRST_LINES * f.style.leading


def least_height(members: list[Any], height: float, width: float) -> float:
    """The least room a keep group needs on a page: its members down to the first one that may
    be cut, with that one's first lines; else all of it, less the slack of a block that ends it."""
    firsts = [first_lines_height(f) for f in members]
    cut = next((i for i, first in enumerate(firsts) if first is not None), None)
    if cut is None:
        return height - getattr(members[-1], "slack", 0.0)
    top, after = 0.0, None  # where the next member starts; the space after the one before
    for f in members[: cut + 1]:
        h = f.wrap(width, 0xFFFFFFF)[1]  # measured already: paragraphs keep their lines per width
        if h <= FUZZ:  # platypus skips what takes no room, and its spacing
            continue
        if after is not None:
            top += max(f.getSpaceBefore(), after)
        if f is members[cut]:
            break
        top += h
        after = f.getSpaceAfter()
    return top + firsts[cut]
