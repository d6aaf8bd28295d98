"""Deck planner: which text goes on which slide, measured with real font metrics (never draws)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from studypack.errors import Report, Span
from studypack.fit import CJK, ZWSP, FontSet, hyphenate, wrap
from studypack.fonts import OFFICE_CODE_FONT, OFFICE_FONTS
from studypack.inline import Run, parse_inline, plain_text
from studypack.model import NO_SPAN, Image, Pack, Point, Section
from studypack.templating import render_text
from studypack.theme import Theme

LINE = 1.2  # exact line pitch / size; the renderer writes it as lnSpc spcPts
WIDTH_SAFETY = 0.97  # clients round glyph positions; keep 3 % of each line free
HEIGHT_SAFETY = 2.0  # pt kept free at the foot of every box
BODY_SIZES = (24.0, 20.0, 18.0, 16.0, 16.0)  # by outline level
BULLETS = ("•", "–", "•", "–", "•")
HANGING = 20.0  # pt between a bullet and its text
LEVEL_STEP = 24.0  # pt each outline level moves right
TERM_SIZE = 16.0
CONT = "(cont.)"


@dataclass(frozen=True)
class Box:
    """A placeholder's frame in points, with the insets the renderer writes into its bodyPr."""

    x: float
    y: float
    w: float
    h: float
    inset_x: float = 7.2
    inset_y: float = 3.6

    @property
    def text_width(self) -> float:
        return self.w - 2 * self.inset_x

    @property
    def text_height(self) -> float:
        return self.h - 2 * self.inset_y - HEIGHT_SAFETY


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
class Para:
    """One paragraph of a placeholder, with every spacing explicit so clients agree on it."""

    runs: tuple[Run, ...]
    size: float
    level: int = 0
    bullet: str | None = None
    margin: float = 0.0  # marL; the bullet hangs HANGING pt left of it
    space_before: float = 0.0  # ignored on a box's first paragraph (the renderer writes 0)
    color: str = "text"  # a theme.Colors field
    bold: bool = False

    @property
    def line_height(self) -> float:
        return round(self.size * LINE, 2)


@dataclass(frozen=True)
class SlidePlan:
    kind: str  # title | agenda | section | content | image | terms | review
    title: tuple[Run, ...]
    title_size: float
    body: tuple[Para, ...] = ()  # subtitle, section summary, points, caption
    columns: tuple[tuple[Para, ...], ...] = ()  # key-term columns
    notes: tuple[str, ...] = ()  # speaker-note paragraphs
    image: Image | None = None
    picture: Box | None = None  # the picture's frame: scaled into the placeholder, never cropped
    footer: Para | None = None

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


