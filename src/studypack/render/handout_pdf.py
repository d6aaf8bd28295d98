"""handout.pdf: draws the handout plan with reportlab platypus, in one layout pass."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)  # fmt: skip
from reportlab.platypus.flowables import HRFlowable

from studypack import __version__
from studypack.errors import Report, Span
from studypack.fit import text_width
from studypack.inline import plain_text
from studypack.load.images import upright
from studypack.math.unicode import plain_readable
from studypack.model import Pack
from studypack.plan.handout import (
    CONTENTS_DEPTH,
    Bullets,
    Cover,
    Figure,
    GlossaryEntry,
    HandoutPlan,
    Heading,
    Para,
    fit_image,
    plan_handout,
)  # fmt: skip
from studypack.render import handout_blocks as hb
from studypack.render import handout_flow as hf
from studypack.render import handout_para as hp
from studypack.render import pdf_ua
from studypack.render.pdf_tags import ARTIFACT, Tag, Tagger, artifact
from studypack.render.pdf_text import Glyphs, font_set, warn_unprintable
from studypack.theme import Theme

BODY_SIZE = 10.5
BULLETS = ("•", "–", "·")  # by depth; all in WinAnsi, so every text font has them
TOC_DEPTH = CONTENTS_DEPTH  # the contents list sections and subsections; bookmarks list every level
BULLET_LIST = {"O": "List", "ListNumbering": "Disc"}  # a bulleted list, for assistive technology


class Styles:
    """Paragraph styles from the theme's fonts and colours, made once per render."""

    def __init__(self, theme: Theme):
        self.body_fonts = font_set(theme.fonts.body)
        self.head_fonts = font_set(theme.fonts.heading)
        c = theme.colors
        self.primary, self.accent = colors.HexColor(c.primary), colors.HexColor(c.accent)
        self.text, self.muted = colors.HexColor(c.text), colors.HexColor(c.muted)
        self.link = c.accent
        body, head = self.body_fonts.text, self.head_fonts.text
        base = ParagraphStyle(
            "body", fontName=body.regular, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.38,
            textColor=self.text, spaceAfter=6, allowWidows=0, allowOrphans=0, splitLongWords=1,
        )  # fmt: skip
        self.body = base
        self.overview = ParagraphStyle("overview", base, fontSize=11.5, leading=16, spaceAfter=8)
        self.summary = ParagraphStyle("summary", base, fontSize=11, leading=15.5, spaceAfter=6)
        self.bullet = [
            ParagraphStyle(
                f"bullet{d}", base, leftIndent=18 + 16 * d, bulletIndent=5 + 16 * d,
                spaceAfter=3, bulletFontName=body.regular, bulletColor=self.primary if d == 0 else self.muted,
            )  # fmt: skip
            for d in range(6)
        ]
        self.heading = {
            1: ParagraphStyle("h1", base, fontName=head.bold, fontSize=17, leading=21, textColor=self.primary,
                              spaceBefore=24, spaceAfter=8),
            2: ParagraphStyle("h2", base, fontName=head.bold, fontSize=13.5, leading=17, textColor=self.primary,
                              spaceBefore=12, spaceAfter=5),
            3: ParagraphStyle("h3", base, fontName=head.bold, fontSize=11.5, leading=15, textColor=self.text,
                              spaceBefore=9, spaceAfter=4),
        }  # fmt: skip
        self.caption = ParagraphStyle(
            "caption", base, fontName=body.italic, fontSize=9, leading=12, textColor=self.muted,
            alignment=TA_CENTER, spaceBefore=4, spaceAfter=10,
        )  # fmt: skip
        self.term = ParagraphStyle("term", base, fontName=body.bold, spaceBefore=5, spaceAfter=1, keepWithNext=1)
        self.definition = ParagraphStyle("definition", base, leftIndent=16, spaceAfter=5)
        self.toc = {
            1: ParagraphStyle("toc1", base, fontName=head.bold, fontSize=10.5, leading=13.5, spaceBefore=3.5,
                              spaceAfter=0, textColor=self.text),
            2: ParagraphStyle("toc2", base, fontSize=9.5, leading=12, spaceAfter=0, textColor=self.text),
        }  # fmt: skip
        self.furniture = ParagraphStyle("furniture", base, fontName=head.regular, fontSize=8.5, leading=10.5,
                                        textColor=self.muted)  # fmt: skip
        self.cover_title = ParagraphStyle("cover_title", base, fontName=head.bold, fontSize=30, leading=36,
                                          textColor=self.primary, spaceAfter=12)  # fmt: skip
        self.cover_sub = ParagraphStyle("cover_sub", base, fontName=head.regular, fontSize=16, leading=21,
                                        textColor=self.muted, spaceAfter=4)  # fmt: skip
        # On the cover band (style.fills): the page's background colour on primary.
        self.background = colors.HexColor(c.background)
        self.band_title = ParagraphStyle("band_title", self.cover_title, textColor=self.background)
        self.band_sub = ParagraphStyle("band_sub", self.cover_sub, textColor=self.background)
        self.cover_line = ParagraphStyle("cover_line", base, fontName=head.regular, fontSize=12, leading=17,
                                         spaceAfter=2)  # fmt: skip
        self._hanging: dict[tuple[str, float], ParagraphStyle] = {}

    def heading_style(self, level: int) -> ParagraphStyle:
        return self.heading[min(level, 3)]

    def hanging(self, style: ParagraphStyle, number: str, column: float | None = None) -> ParagraphStyle:
        """style for a numbered title whose wrapped lines stand under the title, not the number
        (LaTeX's hanging section titles and contents lines). With a `column` (at least the
        number's width) the title starts there and the number stands right-aligned before it,
        so titles after "9" and "10" line up. Shared per width, so the markup shapes parsed for
        a style (handout_para) are reused across titles."""
        width = round(text_width(number, style.fontName, style.fontSize), 3)
        indent = width if column is None else round(max(column, width), 3)
        if not indent:
            return style
        key = (style.name, indent, width)
        if key not in self._hanging:
            self._hanging[key] = ParagraphStyle(f"{style.name}-hang", style, leftIndent=indent, firstLineIndent=-width)
        return self._hanging[key]


