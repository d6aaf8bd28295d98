"""Text for reportlab Paragraphs: inline Markdown to escaped markup, with fallback fonts for missing glyphs.

Shared by the PDF renderers. Content is data: every character that is not Markdown is
escaped, so `<b>`, `&amp;` and `<para>` print as typed. Characters the chosen font lacks
(CJK in a Latin font, Hebrew, symbols) are wrapped in a fallback font when an installed
one has them; otherwise a located warning names them once per source object.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from studypack.errors import Report, Span
from studypack.fit import FontSet
from studypack.fonts import FontNames, coverage, fallback_for, is_latin, register_pdf_family
from studypack.inline import Run, parse_inline, wrap_run
from studypack.math.inline import InlineMath, split_inline
from studypack.model import Pack
from studypack.render._compat_reportlab import patch_to_unicode
from studypack.render.pdf_math import inline_math_markup
from studypack.theme import Theme

# Characters no font needs to draw (spaces, joiners, soft hyphen, bidi marks).
_INVISIBLE = frozenset(" \t\n\u00a0\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")


patch_to_unicode()


def escape(text: str) -> str:
    """Literal text for reportlab's paragraph markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    return escape(text).replace('"', "&quot;")


@cache
def _drawable(fontname: str) -> frozenset[str]:
    """Characters fontname draws itself (or that need no glyph), as strings for set tests."""
    return frozenset(map(chr, coverage(fontname))) | _INVISIBLE


Lacking = dict[str, tuple[Span, set[str]]]  # font -> (where first seen, Latin characters it lacks)


@dataclass
class Glyphs:
    """Turns text into markup for given fonts; remembers characters no installed font has."""

    report: Report
    missing: dict[Span, set[str]] = field(default_factory=dict)
    lacking: Lacking = field(default_factory=dict)  # see note_lacking
    math_size: float = 0.0  # pt of inline `$…$` math when no size is given; 0: math stays text
    math_color: str = "#000000"

    def text(self, text: str, fontname: str, span: Span) -> str:
        """Escaped plain text in fontname, with runs of uncovered characters in a fallback font."""
        # reportlab breaks lines at a narrow no-break space (French « »); a no-break space holds.
        text = text.replace("\u202f", "\u00a0")
        # The usual case, text the font draws whole and nothing to reorder, in two C-level checks.
        if _drawable(fontname).issuperset(text) and not _MAYBE_RTL.search(text):
            return escape(text)
        runs = self.segments(visual_order(text), fontname, span)
        return "".join(_wrap(escape(run), None if font == fontname else font) for run, font in runs)

    def segments(self, text: str, fontname: str, span: Span) -> list[tuple[str, str]]:
        """text as (run, font) pairs in logical order: fontname where it draws the characters,
        an installed fallback font where not; characters no font has are noted for warn()."""
        if _drawable(fontname).issuperset(text):
            return [(text, fontname)] if text else []
        have = coverage(fontname)
        out: list[tuple[str, str]] = []
        current = fontname
        buf: list[str] = []
        for ch in text:
            font = fontname
            if ord(ch) not in have and ch not in _INVISIBLE:
                note_lacking(self.lacking, fontname, span, ch)
                fallback = fallback_for(ch)
                if fallback is None:
                    self.missing.setdefault(span, set()).add(ch)
                    fallback = _notdef_font(ch)
                font = fallback
            if font != current and buf:
                out.append(("".join(buf), current))
                buf = []
            current = font
            buf.append(ch)
        if buf:
            out.append(("".join(buf), current))
        return out

    def inline(self, text: str, fonts: FontSet, span: Span, link_color: str, size: float = 0.0,
               color: str | None = None) -> str:  # fmt: skip
        """Inline Markdown as paragraph markup: bold, italic, code and links; the rest literal.
        With math on (math_size), `$…$` is a typeset equation at `size` pt in `color` ('#RRGGBB',
        the paragraph's; math_color when not given) on the baseline."""
        if "$" in text and self.math_size:
            pieces = split_inline(text)
            if any(isinstance(p, InlineMath) for p in pieces):
                size, color = size or self.math_size, color or self.math_color
                return "".join(self._piece(p, fonts, span, link_color, size, color) for p in pieces)
        return self.runs(parse_inline(text), fonts, span, link_color)

    def styled(self, text: str, fonts: FontSet, span: Span, link_color: str, style: Any) -> str:
        """inline() for a paragraph in `style` (a ParagraphStyle): equations at its size and colour."""
        return self.inline(text, fonts, span, link_color, style.fontSize, hex_color(style.textColor))

    def _piece(self, piece: str | InlineMath, fonts: FontSet, span: Span, link_color: str, size: float,
               color: str) -> str:  # fmt: skip
        if isinstance(piece, str):
            return self.runs(parse_inline(piece), fonts, span, link_color)
        markup = inline_math_markup(piece.latex, size, color)
        return markup if markup is not None else self.text(f"${piece.latex}$", fonts.text.regular, span)

    def runs(self, runs: tuple[Run, ...], fonts: FontSet, span: Span, link_color: str) -> str:
        code = (f'<font face="{fonts.code.regular}">', "</font>")
        return "".join(
            wrap_run(r, self.text(r.text, fonts.name_for(r), span), code,
                     lambda h: f'<a href="{escape_attr(h)}" color="{link_color}">')
            for r in runs
        )  # fmt: skip

    def warn(self) -> None:
        """The theme fonts' lacking Latin characters (those no font has: warn_unprintable)."""
        self.missing.clear()
        warn_lacking(self.report, self.lacking)


