"""Deck planner: which text goes on which slide, measured with real font metrics (never draws)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from studypack.errors import Report, Span
from studypack.inline import Run, plain_text
from studypack.labels import Labels, labels_for
from studypack.math.unicode import readable
from studypack.model import NO_SPAN, Code, Image, Math, Pack, Point, Section, Table
from studypack.plan.deck_blocks import BlockPage, BlockPlanner, TextBox
from studypack.plan.deck_cover import cover_lines, fit_cover
from studypack.plan.deck_fit import CONT, LINE, Box, Fitter, Para, rstrip, sentences, short
from studypack.plan.deck_flow import flow
from studypack.plan.deck_inline import deck_runs
from studypack.plan.deck_math import (
    PlacedEquation,
    hold_lines,
    math_para,
    place_equations,
    without_slots,
)
from studypack.plan.deck_table import TableSlice
from studypack.plan.deck_terms import TERM_SIZES, plan_terms
from studypack.plan.handout import glossary_in_order
from studypack.templating import render_text
from studypack.theme import Theme

__all__ = ["CONT", "HANGING", "LINE", "Box", "Fitter", "Geometry", "Para", "SlidePlan", "plan_deck"]

BODY_SIZES = (24.0, 20.0, 18.0, 16.0, 16.0)  # by outline level
BULLETS = ("•", "–", "•", "–", "•")
HANGING = 20.0  # pt between a bullet and its text
LEVEL_STEP = 24.0  # pt each outline level moves right


@dataclass(frozen=True)
class Geometry:
    """Frames of the placeholders in the layouts the renderer chose, in points."""

    width: float
    height: float
    cover_title: Box
    cover_sub: Box | None
    section_title: Box
    section_body: Box | None
    content_title: Box
    content_body: Box
    terms_title: Box
    terms_cols: tuple[Box, ...]  # two columns, or one when the template has no two-body layout
    picture_title: Box
    picture: Box
    caption: Box | None
    footer: Box | None


@dataclass(frozen=True)
class SlidePlan:
    kind: str  # title | agenda | section | content | image | terms | review | table | code | figure
    title: tuple[Run, ...]
    title_size: float
    body: tuple[Para, ...] = ()  # subtitle, section summary, points, caption
    columns: tuple[tuple[Para, ...], ...] = ()  # key-term columns
    notes: tuple[str, ...] = ()  # speaker-note paragraphs
    image: Image | None = None
    picture: Box | None = None  # the picture's frame: scaled into the placeholder, never cropped
    footer: Para | None = None
    table: TableSlice | None = None  # a native table, drawn in its own frame
    body_frame: Box | None = None  # the body placeholder's own frame (a caption; text over a block)
    body_fill: str | None = None  # '#RRGGBB' behind the body (a code listing)
    boxes: tuple[TextBox, ...] = ()  # free text boxes (a listing under the text)
    equations: tuple[PlacedEquation, ...] = ()  # display equations over their slots in the body

    @property
    def title_text(self) -> str:
        return "".join(r.text for r in self.title)


@dataclass
class _Draft:
    kind: str
    title: str  # plain text; continuations get their suffix here
    body: tuple[Para, ...] = ()
    columns: tuple[tuple[Para, ...], ...] = ()
    notes: tuple[str, ...] = ()
    image: Image | None = None
    span: Span = NO_SPAN
    block: BlockPage | None = None  # a table, listing or figure on this slide


def _continued(title: str, k: int, words: Labels) -> str:
    return words.continued(title, k)


def _notes(text: str | None) -> tuple[str, ...]:
    """Speaker-note paragraphs (split at blank lines) with their line breaks kept, as written."""
    if not text:
        return ()
    paras = (p.strip() for p in re.split(r"\n\s*\n", text))
    # Markup may span a line break ("**very\nimportant**"): read each paragraph whole, with its
    # line breaks standing in as a character Markdown leaves alone.
    # Equations as a teacher reads them aloud: Unicode text where simple (v₀, α), else LaTeX.
    return tuple(
        readable(p.replace("\n", _NL), markdown=plain_text).replace(_NL, "\n") for p in paras if p
    )


def _title_text(title: str) -> str:
    """A title as the text a title placeholder holds: Markdown read, each equation as Unicode
    text where simple (v₀), else spoken ("v sub x"): never its LaTeX source."""
    return readable(title, "spoken", markdown=plain_text)


_NL = "\ue001"  # a private-use character: a line break while a note is read as Markdown


def _point_paras(
    points: Sequence[Point], level: int = 0, chain: tuple[Para, ...] = ()
) -> list[tuple[Para, tuple[Para, ...]]]:
    """Each point's paragraph with its chain of ancestor paragraphs (outermost first)."""
    out: list[tuple[Para, tuple[Para, ...]]] = []
    for point in points:
        lv = min(level, len(BODY_SIZES) - 1)
        size = BODY_SIZES[lv]
        para = Para(
            deck_runs(point.text),
            size,
            lv,
            BULLETS[lv],
            HANGING + lv * LEVEL_STEP,
            size * 0.4,
        )
        out.append((para, chain))
        out.extend(_point_paras(point.children, level + 1, chain + (para,)))
    return out


