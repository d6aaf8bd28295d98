"""Outline -> Pack: what the plain-text and Markdown guide readers found, as pack fields."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

from studypack.errors import Report, Span
from studypack.inline import parse_inline, plain_text
from studypack.load.blocks import MAX_COLUMNS
from studypack.load.fields import (
    clean_text,
    cut_long_text,
    cut_message,
    dropped_message,
    language_problem,
    link_warnings,
    parse_date,
)
from studypack.load.outline import (
    OCode,
    OImage,
    OMath,
    OPoint,
    OSection,
    OTable,
    Outline,
    find_blanks,
    snippet,
)
from studypack.load.pictures import picture_file, usable_image
from studypack.model import Code, Image, Item, Math, Pack, Point, Section, Table, Term

_MD_SPECIAL = re.compile(r"([`*_\[\]])")  # what inline.py lets a backslash escape
MAX_HEADING = 300  # characters; a longer title fits no slide or page head
MAX_TEXT = 10_000  # characters in one paragraph or point


def outline_to_pack(
    outline: Outline, path: Path, report: Report, markdown: bool, slug: str, root: Path
) -> Pack | None:
    """The pack an outline describes; None (with a located error) when it has no sections."""
    pack = (
        _Builder(str(path), report, markdown, outline).pack(slug, root, path)
        if outline.sections
        else None
    )
    if pack is None or not pack.sections:
        report.error(Span(str(path)), f"no sections found: expected {outline.expect}")
        return None
    return pack


def literal(text: str) -> str:
    """Plain text made safe as inline Markdown: escape only when it would render differently."""
    runs = parse_inline(text)
    if plain_text(text) == text and not any(r.bold or r.italic or r.code or r.href for r in runs):
        return text
    return _MD_SPECIAL.sub(r"\\\1", text)


class _Builder:
    """Outline texts -> Pack fields, warning (located) about what it cleans or skips."""

    def __init__(self, path: str, report: Report, markdown: bool, outline: Outline):
        self.path = path
        self.report = report
        self.markdown = markdown
        self.outline = outline
        points = [p for s in outline.sections for p in _top_points(s) if isinstance(p, OPoint)]
        lower = [p for p in points if p.text[:1].islower()]
        # A point in lower case among capitalised ones lost its first words (a link).
        self.flag_lower = len(points) >= 5 and len(lower) <= len(points) // 10

    def pack(self, slug: str, root: Path, source: Path) -> Pack:
        o = self.outline
        meta = {k: self.text(v, line, 1, check=False) for k, (v, line) in o.meta.items()}
        if o.title and len(o.title) > MAX_HEADING:
            self.report.error(
                Span(self.path, o.title_line, 1),
                f"heading of {len(o.title)} characters; at most {MAX_HEADING} (is a line break missing?)",
            )
        title = meta.get("title") or (
            self.text(o.title, o.title_line, 1, check=False) if o.title else None
        )
        return Pack(
            slug=slug,
            root=root,
            source=source,
            title=title or literal(_title_from(source.stem, o)),
            subtitle=meta.get("subtitle"),
            course=meta.get("course"),
            author=meta.get("author"),
            date=self._date(meta.get("date"), o.meta.get("date")),
            language=self._language(meta.get("language"), o.meta.get("language")),
            theme=meta.get("theme"),
            theme_span=Span(self.path, o.meta["theme"][1], 1) if "theme" in o.meta else Span(self.path, 1, 1),
            overview=self.paragraphs(o.overview),
            sections=tuple(s for s in (self.section(x) for x in o.sections) if s is not None),
            glossary=self.glossary(),
            span=Span(self.path, 1, 1),
        )

    def text(self, raw: str | None, line: int, col: int, check: bool = True) -> str | None:
        """Clean one text field; warn about lost links; plain text is escaped to stay literal."""
        if raw is None:
            return None
        if len(raw) > MAX_TEXT:
            self.report.error(
                Span(self.path, line, col),
                f"text of {len(raw)} characters in one paragraph; at most {MAX_TEXT} (is this a study guide?)",
            )
            return None
        text, dropped = clean_text(raw)
        if dropped:
            self.report.warning(Span(self.path, line, col), dropped_message(dropped))
        text = " ".join(text.split()) if "\n" not in text else text.strip()
        text, length = cut_long_text(text)
        if length is not None:
            self.report.warning(Span(self.path, line, col), cut_message(length))
        for message in link_warnings(text) if self.markdown else ():
            self.report.warning(Span(self.path, line, col), message)
        if check:
            for at in find_blanks(text):
                self.report.warning(
                    Span(self.path, line, col + at),
                    f"blank where a linked term was probably lost: '{snippet(text, at)}'",
                )
        return (text if self.markdown else literal(text)) or None

    def paragraphs(self, paras: list[tuple[str, int, int]], check: bool = True) -> str | None:
        texts = [t for t in (self.text(p, line, col, check) for p, line, col in paras) if t]
        if len(texts) <= 1:
            return texts[0] if texts else None
        # Several paragraphs: wrapped lines inside, a blank line between (as in the sample pack).
        return "\n\n".join(
            textwrap.fill(t, 88, break_long_words=False, break_on_hyphens=False) for t in texts
        )

    def section(self, s: OSection) -> Section | None:
        if len(s.title) > MAX_HEADING:
            self.report.error(
                Span(self.path, s.line, s.col),
                f"heading of {len(s.title)} characters; at most {MAX_HEADING} (is a line break missing?)",
            )
            return None
        title = self.text(s.title, s.line, s.col, check=False)
        if not title:
            return None
        return Section(
            title=title,
            summary=self.paragraphs(s.summary),
            points=self.points(s.points),
            notes=self.paragraphs(s.notes, check=False),
            sections=tuple(x for x in (self.section(sub) for sub in s.sections) if x is not None),
            span=Span(self.path, s.line, s.col),
        )

    def points(self, points: list, top: bool = True) -> tuple[Item, ...]:
        out: list[Item] = []
        for p in points:
            if not isinstance(p, OPoint):
                block = self.block(p)
                if block is not None:
                    out.append(block)
                continue
            if top and self.flag_lower and p.text[:1].islower():
                self.report.warning(
                    Span(self.path, p.line, p.col),
                    f"point starts in lower case: a linked term was probably lost before '{snippet(p.text, 0)}'",
                )
            text = self.text(p.text, p.line, p.col)
            children = self.points(p.children, top=False)
            if text:
                out.append(Point(text, children, Span(self.path, p.line, p.col)))
            else:
                out.extend(children)
        return tuple(out)

    def block(self, b) -> Table | Code | Math | Image | None:
        span = Span(self.path, b.line, b.col)
        if isinstance(b, OTable):
            cell = lambda t: self.text(t, b.line, b.col, check=False) or ""
            width = max([len(b.header)] + [len(r) for r in b.rows])
            if width > MAX_COLUMNS:  # as a pack.yaml table is refused: no page holds them
                self.report.warning(
                    span, f"table of {width} columns; only the first {MAX_COLUMNS} imported"
                )
                width = MAX_COLUMNS
                b = OTable(
                    b.header[:width], [r[:width] for r in b.rows], b.line, b.col, b.align[:width]
                )
            pad = lambda row: tuple(row) + ("",) * (width - len(row))
            header = pad([cell(t) for t in b.header])
            rows = tuple(pad([cell(t) for t in r]) for r in b.rows)
            if not rows:
                self.report.warning(span, "table with a header row only; imported as points")
                return None
            align = tuple(b.align) + ("left",) * (width - len(b.align)) if b.align else ()
            return Table(header, rows, None, align if any(a != "left" for a in align) else (), span)
        if isinstance(b, OCode):
            text, dropped = clean_text(b.text)
            lines = [line.rstrip().expandtabs(4) for line in text.split("\n")]
            while lines and not lines[-1]:
                lines.pop()
            while lines and not lines[0]:
                lines.pop(0)
            if not lines:
                self.report.warning(span, "empty code block skipped")
                return None
            return Code("\n".join(lines), _lexer(b.language, span, self.report), None, span)
        if isinstance(b, OMath):
            latex = clean_text(b.latex)[0].strip()
            if not latex:
                self.report.warning(span, "empty math block skipped")
                return None
            return Math(latex, None, span)
        return self.image(b, span)

    def image(self, b: OImage, span: Span) -> Image | None:
        name = b.name
        if b.data is not None:
            path, problem = picture_file(b.data)
            if path is None:
                self.report.warning(span, f"picture '{name}' {problem}; skipped")
                return None
        elif b.file is None or not b.file.is_file():
            self.report.warning(span, f"image '{name}' not found; skipped")
            return None
        else:
            path = b.file
        alt = " ".join(clean_text(b.alt)[0].split())
        if not alt:
            alt = Path(name).stem.replace("_", " ").replace("-", " ").strip() or "Picture"
            self.report.warning(
                span, f"picture '{name}' has no alt text; '{alt}' used (describe it in pack.yaml)"
            )
        return usable_image(path, alt, span, self.report, f"image '{name}'")

    def glossary(self) -> tuple[Term, ...]:
        o = self.outline
        seen: dict[str, Term] = {}
        for t in o.glossary:
            term = self.text(t.term, t.line, t.col, check=False)
            definition = self.text(t.definition, t.line, t.col + len(t.term))
            if not term or not definition:
                self.report.warning(
                    Span(self.path, t.line, t.col),
                    f"glossary term '{t.term}' has no definition; skipped",
                )
                continue
            key = term.casefold()
            if key in seen:
                first = seen[key].span.line
                self.report.warning(
                    Span(self.path, t.line, t.col),
                    f"duplicate term '{term}' (first at line {first}) skipped",
                )
                continue
            seen[key] = Term(term, definition, (), Span(self.path, t.line, t.col))
        if o.glossary_count is not None and o.glossary_count != len(o.glossary):
            self.report.warning(
                Span(self.path, o.glossary_line, 1),
                f"the guide announces {o.glossary_count} key terms but {len(o.glossary)} were found",
            )
        return tuple(seen.values())

    def _date(self, raw: str | None, where: tuple[str, int] | None) -> dt.date | None:
        if raw is None or where is None:
            return None
        date, problem = parse_date(raw)
        if problem:
            self.report.warning(Span(self.path, where[1], 1), f"date: {problem}; not imported")
        return date

    def _language(self, raw: str | None, where: tuple[str, int] | None) -> str:
        if raw is None or where is None:  # none given: the language of its glossary heading
            return self.outline.glossary_language or "en"
        problem = language_problem(raw)
        if problem:
            self.report.warning(Span(self.path, where[1], 1), f"language: {problem}; 'en' used")
            return "en"
        return raw


def _lexer(name: str | None, span: Span, report: Report) -> str | None:
    """A Pygments lexer alias for a fence's language, or None (with a warning when unknown)."""
    if not name:
        return None
    from pygments.lexers import get_lexer_by_name  # only sources with code pay for Pygments
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        report.warning(
            span, f"unknown code language '{name}'; the code is shown without highlighting"
        )
        return None
    return name.lower()


def _top_points(s: OSection):
    yield from s.points
    for sub in s.sections:
        yield from _top_points(sub)


def _all_points(s: OSection):
    stack = [p for p in s.points if isinstance(p, OPoint)]
    while stack:
        p = stack.pop()
        yield p
        stack.extend(p.children)
    for sub in s.sections:
        yield from _all_points(sub)


_GUIDE_WORDS = {"study", "guide", "notes", "review", "outline", "handout"}


def _title_from(stem: str, outline: Outline) -> str:
    """A title from the file name, spelled as the guide spells it when the guide names it."""
    words = [w for w in re.split(r"[\s_\-.]+", stem) if w]
    while words and words[0].lower() in _GUIDE_WORDS:
        words.pop(0)
    while words and words[-1].lower() in _GUIDE_WORDS:
        words.pop()
    if not words:
        return stem.strip() or "Untitled"
    pattern = re.compile(
        r"\b" + r"[\s\-–_]+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE
    )
    texts = [t.term for t in outline.glossary] + [t for t, _, _ in outline.overview]
    texts += [s.title for s in outline.sections] + [
        p.text for s in outline.sections for p in _all_points(s)
    ]
    for text in texts:
        m = pattern.search(text)
        if m:
            return m.group(0)
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])
