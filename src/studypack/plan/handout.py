"""Handout plan: the pack as an ordered flow of blocks (cover, contents, overview, sections, glossary).

Pure: decides order, numbering, anchors, image sizes and glossary order; never draws.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from studypack.errors import Report, Span
from studypack.inline import escape_markdown, plain_text
from studypack.labels import Labels, format_date, labels_for
from studypack.math.unicode import plain_readable
from studypack.model import Code, Image, Item, Math, Pack, Point, Section, Table, Term
from studypack.plan.handout_blocks import (
    CodeBlock,
    MathBlock,
    Numbering,
    TableBlock,
    code_block,
    math_block,
    table_block,
    uses_blocks,
)  # fmt: skip
from studypack.templating import render_text
from studypack.theme import Theme
from studypack.units import INCH, MM, PAPER_SIZES  # noqa: F401 - MM re-exported

MARGIN_X = 0.85 * INCH
MARGIN_TOP = 0.95 * INCH  # room for the running header above the frame
MARGIN_BOTTOM = 0.9 * INCH
IMAGE_MAX_HEIGHT = 0.45  # of the frame height, so a figure never fills a page alone
IMAGE_MIN_SCALE = 0.6  # a figure at a page foot may shrink this far to stay there (never further)
SCREEN_PT_PER_PX = 0.75  # images have no trustworthy dpi; 96 px per inch is the web's
MIN_PRINT_DPI = 150  # below this a printed figure looks soft: warn
# Longer text could not share a page with what must stay beside it: cut, with a warning.
MAX_CONTENTS_CHARS = 300  # a contents line (the heading itself keeps all its words)
MAX_CAPTION_CHARS = 1500  # a caption travels with its figure on one page
CONTENTS_DEPTH = 2  # the contents list sections and subsections; bookmarks list every level
# A short pack is one with at most this many sections (subsections, Overview and Glossary not
# counted). A page of contents for it would be mostly empty, so the contents open the first
# page after the cover and the glossary follows the last section on the same page when it
# fits, instead of each taking a page of its own.
SHORT_PACK_SECTIONS = 3


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    margin_x: float = MARGIN_X
    margin_top: float = MARGIN_TOP
    margin_bottom: float = MARGIN_BOTTOM

    @property
    def frame_width(self) -> float:
        return self.width - 2 * self.margin_x

    @property
    def frame_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom


@dataclass(frozen=True)
class Cover:
    title: str  # inline Markdown
    subtitle: str | None
    course: str | None
    author: str | None
    date: str | None
    logo: Path | None
    span: Span


@dataclass(frozen=True)
class Heading:
    text: str  # inline Markdown
    level: int  # 1 = a top-level section (also Overview, Glossary); 2, 3 … subsections
    number: str  # "2.3", or "" for unnumbered headings
    anchor: str  # stable destination name for links, contents and bookmarks
    span: Span

    @property
    def outline_title(self) -> str:
        title = plain_readable(self.text)  # bookmarks are plain text: equations read as text
        return f"{self.number} {title}" if self.number else title


@dataclass(frozen=True)
class Para:
    text: str  # inline Markdown
    role: str  # "overview" | "summary"
    span: Span


@dataclass(frozen=True)
class Bullet:
    text: str  # inline Markdown
    depth: int  # 0 = top-level point
    span: Span


@dataclass(frozen=True)
class Bullets:
    items: tuple[Bullet, ...]  # flattened in reading order; depth carries the nesting


@dataclass(frozen=True)
class Figure:
    path: Path
    width: float  # points, already scaled to fit the frame
    height: float
    alt: str
    caption: str | None  # inline Markdown
    span: Span


@dataclass(frozen=True)
class SeeRef:
    term: str
    anchor: str


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    anchor: str
    definition: str  # inline Markdown
    see: tuple[SeeRef, ...]
    span: Span


Block = Heading | Para | Bullets | Figure | GlossaryEntry | TableBlock | CodeBlock | MathBlock


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    created: dt.datetime


@dataclass(frozen=True)
class HandoutPlan:
    page: Page
    meta: Meta
    cover: Cover
    contents: tuple[Heading, ...]  # what the table of contents lists, in order
    blocks: tuple[Block, ...]
    header: str  # plain text from the theme templates
    footer: str
    words: Labels  # headings and page labels in the pack's language
    short: bool = False  # contents and glossary run on instead of starting pages (SHORT_PACK_SECTIONS)


def glossary_in_order(pack: Pack) -> list[Term]:
    """Alphabetical, ignoring case and accents: the order of the handout glossary and of the
    deck's key-term slides, so students can follow one in the other."""
    return sorted(pack.glossary, key=lambda t: sort_key(t.term))


