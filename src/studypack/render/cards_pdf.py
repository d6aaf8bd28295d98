"""flashcards.pdf: draws a finished cards plan with reportlab, text exactly as it was fitted."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from studypack.errors import Report, Span
from studypack.fit import char_width
from studypack.inline import plain_text
from studypack.math.unicode import plain_readable
from studypack.model import Pack
from studypack.plan.card_math import MathRun, box
from studypack.plan.cards import MM, CardFonts, CardSide, CardsPlan, Sheet, TextLine, plan_cards
from studypack.render import pdf_ua
from studypack.render._compat_reportlab import timestamp
from studypack.render.card_ops import Ops
from studypack.render.pdf_math import draw_formula
from studypack.render.pdf_tags import Tag, Tagger, TaggingCanvas, artifact, marked
from studypack.render.pdf_text import (
    Lacking,
    coverage,
    fallback_for,
    font_set,
    note_lacking,
    warn_lacking,
    warn_unprintable,
)
from studypack.theme import Theme

# Never drawn: fit.py measures them as zero width (break opportunities, joiners, soft hyphen).
_SKIP = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def card_fonts(theme: Theme) -> CardFonts:
    """Terms in the heading family, answers in the body family; both embedded."""
    heading = font_set(theme.fonts.heading)
    return CardFonts(front=heading, back=font_set(theme.fonts.body), label=heading)


def fix_timestamp(canvas: Canvas, when: datetime) -> None:
    """Creation/modification dates from the pack's build time, so equal inputs give equal bytes."""
    ts = timestamp(canvas)
    t = int(when.timestamp())
    lt = time.gmtime(t)
    ts.t, ts.lt, ts.YMDhms, ts.dhh, ts.dmm, ts.tzname = t, lt, tuple(lt)[:6], 0, 0, "UTC"


def new_canvas(
    buf: io.BytesIO,
    page: tuple[float, float],
    pack_time: datetime,
    title: str,
    lang: str,
    font: str,
) -> _CardsCanvas:
    # An embedded initial font, or reportlab names Helvetica (unembedded) on every page.
    c = _CardsCanvas(buf, pagesize=page, invariant=1, pageCompression=1, lang=lang, initialFontName=font)
    fix_timestamp(c, pack_time)
    c.setTitle(title)
    c.setCreator("studypack")
    c.setProducer("studypack (reportlab)")
    return c


class _CardsCanvas(TaggingCanvas, Canvas):
    """A canvas that marks content when given a tagger (flashcards.pdf) and draws plainly when not."""