class Builder:
    """Turns plan blocks into flowables; collects located font warnings on the way."""

    def __init__(self, plan: HandoutPlan, theme: Theme, report: Report):
        self.plan, self.theme, self.report = plan, theme, report
        self.st = Styles(theme)
        self.glyphs = Glyphs(report, math_size=BODY_SIZE, math_color=theme.colors.text)
        self.book = hf.PageBook()
        self.images: dict[str, ImageReader] = {}  # one reader per file: repeated images are embedded once
        page = plan.page
        self.blocks = hb.BlockFlowables(self.st, self.glyphs, theme.style.fills, page.frame_width, page.frame_height)
        # The structure tree, declared in reading order as the story is made (pdf_tags).
        self.root = Tag("Document")
        self.sects: list[tuple[int, Tag]] = []  # open sections: (heading level, Sect)
        self.glossary_list: Tag | None = None
        self.targets: dict[str, Heading | GlossaryEntry] = {}  # where internal links lead

    def sect(self) -> Tag:
        return self.sects[-1][1] if self.sects else self.root

    def para(self, text: str, style: ParagraphStyle, span: Span, heading: bool = False, **kw: Any) -> Paragraph:
        fonts = self.st.head_fonts if heading else self.st.body_fonts
        return hp.Para(self.glyphs.styled(text, fonts, span, self.st.link, style), style, **kw)

    def plain(self, text: str, style: ParagraphStyle, span: Span) -> Paragraph:
        return hp.Para(self.glyphs.text(text, style.fontName, span), style)

    def story(self) -> list[Flowable]:
        for h in self.plan.contents:
            self.targets[h.anchor] = h
        out = self.cover(self.plan.cover)
        out += [NextPageTemplate("body"), PageBreak()]
        out += self.contents()
        short = self.plan.short  # contents and glossary run on (plan.handout.SHORT_PACK_ENTRIES)
        if not short:
            out.append(PageBreak())
        blocks = self.plan.blocks
        for i, block in enumerate(blocks):
            if isinstance(block, Heading):
                if block.anchor == "glossary" and not short:
                    out.append(PageBreak())
                out += self.heading(block)
            elif isinstance(block, Para):
                style = self.st.overview if block.role == "overview" else self.st.summary
                p = self.para(block.text, style, block.span)
                p.struct = Tag("P", self.sect())
                # A summary stays with what follows (first point or subheading): no heading ends a page.
                p.keepWithNext = i + 1 < len(blocks) and isinstance(blocks[i + 1], (Bullets, Heading, *hb.BLOCKS))
                out.append(p)
            elif isinstance(block, Bullets):
                bodies = self.list_items(block)
                # A run's last point introduces a table, listing, equation or figure after it.
                block_next = i + 1 < len(blocks) and isinstance(blocks[i + 1], (Figure, *hb.BLOCKS))
                for k, item in enumerate(block.items):
                    style = self.st.bullet[min(item.depth, 5)]
                    bullet = BULLETS[min(item.depth, len(BULLETS) - 1)]
                    p = self.para(item.text, style, item.span, bulletText=bullet)
                    p.struct = bodies[k]
                    # The last point never starts a page alone: it travels with the one before;
                    # a lead-in ("A titration in four steps:") stays with its first sub-point,
                    # the last point with the block it introduces.
                    nxt = block.items[k + 1] if k + 1 < len(block.items) else None
                    p.keepWithNext = k == len(block.items) - 2 or (nxt is not None and nxt.depth > item.depth)
                    p.keepWithNext |= nxt is None and block_next
                    out.append(p)
            elif isinstance(block, Figure):
                out += self.figure(block)
            elif isinstance(block, GlossaryEntry):
                out += self.term(block)
            elif isinstance(block, hb.BLOCKS):
                out += self.blocks.flowables(block, self.sect())
        return out

    def list_items(self, block: Bullets) -> list[Tag]:
        """L › LI › Lbl + LBody per point; a sub-list goes in the LBody of the point above it."""
        lists: list[Tag] = [Tag("L", self.sect(), attributes=BULLET_LIST)]
        bodies: list[Tag] = []
        for item in block.items:
            while len(lists) > item.depth + 1:
                lists.pop()
            while len(lists) < item.depth + 1:
                lists.append(Tag("L", bodies[-1] if bodies else lists[-1], attributes=BULLET_LIST))
            li = Tag("LI", lists[-1])
            label = Tag("Lbl", li)  # declared first: the label comes first in its item
            bodies.append(Tag("LBody", li, label=label))
        return bodies

    def open_sect(self, level: int) -> Tag:
        while self.sects and self.sects[-1][0] >= level:
            self.sects.pop()
        sect = Tag("Sect", self.sect())
        self.sects.append((level, sect))
        return sect

    def heading(self, h: Heading) -> list[Flowable]:
        number = f"{h.number}\u00a0\u00a0" if h.number else ""
        rule = (self.st.primary, 1.2) if h.level == 1 else None
        style = self.st.hanging(self.st.heading_style(h.level), number)
        prefix = self.glyphs.text(number, style.fontName, h.span)
        text = prefix + self.glyphs.styled(h.text, self.st.head_fonts, h.span, self.st.link, style)
        p = hf.HeadingPara(text, style)
        p.mark = hf.Mark(h.anchor, h.outline_title, h.level - 1, self.book, rule, self.plan.page.frame_height)
        p.struct = Tag(f"H{min(h.level, 6)}", self.open_sect(h.level))
        p.keepWithNext = True
        return [p]

    def figure(self, f: Figure) -> list[Flowable]:
        try:
            image = self.images.get(str(f.path)) or self.images.setdefault(str(f.path), ImageReader(upright(f.path)))
        except Exception as e:  # reportlab/PIL raise many kinds for unreadable images
            self.report.error(f.span, f"image '{f.path.name}' cannot be embedded in the handout: {e}")
            return []
        alt = plain_text(f.alt) or f.alt
        figure = hf.Figure(image, f.width, f.height, alt)
        figure.struct = Tag("Figure", self.sect(), alt=alt)
        caption = self.para(f.caption, self.st.caption, f.span) if f.caption else None
        if caption is not None:
            caption.struct = Tag("Caption", self.sect())
        return [hf.FigureBlock(figure, caption, self.st.caption.spaceAfter)]

    def term(self, g: GlossaryEntry) -> list[Flowable]:
        name = f'<a name="{g.anchor}"/>'
        term = hp.Para(
            name + self.glyphs.styled(g.term, self.st.body_fonts, g.span, self.st.link, self.st.term),
            self.st.term,
        )
        term.may_cut = False  # a term stays whole with its definition
        if self.glossary_list is None:
            self.glossary_list = Tag("L", self.sect(), attributes={"O": "List", "ListNumbering": "None"})
        item = Tag("LI", self.glossary_list)
        term.struct = Tag("Lbl", item)
        self.targets[g.anchor] = g
        text = self.glyphs.styled(g.definition, self.st.body_fonts, g.span, self.st.link, self.st.definition)
        if g.see:
            links = ", ".join(
                f'<a href="#{s.anchor}" color="{self.st.link}">'
                f"{self.glyphs.styled(s.term, self.st.body_fonts, g.span, self.st.link, self.st.definition)}</a>"
                for s in g.see
            )
            see_also = self.glyphs.text(self.plan.words.see_also, self.st.body_fonts.text.italic, g.span)
            text += f" <i>{see_also}</i> {links}."
        definition = hp.Para(text, self.st.definition)
        definition.struct = Tag("LBody", item)
        return [term, definition]

    def contents(self) -> list[Flowable]:
        style = self.st.heading[1]
        title = hf.HeadingPara(self.glyphs.text(self.plan.words.contents, style.fontName, Span("")), style)
        title.mark = hf.Mark("contents", self.plan.words.contents, 0, self.book, None, self.plan.page.frame_height)
        sect = Tag("Sect", self.root)
        title.struct = Tag("H1", sect)
        title.keepWithNext = True
        toc = Tag("TOC", sect)
        out: list[Flowable] = [title]
        num_w = 36.0
        entries = [h for h in self.plan.contents if h.level <= TOC_DEPTH]
        numbers = {h.anchor: f"{h.number}\u00a0\u00a0" if h.number else "" for h in entries}
        # A number column per level, as wide as its widest number: every title of a level starts
        # at one x, and a subsection's number stands under its section's title.
        column = {level: 0.0 for level in range(1, TOC_DEPTH + 1)}
        for h in entries:
            style = self.st.toc[min(h.level, 2)]
            column[h.level] = max(column[h.level], text_width(numbers[h.anchor], style.fontName, style.fontSize))
        for h in entries:
            number = numbers[h.anchor]
            ts = self.st.hanging(self.st.toc[min(h.level, 2)], number, column[h.level] if number else None)
            fonts = self.st.head_fonts if h.level == 1 else self.st.body_fonts
            indent = sum(column[level] for level in range(1, h.level))
            prefix = self.glyphs.text(number, ts.fontName, h.span)
            title = hp.Para(prefix + self.glyphs.styled(h.text, fonts, h.span, self.st.link, ts), ts)
            self.book.toc_keys.append(h.anchor)
            line = hf.TocLine(title, h.anchor, indent, num_w, ts.fontSize, self.st.muted)
            line.struct = Tag("Link", Tag("Reference", Tag("TOCI", toc)))
            out.append(line)
        return out

    def cover(self, c: Cover) -> list[Flowable]:
        st = self.st
        out = self.cover_band(c) if self.theme.style.fills else self.cover_plain(c)
        out.append(Spacer(1, 36))
        for line in (c.course, c.author):
            if line:
                out.append(self.para(line, st.cover_line, c.span, heading=True))
                out[-1].struct = Tag("P", self.root)
        if c.date:
            out.append(self.plain(c.date, st.cover_line, c.span))
            out[-1].struct = Tag("P", self.root)
        return out

    def title_parts(self, c: Cover, title_style: ParagraphStyle, sub_style: ParagraphStyle, rule_color: Any) -> list[Flowable]:
        """The cover's title (the document's first heading), its rule and the subtitle."""
        title = self.para(c.title, title_style, c.span, heading=True)
        title.struct = Tag("H1", self.root)
        rule = HRFlowable(width="35%", thickness=3, color=rule_color, hAlign="LEFT", spaceBefore=2, spaceAfter=14)
        rule.struct = ARTIFACT
        parts: list[Flowable] = [title, rule]
        if c.subtitle:
            parts.append(self.para(c.subtitle, sub_style, c.span, heading=True))
            parts[-1].struct = Tag("P", self.root)
        return parts

    def cover_plain(self, c: Cover) -> list[Flowable]:
        """Title block on white paper: no filled areas (ink-saving themes)."""
        st, frame_h = self.st, self.plan.page.frame_height
        out: list[Flowable] = []
        logo = self.logo(c)
        out.append(Spacer(1, frame_h * (0.12 if logo else 0.2)))
        if logo:
            out += [logo, Spacer(1, 28)]
        out += self.title_parts(c, st.cover_title, st.cover_sub, st.accent)
        return out

    def cover_band(self, c: Cover) -> list[Flowable]:
        """Title block in the background colour on a full-bleed band of primary."""
        st, page = self.st, self.plan.page
        parts = self.title_parts(c, st.band_title, st.band_sub, st.background)
        band = hf.CoverBand(parts, self.logo(c), st.primary, st.background, (page.width, page.height),
                            page.frame_height * 0.42)  # fmt: skip
        return [band]

    def logo(self, c: Cover) -> hf.Figure | None:
        if c.logo is None:
            return None
        try:
            image = ImageReader(str(c.logo))
            w, h = image.getSize()
        except Exception as e:  # an SVG or a corrupt file: the cover goes without
            self.report.warning(Span(str(c.logo)), f"logo cannot be drawn in the handout: {e}")
            return None
        page = self.plan.page
        w, h = fit_image(w, h, page)
        scale = min(1.0, 80 / h, page.frame_width * 0.5 / w)  # a logo is a mark, not a poster
        fig = hf.Figure(image, w * scale, h * scale, "Logo")
        fig.struct = ARTIFACT  # decoration: the title says whose handout it is
        fig.hAlign = "LEFT"
        fig.wrap = lambda aw, ah: (fig.w, fig.h)  # type: ignore[method-assign]
        fig.avail = w * scale
        return fig

    def furniture(self) -> hf.Furniture:
        st, page = self.st, self.plan.page
        width = page.frame_width * 0.75
        header = self.plain(self.plan.header, st.furniture, Span("")) if self.plan.header else None
        footer = self.plain(self.plan.footer, st.furniture, Span("")) if self.plan.footer else None
        for p in (header, footer):
            if p is not None:
                p.wrap(width, page.height)
        return hf.Furniture(header, footer, st.primary, st.furniture.fontName, 8.5, st.muted,
                            st.body_fonts.text.regular, 10, st.text)  # fmt: skip