OVERVIEW_SIZES = (24.0, 22.0, 20.0)  # pt: the overview slide's text, largest first


def _summary_para(summary: str, size: float = 20.0) -> Para:
    return Para(deck_runs(summary), size, space_before=size * 0.4, color="muted")


class _Planner:
    def __init__(self, pack: Pack, theme: Theme, geo: Geometry, report: Report):
        self.pack, self.theme, self.geo, self.report = pack, theme, geo, report
        self.words = labels_for(pack.language)
        self.fit = Fitter(theme, self.words.cont)
        self.drafts: list[_Draft] = []
        self.blocks = BlockPlanner(theme, self.fit, geo.content_body, report)

    def add_flow(
        self,
        kind: str,
        title: str,
        paras: Sequence[Para],
        notes: tuple[str, ...],
        span: Span,
        parents: Sequence[tuple[Para, ...]] | None = None,
        start: int = 0,
    ) -> int:
        """Slides for the paragraphs, titled as continuations after `start` earlier ones; how many."""
        pages = flow(self.fit, paras, self.geo.content_body, parents)
        for k, page in enumerate(pages, start):
            self.drafts.append(
                _Draft(kind, _continued(title, k, self.words), tuple(page), notes=notes, span=span)
            )
        return len(pages)

    def section(self, section: Section, depth: int) -> None:
        notes = _notes(section.notes)  # on this section's own slides, not its subsections
        title = plain_text(section.title)
        summary_on_header = False
        if depth == 1:
            body: tuple[Para, ...] = ()
            box = self.geo.section_body
            if section.summary and box is not None:
                fitted = self.fit.fit_paras([_summary_para(section.summary)], box, (20.0, 18.0))
                if fitted:
                    body, summary_on_header = tuple(fitted), True
            self.drafts.append(_Draft("section", title, body, notes=notes, span=section.span))
        paras = [] if summary_on_header or not section.summary else [_summary_para(section.summary)]
        parents: list[tuple[Para, ...]] = [()] * len(paras)
        own = self.words.titled(self.words.key_points, title) if depth == 1 else title
        # Slides each title has had in this section, so later ones are its continuations (a
        # section header is its title's first).
        counts = {title: int(depth == 1)}

        # the last slide of the block just placed, and that block
        after: tuple[_Draft | None, Table | Code | Image] | None = None

        def flush() -> _Draft | None:
            """The pending points under the block before them when all fit there, else on
            slides of their own; the last slide of them that a block may go under."""
            if not paras:
                return None
            host, shared = after[0] if after else None, None
            if after and host is not None and host.block is not None:
                shared = self.blocks.after(host.block, after[1], paras, parents)
            if host is not None and shared is not None:  # the block may be set again, smaller
                host.body, host.block = shared.body, shared
                last = None  # a slide holds one block
            else:
                counts[own] = counts.get(own, 0) + self.add_flow(
                    "content", own, paras, notes, section.span, parents, counts.get(own, 0)
                )
                last = self.drafts[-1]
            paras.clear()
            parents.clear()
            return last

        lead: tuple[Para, ...] = ()  # the point an equation right after it belongs to, with its chain
        for item in section.points:
            if isinstance(item, Point):
                for para, chain in _point_paras([item]):
                    paras.append(para)
                    parents.append(chain)
                lead = parents[-1] + (paras[-1],)
            elif isinstance(item, Math):  # an equation stands among the points, kept with its lead-in
                paras.append(math_para(item, self.geo.content_body))
                parents.append(lead)
                lead = ()
            else:
                lead = ()
                after = (self.block(item, title, counts, notes, flush()), item)
        flush()
        if section.image is not None:  # a figure slide like a figure block's, at the section's end
            self.block(section.image, title, counts, notes, None)
        for sub in section.sections:
            self.section(sub, depth + 1)

    def block(self, block: Table | Code | Image, title: str, counts: dict[str, int], notes: tuple[str, ...],
              host: _Draft | None) -> _Draft | None:
        """A table or listing under the text before it (`host`, the last slide of that text)
        when it fits there whole, else on slides of its own, titled by its caption or as the
        section continued; a figure always on a slide of its own. The block's last slide, which
        the text after it may share (none for a figure)."""
        if host is not None and not isinstance(block, Image):
            shared = self.blocks.below(host.body, block)
            if shared is not None:
                host.body, host.block = shared.body, shared
                return host
        caption = None if isinstance(block, Image) else block.caption
        base = plain_text(caption) if caption else title
        start = counts.get(base, 0)
        kind = {Table: "table", Code: "code", Image: "figure"}[type(block)]
        pages = self.blocks.pages(block)
        for k, page in enumerate(pages, start):
            self.drafts.append(_Draft(kind, _continued(base, k, self.words), page.body,
                                      notes=notes + page.notes, image=block if isinstance(block, Image) else None,
                                      span=block.span, block=page))  # fmt: skip
        counts[base] = start + len(pages)
        return None if isinstance(block, Image) else self.drafts[-1]

    def terms(self) -> None:
        """Key-term slides: the fewest that hold the glossary at a comfortable size, each at the
        largest size its terms fit, in columns balanced by height (see plan/deck_terms.py)."""
        paras = []
        for term in glossary_in_order(self.pack):  # as the handout lists them
            runs = [
                *(replace(r, bold=True) for r in deck_runs(term.term)),  # a term may hold math
                Run(" — "),
                *deck_runs(term.definition),
            ]
            if term.see:
                runs.append(Run(f" {self.words.see_also} " + ", ".join(term.see) + ".", italic=True))
            paras.append(Para(tuple(runs), TERM_SIZES[0], space_before=TERM_SIZES[0] * 0.5))
        slides = plan_terms(self.fit, paras, self.geo.terms_cols, self.geo.content_body)
        for k, slide in enumerate(slides):
            title = _continued(self.words.key_terms, k, self.words)
            if len(slide.columns) == 1:  # one column: the whole body frame, full width
                draft = _Draft("terms-single", title, slide.columns[0], span=self.pack.span)
            else:
                draft = _Draft("terms", title, columns=slide.columns, span=self.pack.span)
            self.drafts.append(draft)

    def plan(self) -> list[SlidePlan]:
        pack = self.pack
        sub = cover_lines(pack)
        cover_body: tuple[Para, ...] = ()
        if sub and self.geo.cover_sub is not None:
            fitted = fit_cover(self.fit, sub, self.geo.cover_sub)
            if fitted is None:
                self.report.warning(
                    pack.span,
                    "subtitle, course and author are too long for the title slide; left out",
                )
            cover_body = tuple(fitted or ())
        self.drafts.append(_Draft("title", pack.title, cover_body, span=pack.span))
        if pack.overview:
            # the slide's only text: as large as body text when it fits, in the text colour
            lead = Para(deck_runs(pack.overview), OVERVIEW_SIZES[0])
            fitted = self.fit.fit_paras([lead], self.geo.content_body, OVERVIEW_SIZES)
            paras = fitted or [_summary_para(pack.overview)]
            self.add_flow("content", self.words.overview, paras, (), pack.span)
        agenda = [Para(deck_runs(s.title), 20.0, 0, "•", HANGING, 6.0) for s in pack.sections]
        self.add_flow("agenda", self.words.agenda, self.one_slide(agenda), (), pack.span)
        for section in pack.sections:
            self.section(section, 1)
        self.terms()
        review = []
        for s in pack.sections:
            runs = [Run(_title_text(s.title), bold=True)]
            if s.summary:
                first = sentences(deck_runs(s.summary))[:1]
                runs += [Run(" — "), *(rstrip(first[0]) if first else ())]
            review.append(Para(tuple(runs), 20.0, 0, "•", HANGING, 8.0))
        self.add_flow("review", self.words.review, self.one_slide(review), (), pack.span)
        return self.finish()

    def one_slide(self, paras: list[Para], sizes: Sequence[float] = (24.0, 22.0)) -> list[Para]:
        """A list slide's items at the largest size that keeps them on one slide (else as given)."""
        fitted = self.fit.fit_paras(paras, self.geo.content_body, sizes)
        return fitted if fitted is not None else paras

    def finish(self) -> list[SlidePlan]:
        """Titles made unique, then fitted to their boxes; footer fitted once."""
        seen: set[str] = set()
        for d in self.drafts:
            base, n = _title_text(d.title).strip() or "Untitled", 1
            title = base
            while title.casefold() in seen:
                n += 1
                title = f"{base} ({n})"
            seen.add(title.casefold())
            d.title = title
        footer = self.footer()
        geo, out = self.geo, []
        boxes = {"title": (geo.cover_title, (54.0, 48.0, 44.0, 40.0, 36.0, 32.0, 28.0, 24.0)), "section": (geo.section_title, (44.0, 40.0, 36.0, 32.0, 28.0, 24.0)),
                 "image": (geo.picture_title, (28.0, 24.0, 20.0, 18.0, 16.0, 14.0)), "terms": (geo.terms_title, (36.0, 32.0, 28.0, 24.0, 20.0))}  # fmt: skip
        for d in self.drafts:
            box, sizes = boxes.get(d.kind, (geo.content_title, (36.0, 32.0, 28.0, 24.0, 20.0)))
            runs, size = self.fit.fit_title(d.title, box, sizes, d.span, self.report)
            e = d.block or BlockPage()
            frame = e.picture or (self.picture_frame(d) if d.image is not None else None)
            body_frame = e.body_frame or geo.content_body
            body = d.body if without_slots(d.body) else hold_lines(self.fit, d.body, body_frame)
            equations = () if without_slots(body) else place_equations(self.fit, body, body_frame)
            out.append(
                SlidePlan(
                    d.kind,
                    runs,
                    size,
                    body,
                    d.columns,
                    d.notes,
                    d.image,
                    frame,
                    None if d.kind == "title" else footer,
                    e.table,
                    e.body_frame,
                    e.body_fill,
                    e.boxes,
                    equations,
                )
            )
        return out

    def picture_frame(self, d: _Draft) -> Box:
        """The image scaled to fit its frame (never cropped), centred in it."""
        assert d.image is not None
        frame = self.geo.picture
        scale = min(frame.w / d.image.width, frame.h / d.image.height)
        w, h = d.image.width * scale, d.image.height * scale
        return Box(frame.x + (frame.w - w) / 2, frame.y + (frame.h - h) / 2, w, h)

    def footer(self) -> Para | None:
        box = self.geo.footer
        text = render_text(self.theme.footer, self.pack, self.report, self.theme.span("footer"))
        text = readable(text, "spoken")
        if box is None or not text:
            return None
        para = Para((Run(text),), 12.0, color="muted")
        fitted = self.fit.fit_paras([para], box, (12.0, 11.0, 10.0, 9.0, 8.0))
        if fitted is None:
            runs, _ = self.fit.ellipsize(text, replace(para, size=8.0), box)
            self.report.warning(
                self.pack.span,
                f"footer '{short(text)}' is too long for the slides' footer box; cut short",
            )
            return replace(para, runs=runs, size=8.0)
        return fitted[0]


def plan_deck(pack: Pack, theme: Theme, geometry: Geometry, report: Report) -> list[SlidePlan]:
    """Every slide of the deck, in order, with text that fits its placeholder."""
    return _Planner(pack, theme, geometry, report).plan()