class _Painter:
    """Draws plan lines; characters the line's font lacks go to a fallback font, scaled into their measured slot."""

    def __init__(self, canvas: Canvas, theme: Theme):
        self.c = canvas
        self.ops = Ops(canvas)
        self.theme = theme
        self._plain: dict[tuple[str, str], bool] = {}

    def color(self, role: str) -> str:
        return getattr(self.theme.colors, role)

    def _is_plain(self, font: str, text: str) -> bool:
        """Every character has a glyph in font and none is one we never draw."""
        key = (font, text)
        plain = self._plain.get(key)
        if plain is None:
            have = coverage(font)
            chars = set(text)
            plain = self._plain[key] = not (chars & _SKIP) and all(ord(ch) in have for ch in chars)
        return plain

    def line(self, line: TextLine) -> None:
        if line.scale != 1.0:  # an equation wider than the card: the line drawn smaller
            self.c.saveState()
            self.c.translate(line.x, line.baseline)
            self.c.scale(line.scale, line.scale)
            self._line(replace(line, x=0.0, baseline=0.0))
            self.c.restoreState()
        else:
            self._line(line)

    def _line(self, line: TextLine) -> None:
        x = line.x
        size = line.size
        last = len(line.pieces) - 1
        for i, piece in enumerate(line.pieces):
            font = line.fonts.name_for(piece.run)
            color = "accent" if piece.run.href else line.color
            if isinstance(piece.run, MathRun):
                x = self._math(piece.run, len(piece.text), x, line, self.color(color))
                continue
            self.c.addLiteral(self.ops.color(self.color(color), "rg"))
            if not self._is_plain(font, piece.text):
                stroke = self.color(color) if piece.run.bold else None
                x = self._mixed(piece.text, x, line, font, stroke)
                continue
            self._text(piece.text, x, line.baseline, font, size)
            if i < last:  # advance exactly as the character loop below does, so pieces line up
                for ch in piece.text:
                    x += char_width(ch, font) * size / 1000.0

    def _math(self, run: MathRun, copies: int, x: float, line: TextLine, color: str) -> float:
        """An inline equation's outlines on the line's baseline (a Formula element); the x after it."""
        measured = box(run, line.size)
        if measured is None:
            return x
        width, _, depth = measured
        for _ in range(copies):
            draw_formula(self.c, run.latex, line.size, color, x, line.baseline - depth, run.display)
            x += width
        return x

    def _mixed(self, text: str, x: float, line: TextLine, font: str, stroke: str | None) -> float:
        """Text with characters the font lacks or that draw nothing; returns the x after it.

        `stroke`: the text colour when the run is bold (fallback fonts have one weight)."""
        have = coverage(font)
        buf = ""
        buf_x = x
        for ch in text:
            w = char_width(ch, font) * line.size / 1000.0
            if ord(ch) in have and ch not in _SKIP:
                buf += ch  # drawn in one string: reportlab advances by the widths fit measured
            else:
                # Flush, so nothing after this character moves: it is either invisible
                # (measured as zero width) or drawn alone in a fallback font.
                self._text(buf, buf_x, line.baseline, font, line.size)
                buf, buf_x = "", x + w
                if ch not in _SKIP and not ch.isspace():
                    self._fallback(ch, x, line.baseline, line.size, w, stroke)
            x += w
        self._text(buf, buf_x, line.baseline, font, line.size)
        return x

    def _text(self, text: str, x: float, y: float, font: str, size: float) -> None:
        if text.strip():
            op = self.ops.text(x, y, font, size, text)
            if op is not None:
                self.c.addLiteral(op)
            else:  # not a TrueType font: let reportlab write it
                self.c.setFont(font, size)
                self.c.drawString(x, y, text)

    def _fallback(self, ch: str, x: float, y: float, size: float, slot: float, stroke: str | None = None) -> None:
        font = fallback_for(ch)
        if font is None:
            return  # a box-shaped .notdef would mislead; the plan's warning names the character
        actual = self.c.stringWidth(ch, font, size)
        t = self.c.beginText(x, y)
        t.setFont(font, size)
        if actual > slot > 0:
            t.setHorizScale(100.0 * slot / actual)  # never wider than what fit.py measured
        if stroke is not None:  # bold in a one-weight fallback (CJK): stroke the outline too
            self.c.saveState()
            self.c.addLiteral(self.ops.color(stroke, "RG"))
            self.c.setLineWidth(size * BOLD_STROKE)
            t.setTextRenderMode(2)
        t.textOut(ch)
        self.c.drawText(t)
        if stroke is not None:
            self.c.restoreState()



BOLD_STROKE = 0.035  # outline width / size for a faux bold: close to a real bold's stem growth


def _logo_aspect(theme: Theme, report: Report) -> float | None:
    """The logo's width / height, or None when there is none or it cannot be drawn."""
    if theme.logo is None:
        return None
    try:
        w, h = ImageReader(str(theme.logo)).getSize()
        return w / h
    except Exception as e:  # noqa: BLE001 - PIL and reportlab raise many kinds for a bad image
        report.warning(Span(str(theme.logo)), f"logo cannot be drawn on the flashcards: {e}")
        return None


@dataclass(frozen=True)
class FlashcardsPlan:
    """The sheets as planned, and what the file says about them."""

    sheets: CardsPlan
    spans: tuple[Span, ...]  # card number - 1 -> where the card is in the source
    title: str
    author: str
    language: str
    built: datetime
    logo: Path | None  # the theme's logo when it can be drawn


def plan(pack: Pack, theme: Theme, report: Report) -> FlashcardsPlan:
    fonts = card_fonts(theme)
    aspect = _logo_aspect(theme, report)
    sheets = plan_cards(pack, theme, fonts, report, aspect)
    spans = tuple(card.span for card in pack.flashcards())
    _warn_glyphs(sheets, spans, report)
    warn_unprintable(pack, theme, report)
    logo = theme.logo if aspect is not None else None
    return FlashcardsPlan(sheets, spans, f"Flashcards: {plain_readable(pack.title)}", plain_text(pack.author or ""),
                          pack.language, pack.build_time(), logo)  # fmt: skip