def _decorate(book: hf.PageBook, fur: hf.Furniture, plan: HandoutPlan):
    page = plan.page
    left, right = page.margin_x, page.width - page.margin_x
    head_y = page.height - page.margin_top + 16
    foot_y = page.margin_bottom - 22

    def on_page(canv: Canvas, doc: BaseDocTemplate) -> None:
        with artifact(canv, "Pagination"):
            draw_furniture(canv)

    def draw_furniture(canv: Canvas) -> None:
        canv.saveState()
        canv.setStrokeColor(fur.rule_color)
        canv.setLineWidth(0.6)
        canv.line(left, head_y, right, head_y)
        if fur.header is not None:
            fur.header.drawOn(canv, left, head_y + 5)
        canv.setLineWidth(0.4)
        canv.line(left, foot_y + 14, right, foot_y + 14)
        if fur.footer is not None:
            fur.footer.drawOn(canv, left, foot_y + 10.5 - fur.footer.height)
        n = canv.getPageNumber()
        book.labelled.append(n)
        canv.translate(right, foot_y + 2)  # on the footer text's first baseline
        canv.doForm(hf.label_form(n))
        canv.restoreState()

    return on_page


@dataclass(frozen=True)
class HandoutStory:
    """The handout as platypus will paginate it: the pure plan, then its flowables (text already
    turned into markup in the fonts that draw it, images opened), which is where every problem
    is found; pagination and writing are left to draw()."""

    plan: HandoutPlan
    flowables: list[Flowable]
    furniture: hf.Furniture
    book: hf.PageBook
    body_font: str
    root: Tag  # the structure tree, declared in reading order
    targets: dict[str, Heading | GlossaryEntry]  # where internal links lead

    def describe(self, target: str, internal: bool) -> str:
        """A link's description (its annotation's /Contents): the heading or term it leads to, or its URL."""
        to = self.targets.get(target) if internal else None
        if isinstance(to, Heading):
            return to.outline_title
        return plain_readable(to.term) if to is not None else target