def hex_color(color: Any) -> str:
    """'#RRGGBB' of a reportlab colour."""
    return "#" + color.hexval()[2:].upper()


def warn_unprintable(pack: Pack, theme: Theme, report: Report) -> None:
    """One warning per source text holding characters neither the theme's fonts nor any
    installed font have: both PDFs call it, and equal warnings are shown once."""
    have = [coverage(register_pdf_family(f, theme.folder).regular) for f in (theme.fonts.body, theme.fonts.heading)]
    lost: dict[Span, set[str]] = {}
    for span, text in pack.texts():
        for ch in set(text) - _INVISIBLE:
            if not ch.isspace() and any(ord(ch) not in h for h in have) and fallback_for(ch) is None:
                lost.setdefault(span, set()).add(ch)
    for span, chars in lost.items():
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in sorted(chars)[:12])
        more = f" and {len(chars) - 12} more" if len(chars) > 12 else ""
        report.warning(span, f"no installed font has {shown}{more}; the PDFs cannot show them")


def note_lacking(lacking: Lacking, fontname: str, span: Span, ch: str) -> None:
    """Remember a Latin character a theme font lacks: a font wrong for the text, not a rare
    symbol (those have their fallback fonts by design)."""
    if is_latin(ch):
        lacking.setdefault(fontname, (span, set()))[1].add(ch)


def warn_lacking(report: Report, lacking: Lacking) -> None:
    for fontname, (span, chars) in lacking.items():
        shown = " ".join(sorted(chars)[:20]) + (" …" if len(chars) > 20 else "")
        report.warning(
            span,
            f"the theme's font '{fontname}' lacks {len(chars)} Latin character(s) this pack uses ({shown});"
            " they print in a fallback font, without the theme's bold and italic",
        )
    lacking.clear()


_NOTDEF_FONT = "studypack-notdef"


def _notdef_font(ch: str) -> str:
    """A private copy of Vera in which ch draws as the empty box (.notdef) but keeps its Unicode
    value, so text extraction and search still find the character the reader cannot see."""
    try:
        font = pdfmetrics.getFont(_NOTDEF_FONT)
    except KeyError:
        font = TTFont(_NOTDEF_FONT, str(Path(reportlab_fonts_dir()) / "Vera.ttf"))
        # reportlab registers one font object per face name: under Vera's own name, a theme set
        # in Vera would be handed these mappings, and this copy would never be drawn.
        font.face.name = b"StudypackNotdef"
        pdfmetrics.registerFont(font)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(_NOTDEF_FONT, bold, italic, _NOTDEF_FONT)
    face = font.face
    face.charToGlyph.setdefault(ord(ch), 0)
    face.charWidths.setdefault(ord(ch), 600)
    return _NOTDEF_FONT


def reportlab_fonts_dir() -> str:
    import reportlab

    return os.path.join(os.path.dirname(reportlab.__file__), "fonts")


_RTL = frozenset(("R", "AL"))
# Every character whose bidi class is R or AL lies in these blocks (checked against unicodedata).
_MAYBE_RTL = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")
# Characters that stay inside a right-to-left stretch when RTL letters surround them.
_RTL_INNER = frozenset(("WS", "ON", "CS", "ES", "ET", "EN", "AN", "NSM", "BN"))
_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def visual_order(text: str) -> str:
    """Right-to-left stretches (Hebrew, Arabic) reversed into the order they are drawn in.

    reportlab lays glyphs left to right; without reordering שלום would print backwards.
    Numbers inside a stretch keep their order and combining marks stay with their letter.
    Simplification: a stretch that wraps onto a second line keeps its first words first.
    """
    from unicodedata import bidirectional

    if not any(bidirectional(c) in _RTL for c in text):
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if bidirectional(text[i]) not in _RTL:
            out.append(text[i])
            i += 1
            continue
        j = last = i
        while j < n and (bidirectional(text[j]) in _RTL or bidirectional(text[j]) in _RTL_INNER):
            if bidirectional(text[j]) in _RTL or bidirectional(text[j]) in ("EN", "AN"):
                last = j  # numbers after RTL letters belong to the stretch (bidi rule N1)
            j += 1
        out.append(_reverse(text[i : last + 1]))
        i = last + 1
    return "".join(out)


def _reverse(segment: str) -> str:
    from unicodedata import bidirectional

    clusters: list[str] = []
    for ch in segment:
        kind = bidirectional(ch)
        glue_mark = kind == "NSM" and clusters
        glue_digit = kind in ("EN", "AN") and clusters and bidirectional(clusters[-1][-1]) in ("EN", "AN")
        if glue_mark or glue_digit:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return "".join(reversed(clusters)).translate(_MIRROR)


def _wrap(markup: str, font: str | None) -> str:
    return markup if font is None else f'<font face="{font}">{markup}</font>'


@cache
def code_family() -> str | None:
    """An installed monospaced TrueType file for `code` (no monospaced family ships with us)."""
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
        "/Library/Fonts/Courier New.ttf",
        "C:/Windows/Fonts/cour.ttf",
    ):
        if os.path.isfile(path):
            return path
    return None


def font_set(family: str) -> FontSet:
    """A theme family (embedded) plus a code font: an installed mono TTF, else the family itself."""
    text = register_pdf_family(family)
    mono = code_family()
    code: FontNames = register_pdf_family(mono) if mono else text
    return FontSet(text=text, code=code)