class Fitter:
    """Measures paragraphs in one deck's fonts; everything here is arithmetic on metrics."""

    def __init__(self, theme: Theme):
        code = OFFICE_FONTS[OFFICE_CODE_FONT]
        self.body = FontSet(OFFICE_FONTS[theme.slides.body_font], code)
        self.heading = FontSet(OFFICE_FONTS[theme.slides.heading_font], code)
        self._lines: dict[tuple[object, ...], int] = {}

    def width(self, para: Para, box: Box) -> float:
        return (box.text_width - para.margin) * WIDTH_SAFETY

    def prepare(self, para: Para, box: Box, fonts: FontSet | None = None) -> Para:
        """The paragraph with words wider than the box cut and hyphenated."""
        runs = hyphenate(para.runs, fonts or self.body, para.size, self.width(para, box))
        return replace(para, runs=runs)

    def lines(self, para: Para, box: Box, fonts: FontSet | None = None) -> int:
        fonts = fonts or self.body
        width = self.width(para, box)
        key = (para.runs, para.size, width, fonts)
        n = self._lines.get(key)
        if n is None:  # flow() asks again for every paragraph already on the page
            n = self._lines[key] = max(1, len(wrap(para.runs, fonts, para.size, width)))
        return n

    def height(self, paras: Sequence[Para], box: Box, fonts: FontSet | None = None) -> float:
        total = 0.0
        for i, p in enumerate(paras):
            total += (p.space_before if i else 0.0) + self.lines(p, box, fonts) * p.line_height
        return total

    def fits(self, paras: Sequence[Para], box: Box, fonts: FontSet | None = None) -> bool:
        return self.height(paras, box, fonts) <= box.text_height

    def flow(self, paras: Sequence[Para], box: Box) -> list[list[Para]]:
        """Paragraphs poured into as many boxes as needed; one too tall for a box is split."""
        pages: list[list[Para]] = [[]]
        for para in paras:
            para = self.prepare(para, box)
            if self.fits(pages[-1] + [para], box):
                pages[-1].append(para)
                continue
            if pages[-1]:
                pages.append([])
            if self.fits([para], box):
                pages[-1].append(para)
                continue
            pieces = self.split(para, box)
            for i, piece in enumerate(pieces):
                if i:
                    pages.append([])
                pages[-1].append(piece)
        return [p for p in pages if p] or [[]]

    def split(self, para: Para, box: Box) -> list[Para]:
        """A paragraph too tall for an empty box, cut at sentences, else at words, else between characters."""
        fits = lambda runs: self.fits([replace(para, runs=runs)], box)

        def cut(runs: tuple[Run, ...], level: int) -> list[tuple[Run, ...]]:
            out: list[tuple[Run, ...]] = []
            for chunk in _greedy(_split_runs(runs, _LEVELS[level]), fits):
                out.extend(
                    cut(chunk, level + 1)
                    if not fits(chunk) and level + 1 < len(_LEVELS)
                    else [chunk]
                )
            return out

        pieces = [r for r in (_rstrip(c) for c in cut(para.runs, 0)) if r]
        return [
            replace(para, runs=runs, bullet=para.bullet if i == 0 else None)
            for i, runs in enumerate(pieces)
        ]

    def fit_title(
        self, title: str, box: Box, sizes: Sequence[float], span: Span, report: Report
    ) -> tuple[tuple[Run, ...], float]:
        """The largest listed size at which the title fits its box; cut with '…' below the smallest."""
        runs = (Run(title or " "),)
        for size in sizes:
            para = self.prepare(Para(runs, size), box, self.heading)
            if self.fits([para], box, self.heading):
                return para.runs, size
        size = sizes[-1]
        runs, kept = self.ellipsize(title, Para((), size), box, self.heading)
        report.warning(
            span, f"slide title '{_short(title)}' is too long for its box; cut to {kept} words"
        )
        return runs, size

    def ellipsize(
        self, text: str, para: Para, box: Box, fonts: FontSet | None = None
    ) -> tuple[tuple[Run, ...], int]:
        """The most words of `text`, then '…', that fit the box at the paragraph's size."""
        words = text.split()
        lo, hi = 0, len(words)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            cut = self.prepare(replace(para, runs=(Run(" ".join(words[:mid]) + " …"),)), box, fonts)
            lo, hi = (mid, hi) if self.fits([cut], box, fonts) else (lo, mid - 1)
        return self.prepare(
            replace(para, runs=(Run(" ".join(words[:lo]) + " …"),)), box, fonts
        ).runs, lo

    def fit_paras(
        self, paras: Sequence[Para], box: Box, sizes: Sequence[float]
    ) -> list[Para] | None:
        """The paragraphs at the largest listed size that fits the box, or None."""
        for size in sizes:
            scaled = [
                self.prepare(
                    replace(p, size=size, space_before=p.space_before * size / p.size), box
                )
                for p in paras
            ]
            if self.fits(scaled, box):
                return scaled
        return None


def _greedy(
    units: list[tuple[Run, ...]], fits: Callable[[tuple[Run, ...]], bool]
) -> list[tuple[Run, ...]]:
    """Consecutive units joined into the longest chunks that fit (a unit alone may not fit)."""
    chunks: list[tuple[Run, ...]] = []
    i = 0
    while i < len(units):
        lo, step = i + 1, 1
        while lo + step <= len(units) and fits(
            _join(units[i : lo + step])
        ):  # gallop, so wraps stay short
            lo, step = lo + step, step * 2
        hi = min(lo + step - 1, len(units))
        while lo < hi:  # then binary search: the most units from i on that fit together
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if fits(_join(units[i:mid])) else (lo, mid - 1)
        chunks.append(_join(units[i:lo]))
        i = lo
    return chunks


def _join(units: Sequence[tuple[Run, ...]]) -> tuple[Run, ...]:
    return tuple(run for unit in units for run in unit)