def plan(pack: Pack, theme: Theme, report: Report) -> HandoutStory:
    warn_unprintable(pack, theme, report)
    return typeset(plan_handout(pack, theme, report), theme, report)


def typeset(plan: HandoutPlan, theme: Theme, report: Report) -> HandoutStory:
    b = Builder(plan, theme, report)
    flowables = b.story()
    furniture = b.furniture()
    b.glyphs.warn()
    return HandoutStory(plan, flowables, furniture, b.book, b.st.body.fontName, b.root, b.targets)


def draw(story: HandoutStory, theme: Theme) -> bytes:
    plan = story.plan
    page, meta = plan.page, plan.meta
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=(page.width, page.height), invariant=1, lang=meta.language,
        title=meta.title, author=meta.author, subject=meta.subject, keywords=list(meta.keywords),
        creator=f"studypack {__version__}", initialFontName=story.body_font, initialFontSize=BODY_SIZE,
        leftMargin=page.margin_x, rightMargin=page.margin_x, topMargin=page.margin_top,
        bottomMargin=page.margin_bottom,
    )  # fmt: skip
    doc.keepTogetherClass = functools.partial(hp.Keep, frame_height=page.frame_height)
    frame = Frame(page.margin_x, page.margin_bottom, page.frame_width, page.frame_height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
    doc.addPageTemplates([
        PageTemplate("cover", [frame]),
        PageTemplate("body", [frame], onPage=_decorate(story.book, story.furniture, plan)),
    ])  # fmt: skip
    c = meta.created
    tagger = Tagger(story.describe)
    canvas_class = hf.make_canvas_class(story.book, story.furniture, (c.year, c.month, c.day, c.hour, c.minute, c.second),
                                        plan.words.page, tagger)  # fmt: skip
    doc.build(story.flowables, canvasmaker=canvas_class)
    info = pdf_ua.DocMeta(meta.title, meta.author, meta.subject, ", ".join(meta.keywords), f"studypack {__version__}",
                          meta.language, (c.year, c.month, c.day, c.hour, c.minute, c.second))  # fmt: skip
    return pdf_ua.finish(buf.getvalue(), story.root, tagger, info)