def _warn_glyphs(sheets: CardsPlan, spans: tuple[Span, ...], report: Report) -> None:
    """Latin characters a line's font lacks (drawn in a fallback font: a theme problem). Found
    here, in drawing order, so `check` reports what a build would."""
    lacking: Lacking = {}
    for sheet in sheets.sheets:
        for side in sheet.sides:
            span = spans[side.card - 1]
            for line in side.lines:
                for piece in line.pieces:
                    if isinstance(piece.run, MathRun):
                        continue
                    font = line.fonts.name_for(piece.run)
                    have = coverage(font)
                    for ch in piece.text:
                        if ord(ch) not in have or ch in _SKIP:
                            note_lacking(lacking, font, span, ch)
    warn_lacking(report, lacking)


def card_tags(count: int) -> tuple[Tag, dict[tuple[int, str], Tag]]:
    """The structure: a Sect per card holding its front then its back (a P each), in card
    order, whichever sheets they print on; returns the root and each (card, side)'s P."""
    root = Tag("Document")
    sides: dict[tuple[int, str], Tag] = {}
    for n in range(1, count + 1):
        card = Tag("Sect", root, title=f"#{n}")
        sides[n, "front"] = Tag("P", card)
        sides[n, "back"] = Tag("P", card)
    return root, sides


def _sheet_title(sheet: Sheet) -> str:
    first, last = sheet.sides[0].card, sheet.sides[-1].card
    cards = f"{first}" if first == last else f"{first}\u2013{last}"
    kind = {"front": "fronts", "back": "backs"}.get(sheet.kind, "front and back")
    return f"Cards {cards} ({kind})"


def draw(plan: FlashcardsPlan, theme: Theme) -> bytes:
    buf = io.BytesIO()
    sheets = plan.sheets
    fonts = card_fonts(theme)
    c = new_canvas(buf, sheets.page, plan.built, plan.title, plan.language, fonts.label.text.regular)
    root, tags = card_tags(sheets.count)
    c.tagger = Tagger()
    c.setAuthor(plan.author)  # reportlab would say "anonymous"
    subject = f"{sheets.count} flashcards, {sheets.size.note}, {sheets.duplex} duplex"
    c.setSubject(subject)
    if not sheets.sheets:
        with marked(c, Tag("P", root)):
            c.setFont(fonts.label.text.regular, 12)
            c.drawString(72, sheets.page[1] - 72, "This pack has no glossary terms or cards.")
        c.showPage()
    logo = ImageReader(str(plan.logo)) if plan.logo is not None else None
    painter = _Painter(c, theme)
    for number, sheet in enumerate(sheets.sheets, 1):
        key = f"sheet-{number}"
        c.bookmarkPage(key)
        c.addOutlineEntry(_sheet_title(sheet), key, 0)
        with artifact(c):
            c.setStrokeColor(HexColor("#000000"))
            c.setLineWidth(0.4)
            c.setDash()
            if sheet.marks:
                c.addLiteral(painter.ops.lines(sheet.marks))
            if sheet.folds:
                c.setStrokeColor(HexColor(theme.colors.muted))
                c.setDash(3, 2)
                c.addLiteral(painter.ops.lines(sheet.folds))
                c.setDash()
        for side in sheet.sides:
            _draw_side(c, painter, side, theme, logo, tags[side.card, side.side])
        c.showPage()
    c.save()
    y, mo, d, h, mi, s = tuple(time.gmtime(int(plan.built.timestamp())))[:6]  # as fix_timestamp stamps it
    info = pdf_ua.DocMeta(plan.title, plan.author, subject, "", "studypack", plan.language, (y, mo, d, h, mi, s))
    return pdf_ua.finish(buf.getvalue(), root, c.tagger, info)


def _draw_side(c: _CardsCanvas, painter: _Painter, side: CardSide, theme: Theme, logo: ImageReader | None, tag: Tag) -> None:
    ops = painter.ops
    content = len(side.lines) - side.labels
    # The tagger's calls rather than its context managers: thousands of cards, three sequences each.
    tagger = c.tagger
    assert tagger is not None
    tagger.begin(c, None)  # the frame: an artifact
    c.addLiteral(ops.color(theme.colors.primary if side.side == "front" else theme.colors.muted, "RG"))
    c.addLiteral(ops.num(0.6) + " w")
    c.addLiteral(ops.frame(side.frame, 1.5 * MM))
    tagger.end(c)
    tagger.begin(c, tag)
    for line in side.lines[:content]:
        painter.line(line)
    tagger.end(c)
    tagger.begin(c, None)  # the card's number and the pack's title, for sorting; the logo
    for line in side.lines[content:]:
        painter.line(line)
    if logo is not None and side.logo is not None:
        r = side.logo
        c.drawImage(logo, r.x, r.y, r.w, r.h, mask="auto", preserveAspectRatio=True, anchor="sw")
    tagger.end(c)
