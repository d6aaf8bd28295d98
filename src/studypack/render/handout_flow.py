"""Flowables and page furniture of the handout: anchors, contents lines, figures, forms filled in at save.

The document is laid out in one pass: numbers not known while drawing (a section's page
in the contents, the page count in "Page n of N") are PDF form XObjects referenced where
they appear and defined just before the file is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepInFrame, Paragraph

from studypack.plan.handout import IMAGE_MIN_SCALE
from studypack.render._compat_reportlab import paragraph_lines, redraw_image, set_timestamp
from studypack.render.handout_para import Para
from studypack.render.pdf_math import MathCanvas
from studypack.render.pdf_tags import Tagger, TaggingCanvas, artifact


@dataclass
class PageBook:
    """What the layout learns while drawing: page of each anchor, and the page count."""

    pages: dict[str, int] = field(default_factory=dict)
    toc_keys: list[str] = field(default_factory=list)  # anchors whose page number the contents show
    labelled: list[int] = field(default_factory=list)  # pages that show "Page n of N"


@dataclass(frozen=True)
class Mark:
    """Where a heading leads: destination key, bookmark title and level, optional rule above."""

    key: str
    title: str
    level: int
    book: PageBook
    rule: tuple[Any, float] | None = None  # (colour, width), drawn in the space above the heading
    frame_height: float = 0.0


class HeadingPara(Para):
    """A heading paragraph that is also a destination, a bookmark and a page record.

    Part of the paragraph rather than a separate zero-height flowable: reportlab's
    keep-with-next measuring skips zero-height flowables, so a separate mark made headings
    land at a page foot without their first line of content.
    """

    mark: Mark | None = None  # paragraphs split off a long heading carry no mark
    may_cut = False  # a heading never ends a page with its lines on the next (handout_para.Keep)
    _at_top = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # The frame wraps with its full height only at its top, where a rule would double
        # the running header's.
        self._at_top = self.mark is not None and availHeight >= self.mark.frame_height - 1
        return super().wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        if parts and self.mark is not None:  # a heading longer than a page keeps its destination
            parts[0].mark = self.mark
        return parts

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        m = self.mark
        if m is not None and m.rule is not None and not self._at_top:
            # Before the heading's own marked content, which it would otherwise interrupt.
            rule_y = self.height + self.style.spaceBefore * 0.55
            with artifact(canvas):
                canvas.saveState()
                canvas.translate(x, y)
                canvas.setStrokeColor(m.rule[0])
                canvas.setLineWidth(m.rule[1])
                canvas.line(0, rule_y, self.width, rule_y)
                canvas.restoreState()
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        m = self.mark
        if m is not None:
            canv = self.canv
            canv.bookmarkHorizontal(m.key, 0, self.height + 6)
            canv.addOutlineEntry(m.title, m.key, m.level, closed=m.level > 0)
            m.book.pages[m.key] = canv.getPageNumber()
        super().draw()


def page_form(key: str) -> str:
    return "pg-" + key


def label_form(page: int) -> str:
    return f"pl-{page}"


class TocLine(Flowable):
    """One contents line: title, dot leaders, page number (a form), all one link to the heading."""

    def __init__(self, para: Paragraph, key: str, indent: float, num_width: float, style_size: float, leader_color: Any):
        super().__init__()
        self.para, self.key, self.indent, self.num_width = para, key, indent, num_width
        self.size, self.leader_color = style_size, leader_color

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        _, h = self.para.wrap(availWidth - self.indent - self.num_width, availHeight)
        self.height = h
        return (availWidth, h)

    def draw(self) -> None:
        canv, para = self.canv, self.para
        para.drawOn(canv, self.indent, 0)
        lines = paragraph_lines(para).lines
        baseline = self.height - para.style.fontSize - (len(lines) - 1) * para.style.leading
        # A line's actual width counts its indent: leaders follow a hanging last line's text.
        widths = para.getActualLineWidths0()
        start = self.indent + (widths[-1] if widths else 0) + 6
        # Up to the page number, whose width is known only when the book is saved (a form): stop
        # where a two-digit number begins, so a one- or two-digit number has the dots run up to it.
        end = self.width - canv.stringWidth("00", para.style.fontName, self.size) - 3
        if end > start:
            dot = canv.stringWidth(". ", para.style.fontName, self.size)
            # Leaders on a fixed grid, so the dots of all lines align in columns.
            x = (int(start / dot) + 1) * dot
            n = max(int((end - x) / dot), 0)
            if n:
                with artifact(canv):
                    canv.saveState()
                    canv.setFillColor(self.leader_color)
                    canv.setFont(para.style.fontName, self.size)
                    canv.drawString(x, baseline, ". " * n)
                    canv.restoreState()
        canv.saveState()
        canv.translate(self.width, baseline)
        canv.doForm(page_form(self.key))
        canv.restoreState()
        canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)


class Figure(Flowable):
    """An image at a planned size, centred; its `struct` (a Figure Tag) carries the alt text."""

    def __init__(self, image: ImageReader, width: float, height: float, alt: str):
        super().__init__()
        self.image, self.w, self.h, self.alt = image, width, height, alt

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # The plan fitted the frame; shrink again only if a narrower frame is used.
        if self.w > availWidth:
            self.h, self.w = self.h * availWidth / self.w, availWidth
        self.avail = availWidth
        return (availWidth, self.h)

    def draw(self) -> None:
        canv = self.canv
        x = (self.avail - self.w) / 2
        # drawImage hashes all the pixels on every call to find an image it has already
        # embedded; a repeated image reuses the XObject its first drawing registered.
        drawn: dict[ImageReader, tuple[str, str]] = canv.__dict__.setdefault("_studypack_images", {})
        if self.image in drawn:
            name, reg_name = drawn[self.image]
            canv.saveState()
            canv.translate(x, 0)
            canv.scale(self.w, self.h)
            redraw_image(canv, name, reg_name)
            canv.restoreState()
        else:
            names = {"name": None, "regName": None}
            canv.drawImage(self.image, x, 0, self.w, self.h, mask="auto", extraReturn=names)
            drawn[self.image] = (names["name"], names["regName"])


class FigureBlock(Flowable):
    """A figure with its caption below, never parted; at a page foot it shrinks before it moves.

    A figure that does not fit the space left on a page is drawn smaller (aspect kept, caption
    unchanged) down to IMAGE_MIN_SCALE of its planned height, rather than leaving that space empty.
    """

    def __init__(self, figure: Figure, caption: Paragraph | None, space_after: float):
        super().__init__()
        self.figure, self.caption = figure, caption
        self.gap = caption.style.spaceBefore if caption is not None else 0.0
        self.spaceAfter = space_after

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, fh = self.figure.wrap(availWidth, availHeight)
        ch = self.caption.wrap(availWidth, availHeight)[1] if self.caption is not None else 0.0
        self.width, self.height = availWidth, fh + self.gap + ch
        return (availWidth, self.height)

    @property
    def slack(self) -> float:
        """How much shorter the block may become: its image down to IMAGE_MIN_SCALE."""
        return self.figure.h * (1 - IMAGE_MIN_SCALE)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        f = self.figure
        scale = (availHeight - (self.height - f.h)) / f.h
        if scale < IMAGE_MIN_SCALE or scale >= 1:
            return []  # too little room: the whole block moves on
        smaller = Figure(f.image, f.w * scale, f.h * scale, f.alt)
        smaller.struct = getattr(f, "struct", None)
        return [FigureBlock(smaller, self.caption, self.spaceAfter)]

    def draw(self) -> None:
        ch = self.caption.height if self.caption is not None else 0.0
        self.figure.drawOn(self.canv, 0, ch + self.gap)
        if self.caption is not None:
            self.caption.drawOn(self.canv, 0, 0)


class CoverBand(Flowable):
    """The cover's title block on a band of the primary colour that bleeds off the top and sides.

    The first flowable of the cover frame: the band reaches from the paper's top edge down to
    a little below the title, and at least `min_height` below the frame's top. The logo sits on
    a tile of the background colour at the band's top, so a logo drawn in the primary colour
    still shows; the title lines stand at the band's foot.
    """

    LOGO_PAD = 8.0  # tile margin around the logo
    FOOT = 30.0  # band below the last title line

    def __init__(self, parts: list[Flowable], logo: Figure | None, fill: Any, tile: Any,
                 page_size: tuple[float, float], min_height: float):  # fmt: skip
        super().__init__()
        self.parts, self.logo, self.fill, self.tile = parts, logo, fill, tile
        self.page_size, self.min_height = page_size, min_height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        top = 0.0
        if self.logo is not None:
            top = self.logo.wrap(availWidth, availHeight)[1] + self.LOGO_PAD * 2 + 24
        self.text_height = self._wrap_text(availWidth, availHeight)
        room = availHeight - top - self.FOOT
        if self.text_height > room > 0 and not isinstance(self.parts[0], KeepInFrame):
            # A band cannot continue on the next page: a title too long for the cover shrinks.
            self.parts = [KeepInFrame(availWidth, room, self.parts, mode="shrink")]
            self.text_height = self._wrap_text(availWidth, availHeight)
        self.height = max(self.min_height, top + self.text_height + self.FOOT)
        return (availWidth, self.height)

    def _wrap_text(self, availWidth: float, availHeight: float) -> float:
        self.heights = [part.wrapOn(self.canv, availWidth, availHeight)[1] for part in self.parts]
        text = sum(self.heights)
        for i, part in enumerate(self.parts):
            if i:
                text += self.parts[i - 1].getSpaceAfter() + part.getSpaceBefore()
        return text

    def draw(self) -> None:
        canv = self.canv
        x0, y0 = canv.absolutePosition(0, 0)
        page_w, page_h = self.page_size
        with artifact(canv):
            canv.saveState()
            canv.setFillColor(self.fill)
            canv.rect(-x0, 0, page_w, page_h - y0, stroke=0, fill=1)
            if self.logo is not None:
                pad, logo = self.LOGO_PAD, self.logo
                canv.setFillColor(self.tile)
                canv.roundRect(0, self.height - logo.h - 2 * pad, logo.w + 2 * pad, logo.h + 2 * pad, 4, stroke=0, fill=1)
            canv.restoreState()
        if self.logo is not None:
            self.logo.drawOn(canv, self.LOGO_PAD, self.height - self.logo.h - self.LOGO_PAD)
        y = self.FOOT + self.text_height
        for i, part in enumerate(self.parts):
            if i:
                y -= self.parts[i - 1].getSpaceAfter() + part.getSpaceBefore()
            y -= self.heights[i]
            part.drawOn(canv, 0, y)


@dataclass
class Furniture:
    """Running header and footer (pre-wrapped once) and their colours."""

    header: Paragraph | None
    footer: Paragraph | None
    rule_color: Any
    label_font: str
    label_size: float
    label_color: Any
    toc_font: str
    toc_size: float
    toc_color: Any


def make_canvas_class(book: PageBook, furniture: Furniture, created: tuple[int, int, int, int, int, int],
                      page_label: str = "Page {n} of {total}", tagger: Tagger | None = None):  # fmt: skip
    """A Canvas that stamps the build time, marks content for the tagger and defines the late
    forms before saving."""

    class HandoutCanvas(MathCanvas, TaggingCanvas, Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self.tagger = tagger
            set_timestamp(self, _Stamp(created))

        def save(self) -> None:
            f = furniture
            for key in book.toc_keys:
                page = str(book.pages.get(key, "?"))
                self._number_form(page_form(key), page, f.toc_font, f.toc_size, f.toc_color)
            total = self.getPageNumber() - 1  # save() follows the last showPage
            for n in book.labelled:
                text = page_label.format(n=n, total=total)
                self._number_form(label_form(n), text, f.label_font, f.label_size, f.label_color)
            super().save()

        def _number_form(self, name: str, text: str, font: str, size: float, color: Any) -> None:
            self.beginForm(name, lowerx=-400, lowery=-6, upperx=2, uppery=24)
            self.setFont(font, size)
            self.setFillColor(color)
            self.drawRightString(0, 0, text)
            self.endForm()

    return HandoutCanvas


class _Stamp:
    """reportlab's TimeStamp interface, fixed at the pack's build time (reproducible bytes)."""

    def __init__(self, ymdhms: tuple[int, int, int, int, int, int]):
        self.YMDhms = ymdhms
        self.dhh = self.dmm = 0
        self.tzname = "UTC"
        self.t = 0.0
