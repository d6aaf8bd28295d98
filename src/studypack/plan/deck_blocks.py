"""Where a section's blocks go on slides: tables, code and figures on slides of their own, or a
small table or listing under the text before it when it fits there at the size it has alone."""

from __future__ import annotations

from dataclasses import dataclass, replace

from studypack.errors import Report
from studypack.inline import plain_text
from studypack.math.unicode import readable
from studypack.model import Code, Image, Table
from studypack.plan.deck_code import SPLIT_SIZE, code_shade, plan_code
from studypack.plan.deck_fit import HEIGHT_SAFETY, Box, Fitter, Para
from studypack.plan.deck_inline import deck_runs
from studypack.plan.deck_table import TableSlice, plan_table
from studypack.theme import Theme

FIGURE_GAP = 6.0  # pt between a figure and its caption
BLOCK_GAP = 9.0  # pt between a slide's text and a block under it
CAPTION_SIZES = (18.0, 16.0, 14.0, 12.0)
MIN_ROOM = 72.0  # pt: less room than this under the text is not worth trying


@dataclass(frozen=True)
class TextBox:
    """A free text box (not a placeholder): a listing under a slide's text."""

    frame: Box
    paras: tuple[Para, ...]
    fill: str | None = None  # '#RRGGBB'


@dataclass(frozen=True)
class BlockPage:
    """What a block puts on one slide (fields of the SlidePlan)."""

    body: tuple[Para, ...] = ()
    table: TableSlice | None = None
    picture: Box | None = None
    body_frame: Box | None = None  # the body placeholder moved or shrunk to this frame
    body_fill: str | None = None
    boxes: tuple[TextBox, ...] = ()
    notes: tuple[str, ...] = ()  # added to the slide's speaker notes


class BlockPlanner:
    def __init__(self, theme: Theme, fit: Fitter, box: Box, report: Report):
        self.theme, self.fit, self.box, self.report = theme, fit, box, report
        self.header_color = "background" if theme.style.fills else "primary"
        self.shade = code_shade(theme)
        self._tables: dict[tuple[Table, Box], list[TableSlice]] = {}

    def table(self, table: Table, box: Box, report: Report) -> list[TableSlice]:
        """plan_table, once per table and box (a table tried under text is planned alone too)."""
        key = (table, box)
        if key not in self._tables:
            self._tables[key] = plan_table(table, self.fit, box, self.header_color, report)
        return self._tables[key]

    def pages(self, block: Table | Code | Image) -> list[BlockPage]:
        """The block on slides of its own, filling the body area."""
        box = self.box
        if isinstance(block, Table):
            return [BlockPage(table=s) for s in self.table(block, box, self.report)]
        if isinstance(block, Code):
            listing = plan_code(block, self.theme, self.fit, box, self.report)
            return [
                BlockPage(
                    page, body_frame=replace(box, h=listing.height(k, box)), body_fill=self.shade
                )
                for k, page in enumerate(listing.pages)
            ]
        return [self.figure(block)]

    def below(self, text: tuple[Para, ...], block: Table | Code) -> BlockPage | None:
        """The slide's text (and the block's caption under it) then the whole block, when it
        fits under them at the size it would have on a slide of its own (or SPLIT_SIZE); None
        when it does not."""
        box, quiet = self.box, Report()  # problems are reported once, by pages()
        if block.caption:
            cap = Para(
                deck_runs(block.caption),
                18.0,
                space_before=BLOCK_GAP,
                color="muted",
                align="ctr",
            )
            text = text + (self.fit.prepare(cap, box),)
        used = self.fit.height(text, box) + 2 * box.inset_y + HEIGHT_SAFETY
        room = Box(box.x, box.y + used + BLOCK_GAP, box.w, box.h - used - BLOCK_GAP)
        if room.h < MIN_ROOM:
            return None
        frame = replace(box, h=used)
        if isinstance(block, Table):
            alone = self.table(block, box, self.report)
            under = self.table(block, room, quiet)
            if (
                len(under) == 1
                and under[0].fitted
                and under[0].size >= min(alone[0].size, SPLIT_SIZE)
            ):
                return BlockPage(text, table=under[0], body_frame=frame)
            return None
        alone_code = plan_code(block, self.theme, self.fit, box, quiet)
        listing = plan_code(block, self.theme, self.fit, room, quiet)
        if (
            len(listing.pages) == 1
            and listing.fitted
            and listing.size >= min(alone_code.size, SPLIT_SIZE)
        ):
            code = TextBox(replace(room, h=listing.height(0, room)), listing.pages[0], self.shade)
            return BlockPage(text, body_frame=frame, boxes=(code,))
        return None

    def figure(self, image: Image) -> BlockPage:
        """A figure's slide: the picture as large as the body area holds it (aspect kept), its
        caption centred under it; the two centred in the area together."""
        area = self.box
        body: tuple[Para, ...] = ()
        notes: tuple[str, ...] = ()
        cap_h = 0.0
        if image.caption:
            cap = Para(deck_runs(image.caption), CAPTION_SIZES[0], color="muted", align="ctr")
            room = replace(area, h=area.h / 3)
            fitted = self.fit.fit_paras([cap], room, CAPTION_SIZES)
            if fitted is None:
                self.report.warning(
                    image.span,
                    "figure caption is too long for its slide; it is in the notes instead",
                )
                notes = (readable(image.caption, markdown=plain_text),)  # v₀, not $v_0$
            else:
                body = tuple(fitted)
                cap_h = self.fit.height(body, room) + 2 * room.inset_y + HEIGHT_SAFETY + 1.0
        below = cap_h + FIGURE_GAP if body else 0.0
        scale = min(area.w / image.width, (area.h - below) / image.height)
        w, h = image.width * scale, image.height * scale
        top = area.y + (area.h - h - below) / 2
        picture = Box(area.x + (area.w - w) / 2, top, w, h)
        caption = Box(area.x, top + h + FIGURE_GAP, area.w, cap_h) if body else None
        return BlockPage(body, picture=picture, body_frame=caption, notes=notes)