def _split_runs(runs: Sequence[Run], pattern: re.Pattern[str]) -> list[tuple[Run, ...]]:
    """Runs cut after every match of `pattern`; the match stays with the text before it."""
    units: list[list[Run]] = [[]]
    for run in runs:
        start = 0
        for m in pattern.finditer(run.text):
            if m.end() <= start:
                continue
            units[-1].append(replace(run, text=run.text[start : m.end()]))
            units.append([])
            start = m.end()
        if start < len(run.text):
            units[-1].append(replace(run, text=run.text[start:]))
    return [tuple(u) for u in units if u]


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|[。！？]\s*")
_SPACE = re.compile(r"\s+")
_BREAK = re.compile(rf"{ZWSP}|[{CJK}]")  # a line may break after these even inside a word
_LEVELS = (_SENTENCE_END, _SPACE, _BREAK)


def _sentences(runs: Sequence[Run]) -> list[tuple[Run, ...]]:
    return _split_runs(runs, _SENTENCE_END)


def _rstrip(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    if runs and runs[-1].text != runs[-1].text.rstrip():
        last = replace(runs[-1], text=runs[-1].text.rstrip())
        return runs[:-1] + ((last,) if last.text else ())
    return runs


def _short(text: str, n: int = 40) -> str:
    text = plain_text(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _continued(title: str, k: int) -> str:
    return title if k == 0 else f"{title} {CONT}" if k == 1 else f"{title} (cont. {k})"


def _notes(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(plain_text(p) for p in re.split(r"\n\s*\n", text) if p.strip())


def _point_paras(points: Sequence[Point], level: int = 0) -> list[Para]:
    out: list[Para] = []
    for point in points:
        lv = min(level, len(BODY_SIZES) - 1)
        size = BODY_SIZES[lv]
        out.append(
            Para(
                parse_inline(point.text),
                size,
                lv,
                BULLETS[lv],
                HANGING + lv * LEVEL_STEP,
                size * 0.4,
            )
        )
        out.extend(_point_paras(point.children, level + 1))
    return out


def _summary_para(summary: str, size: float = 20.0) -> Para:
    return Para(parse_inline(summary), size, space_before=size * 0.4, color="muted")


class _Planner:
    def __init__(self, pack: Pack, theme: Theme, geo: Geometry, report: Report):
        self.pack, self.theme, self.geo, self.report = pack, theme, geo, report
        self.fit = Fitter(theme)
        self.drafts: list[_Draft] = []

    def add_flow(
        self, kind: str, title: str, paras: Sequence[Para], notes: tuple[str, ...], span: Span
    ) -> None:
        for k, page in enumerate(self.fit.flow(paras, self.geo.content_body)):
            self.drafts.append(
                _Draft(kind, _continued(title, k), tuple(page), notes=notes, span=span)
            )

    def section(self, section: Section, depth: int, inherited: tuple[str, ...]) -> None:
        notes = _notes(section.notes) or inherited
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
        paras += _point_paras(section.points)
        if paras:
            own = f"{title}: key points" if depth == 1 else title
            self.add_flow("content", own, paras, notes, section.span)
        if section.image is not None:
            self.image(title, section.image, notes)
        for sub in section.sections:
            self.section(sub, depth + 1, notes)

    def image(self, title: str, image: Image, notes: tuple[str, ...]) -> None:
        body: tuple[Para, ...] = ()
        if image.caption:
            cap = Para(parse_inline(image.caption), 16.0, color="muted")
            box = self.geo.caption
            fitted = self.fit.fit_paras([cap], box, (18.0, 16.0, 14.0, 12.0, 10.0)) if box else None
            if fitted is None:
                if box is not None:
                    self.report.warning(
                        image.span,
                        "image caption is too long for its slide; it is in the notes instead",
                    )
                notes = notes + (plain_text(image.caption),)
            else:
                body = tuple(fitted)
        self.drafts.append(
            _Draft("image", f"{title}: figure", body, notes=notes, image=image, span=image.span)
        )

    def terms(self) -> None:
        paras = []
        for term in self.pack.glossary:
            runs = [
                Run(plain_text(term.term), bold=True),
                Run(" — "),
                *parse_inline(term.definition),
            ]
            if term.see:
                runs.append(Run(" See also: " + ", ".join(term.see) + ".", italic=True))
            paras.append(Para(tuple(runs), TERM_SIZE, space_before=TERM_SIZE * 0.5))
        if not paras:
            return
        cols = self.geo.terms_cols
        pages = self.fit.flow(paras, min(cols, key=lambda b: b.text_width * b.text_height))
        for k in range(0, len(pages), len(cols)):
            group = tuple(tuple(p) for p in pages[k : k + len(cols)])
            self.drafts.append(
                _Draft(
                    "terms",
                    _continued("Key terms", k // len(cols)),
                    columns=group,
                    span=self.pack.span,
                )
            )

    def plan(self) -> list[SlidePlan]:
        pack = self.pack
        sub = [
            Para(parse_inline(t), 24.0, space_before=6.0)
            for t in (pack.subtitle, pack.course, pack.author)
            if t
        ]
        if pack.date:
            sub.append(Para((Run(f"{pack.date.day} {pack.date:%B %Y}"),), 24.0, space_before=6.0))
        cover_body: tuple[Para, ...] = ()
        if sub and self.geo.cover_sub is not None:
            fitted = self.fit.fit_paras(
                sub, self.geo.cover_sub, (24.0, 20.0, 18.0, 16.0, 14.0, 12.0)
            )
            if fitted is None:
                self.report.warning(
                    pack.span,
                    "subtitle, course and author are too long for the title slide; left out",
                )
            cover_body = tuple(fitted or ())
        self.drafts.append(_Draft("title", plain_text(pack.title), cover_body, span=pack.span))
        agenda = [Para(parse_inline(s.title), 20.0, 0, "•", HANGING, 6.0) for s in pack.sections]
        self.add_flow("agenda", "Agenda", agenda, (), pack.span)
        for section in pack.sections:
            self.section(section, 1, ())
        self.terms()
        review = []
        for s in pack.sections:
            runs = [Run(plain_text(s.title), bold=True)]
            if s.summary:
                first = _sentences(parse_inline(s.summary))[:1]
                runs += [Run(" — "), *(_rstrip(first[0]) if first else ())]
            review.append(Para(tuple(runs), 20.0, 0, "•", HANGING, 8.0))
        self.add_flow("review", "Review", review, (), pack.span)
        return self.finish()

    def finish(self) -> list[SlidePlan]:
        """Titles made unique, then fitted to their boxes; footer fitted once."""
        seen: set[str] = set()
        for d in self.drafts:
            base, n = d.title.strip() or "Untitled", 1
            title = base
            while title.casefold() in seen:
                n += 1
                title = f"{base} ({n})"
            seen.add(title.casefold())
            d.title = title
        footer = self.footer()
        geo, out = self.geo, []
        boxes = {"title": (geo.cover_title, (44.0, 40.0, 36.0, 32.0, 28.0, 24.0)), "section": (geo.section_title, (40.0, 36.0, 32.0, 28.0, 24.0)),
                 "image": (geo.picture_title, (28.0, 24.0, 20.0, 18.0, 16.0, 14.0)), "terms": (geo.terms_title, (36.0, 32.0, 28.0, 24.0, 20.0))}  # fmt: skip
        for d in self.drafts:
            box, sizes = boxes.get(d.kind, (geo.content_title, (36.0, 32.0, 28.0, 24.0, 20.0)))
            runs, size = self.fit.fit_title(d.title, box, sizes, d.span, self.report)
            frame = self.picture_frame(d) if d.image is not None else None
            out.append(
                SlidePlan(
                    d.kind,
                    runs,
                    size,
                    d.body,
                    d.columns,
                    d.notes,
                    d.image,
                    frame,
                    None if d.kind == "title" else footer,
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
        text = render_text(self.theme.footer, self.pack, self.report)
        if box is None or not text:
            return None
        para = Para((Run(text),), 12.0, color="muted")
        fitted = self.fit.fit_paras([para], box, (12.0, 11.0, 10.0, 9.0, 8.0))
        if fitted is None:
            runs, _ = self.fit.ellipsize(text, replace(para, size=8.0), box)
            self.report.warning(
                self.pack.span,
                f"footer '{_short(text)}' is too long for the slides' footer box; cut short",
            )
            return replace(para, runs=runs, size=8.0)
        return fitted[0]


def plan_deck(pack: Pack, theme: Theme, geometry: Geometry, report: Report) -> list[SlidePlan]:
    """Every slide of the deck, in order, with text that fits its placeholder."""
    return _Planner(pack, theme, geometry, report).plan()
