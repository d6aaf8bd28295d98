"""Where a section's blocks go on slides: tables, code and figures on slides of their own, or a
small table or listing under the text before it when it fits there at the size it has alone;
the text after a table or listing under it when all of that text fits there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from studypack.errors import Report
from studypack.inline import plain_text
from studypack.math.unicode import readable
from studypack.model import Code, Image, Table
from studypack.plan.deck_code import SPLIT_SIZE, CodeFit, code_shade, plan_code
from studypack.plan.deck_fit import HEIGHT_SAFETY, Box, Fitter, Para
from studypack.plan.deck_flow import flow
from studypack.plan.deck_inline import deck_runs, has_math
from studypack.plan.deck_math import without_slots
from studypack.plan.deck_table import TableSlice, plan_table
from studypack.theme import Theme

FIGURE_GAP = 6.0  # pt between a figure and its caption
BLOCK_GAP = 9.0  # pt between a slide's text and a block under it
CAPTION_SIZES = (18.0, 16.0, 14.0, 12.0)
MIN_ROOM = 72.0  # pt: less room than this under the text is not worth trying


@dataclass(frozen=True)
class TextBox:
    """A free text box (not a placeholder): a listing under a slide's text, or the text after
    a block under it."""

    frame: Box
    paras: tuple[Para, ...]
    fill: str | None = None  # '#RRGGBB'
    name: str = "Code"  # the shape's name: "Code" (a listing) or "Text"


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
    lead: tuple[Para, ...] = ()  # the slide's own text over the block (its caption not included)


class BlockPlanner:
    def __init__(self, theme: Theme, fit: Fitter, box: Box, report: Report):
        self.theme, self.fit, self.box, self.report = theme, fit, box, report
        self.header_color = "background" if theme.style.fills else "primary"
        self.shade = code_shade(theme)
        self._tables: dict[tuple[Table, Box], list[TableSlice]] = {}
        self._codes: dict[tuple[Code, Box], CodeFit] = {}

    def table(self, table: Table, box: Box, report: Report) -> list[TableSlice]:
        """plan_table, once per table and box (a table tried under text is planned alone too)."""
        key = (table, box)
        if key not in self._tables:
            self._tables[key] = plan_table(table, self.fit, box, self.header_color, report)
        return self._tables[key]

    def code(self, code: Code, box: Box, report: Report) -> CodeFit:
        """plan_code, once per listing and box (so its problems are reported once)."""
        key = (code, box)
        if key not in self._codes:
            self._codes[key] = plan_code(code, self.theme, self.fit, box, report)
        return self._codes[key]

    def pages(self, block: Table | Code | Image) -> list[BlockPage]:
        """The block on slides of its own, filling the body area."""
        box = self.box
        if isinstance(block, Table):
            return [BlockPage(table=s) for s in self.table(block, box, self.report)]
        if isinstance(block, Code):
            listing = self.code(block, box, self.report)
            return [
                BlockPage(
                    page, body_frame=replace(box, h=listing.height(k, box)), body_fill=self.shade
                )
                for k, page in enumerate(listing.pages)
            ]
        return [self.figure(block)]

    def below(
        self, text: tuple[Para, ...], block: Table | Code, area: Box | None = None
    ) -> BlockPage | None:
        """The slide's text (and the block's caption under it) then the whole block, when it
        fits under them within `area` (the body area unless less is left for text after the
        block) at the size it would have on a slide of its own (or SPLIT_SIZE) and wrapped no
        more than there; None when it does not."""
        box = self.box
        area = area or box
        lead = text
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
        top = box.y + used + BLOCK_GAP
        room = Box(box.x, top, box.w, area.y + area.h - top)
        if room.h < MIN_ROOM:
            return None
        frame = replace(box, h=used)
        if isinstance(block, Table):
            under = self._table_alone(block, room)
            return (
                None if under is None else BlockPage(text, table=under, body_frame=frame, lead=lead)
            )
        listing = self._code_alone(block, room)
        if listing is None:
            return None
        code = TextBox(replace(room, h=listing.height(0, room)), listing.pages[0], self.shade)
        return BlockPage(text, body_frame=frame, boxes=(code,), lead=lead)

    def _table_alone(self, table: Table, room: Box) -> TableSlice | None:
        """The whole table in `room` when it fits there on one slide at the size it has on a
        slide of its own (or SPLIT_SIZE), too wide only if it is so there too."""
        alone = self.table(table, self.box, self.report)
        under = self.table(table, room, Report())
        if (
            len(under) == 1
            and (under[0].fitted or not alone[0].fitted)
            and under[0].size >= min(alone[0].size, SPLIT_SIZE)
        ):
            return under[0]
        return None

    def _code_alone(self, code: Code, room: Box) -> CodeFit | None:
        """The whole listing in `room`, on the terms of _table_alone."""
        alone = self.code(code, self.box, self.report)
        listing = self.code(code, room, Report())
        if (
            len(listing.pages) == 1
            and (listing.fitted or not alone.fitted)
            and listing.size >= min(alone.size, SPLIT_SIZE)
        ):
            return listing
        return None

    def after(
        self,
        page: BlockPage,
        block: Table | Code | Image,
        paras: Sequence[Para],
        parents: Sequence[tuple[Para, ...]],
    ) -> BlockPage | None:
        """The block's last slide with the text after the block in a box under it, laid out as
        on a slide of its own (same sizes, bullets and levels), when all of it fits there: under
        the block as planned, or else under the block set again in the room the text leaves, on
        the terms the block shares a slide with the text before it. None when the text does not
        fit, after a figure (its slide stays a figure slide) or for text with math (equations
        are placed in the body placeholder only)."""
        if isinstance(block, Image) or page.picture is not None or not paras:
            return None
        if not without_slots(paras) or any(has_math(p.runs) for p in paras):
            return None
        shared = self._text_under(page, paras, parents)
        if shared is not None:
            return shared
        box = self.box
        alone = flow(self.fit, paras, box, parents)
        if len(alone) != 1:
            return None
        needed = self.fit.height(alone[0], box) + 2 * box.inset_y + HEIGHT_SAFETY
        area = replace(box, h=box.h - needed - BLOCK_GAP)
        again: BlockPage | None = None
        if page.lead:  # the block under the text before it
            again = self.below(page.lead, block, area)
        elif area.h >= MIN_ROOM and isinstance(block, Table):
            piece = self._table_alone(block, area)
            again = None if piece is None else BlockPage(table=piece)
        elif area.h >= MIN_ROOM:
            listing = self._code_alone(block, area)
            if listing is not None:
                frame = replace(area, h=listing.height(0, area))
                again = BlockPage(listing.pages[0], body_frame=frame, body_fill=self.shade)
        return None if again is None else self._text_under(again, paras, parents)

    def _text_under(
        self, page: BlockPage, paras: Sequence[Para], parents: Sequence[tuple[Para, ...]]
    ) -> BlockPage | None:
        """The page with the paragraphs in a box under its block, when they fit there whole."""
        box = self.box
        top = block_bottom(page) + BLOCK_GAP
        room = replace(box, y=top, h=box.y + box.h - top)
        if room.text_height < max(p.line_height for p in paras):
            return None
        pages = flow(self.fit, paras, room, parents)
        if len(pages) != 1 or not self.fit.fits(pages[0], room):
            return None
        return replace(page, boxes=page.boxes + (TextBox(room, tuple(pages[0]), name="Text"),))

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


def block_bottom(page: BlockPage) -> float:
    """How far down the slide a block page's shapes reach (its table, listing or text)."""
    frames = [b.frame for b in page.boxes]
    if page.table is not None:
        frames.append(page.table.frame)
    if page.body_frame is not None:
        frames.append(page.body_frame)
    return max(f.y + f.h for f in frames)