def sort_key(term: str) -> tuple[str, str]:
    """Alphabetical ignoring case and accents ('Élan' files under E); ties broken by spelling."""
    text = plain_text(term)
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return (folded.casefold(), text)


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", plain_text(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"


def _paragraphs(text: str | None) -> list[str]:
    """A text split at blank lines (YAML block scalars keep them)."""
    if not text:
        return []
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _bullets(points: tuple[Point, ...], depth: int = 0) -> list[Bullet]:
    out: list[Bullet] = []
    for p in points:
        out.append(Bullet(p.text, depth, p.span))
        out += _bullets(p.children, depth + 1)
    return out


def fit_image(width_px: int, height_px: int, page: Page) -> tuple[float, float]:
    """Display size: natural size at 96 px/in, shrunk (never enlarged) to the frame width and height cap."""
    w, h = max(width_px, 1) * SCREEN_PT_PER_PX, max(height_px, 1) * SCREEN_PT_PER_PX
    scale = min(1.0, page.frame_width / w, page.frame_height * IMAGE_MAX_HEIGHT / h)
    return (w * scale, h * scale)


def cut_text(text: str, limit: int) -> str | None:
    """Plain text cut at a word boundary before `limit` characters with '…', or None if it fits."""
    plain = plain_text(text)
    if len(plain) <= limit:
        return None
    head = plain[:limit]
    space = head.rfind(" ", limit // 2)
    return (head[:space] if space > 0 else head).rstrip() + "…"


def _contents_entry(h: Heading, report: Report) -> Heading:
    short = cut_text(h.text, MAX_CONTENTS_CHARS)
    if short is None:
        return h
    report.warning(h.span, f"heading is too long for a contents line; cut there to {len(short)} characters")
    return Heading(escape_markdown(short), h.level, h.number, h.anchor, h.span)


def _figure_caption(caption: str | None, span: Span, report: Report) -> str | None:
    short = cut_text(caption, MAX_CAPTION_CHARS) if caption else None
    if short is None:
        return caption
    report.warning(span, f"caption is too long to stay with its figure; cut to {len(short)} characters")
    return escape_markdown(short)


def _figure(img: Image, page: Page, numbers: Numbering, report: Report) -> Figure:
    w, h = fit_image(img.width, img.height, page)
    dpi = img.width / (w / INCH)
    if dpi < MIN_PRINT_DPI - 0.5:
        need = math.ceil(MIN_PRINT_DPI * w / INCH)
        report.warning(
            img.span,
            f"image '{img.path.name}' prints at {dpi:.0f} dpi in the handout ({w / INCH:.1f} in wide from"
            f" {img.width} px); {MIN_PRINT_DPI} dpi needs at least {need} px across",
        )
    caption = _figure_caption(img.caption, img.span, report)
    return Figure(img.path, w, h, img.alt, numbers.caption("figure", caption), img.span)


def _points(points: tuple[Item, ...], page: Page, numbers: Numbering, report: Report) -> list[Block]:
    """Runs of text points as bullet lists, each block where it stands between them."""
    blocks: list[Block] = []
    run: list[Point] = []
    for p in points:
        if isinstance(p, Point):
            run.append(p)
            continue
        if run:
            blocks.append(Bullets(tuple(_bullets(tuple(run)))))
            run = []
        if isinstance(p, Table):
            blocks.append(table_block(p, numbers))
        elif isinstance(p, Code):
            blocks.append(code_block(p, numbers))
        elif isinstance(p, Math):
            blocks.append(math_block(p))
        else:
            blocks.append(_figure(p, page, numbers, report))
    if run:
        blocks.append(Bullets(tuple(_bullets(tuple(run)))))
    return blocks


def _section_blocks(section: Section, number: str, level: int, page: Page, numbers: Numbering,
                    report: Report) -> list[Block]:  # fmt: skip
    blocks: list[Block] = [Heading(section.title, level, number, "sec-" + number.replace(".", "-"), section.span)]
    blocks += [Para(p, "summary", section.span) for p in _paragraphs(section.summary)]
    blocks += _points(section.points, page, numbers, report)
    if section.image is not None:
        blocks.append(_figure(section.image, page, numbers, report))
    for i, sub in enumerate(section.sections, 1):
        blocks += _section_blocks(sub, f"{number}.{i}", level + 1, page, numbers, report)
    return blocks


def glossary_entries(pack: Pack) -> tuple[GlossaryEntry, ...]:
    """Terms in alphabetical order, each with a unique anchor; `see` names resolve to anchors."""
    terms = glossary_in_order(pack)
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for t in terms:
        base = anchor = "term-" + slugify(t.term)
        n = 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        anchors[t.term.casefold()] = anchor
    return tuple(
        GlossaryEntry(
            t.term, anchors[t.term.casefold()], t.definition,
            tuple(SeeRef(s, anchors[s.casefold()]) for s in t.see if s.casefold() in anchors),
            t.span,
        )
        for t in terms
    )  # fmt: skip


def is_short(pack: Pack) -> bool:
    """Whether the pack has at most SHORT_PACK_SECTIONS sections (subsections not counted)."""
    return len(pack.sections) <= SHORT_PACK_SECTIONS


def _date(pack: Pack) -> str | None:
    return format_date(pack.date, pack.language) if pack.date else None


def plan_handout(pack: Pack, theme: Theme, report: Report) -> HandoutPlan:
    width, height = PAPER_SIZES[theme.paper]
    page = Page(width, height)
    words = labels_for(pack.language)
    blocks: list[Block] = []
    if pack.overview:
        blocks.append(Heading(words.overview, 1, "", "overview", pack.span))
        blocks += [Para(p, "overview", pack.span) for p in _paragraphs(pack.overview)]
    numbers = Numbering(pack.language, uses_blocks(pack))
    for i, section in enumerate(pack.sections, 1):
        blocks += _section_blocks(section, str(i), 1, page, numbers, report)
    glossary = glossary_entries(pack)
    if glossary:
        blocks.append(Heading(words.glossary, 1, "", "glossary", pack.span))
        blocks += glossary
    meta = Meta(
        title=plain_readable(pack.title),
        author=plain_text(pack.author or ""),
        subject=" · ".join(plain_readable(x) for x in (pack.subtitle, pack.course) if x),
        keywords=tuple(dict.fromkeys(plain_readable(t.term) for t in pack.glossary)),
        language=pack.language,
        created=pack.build_time(),
    )
    cover = Cover(pack.title, pack.subtitle, pack.course, pack.author, _date(pack), theme.logo, pack.span)
    contents = tuple(_contents_entry(b, report) for b in blocks if isinstance(b, Heading))
    return HandoutPlan(
        page=page,
        meta=meta,
        cover=cover,
        contents=contents,
        blocks=tuple(blocks),
        header=render_text(theme.header, pack, report, theme.span("header")),
        footer=render_text(theme.footer, pack, report, theme.span("footer")),
        words=words,
        short=is_short(pack),
    )
