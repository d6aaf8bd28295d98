"""`studypack import`: a plain-text study guide or a Markdown outline -> pack.yaml (SPEC §7)."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

from studypack import inputs
from studypack.errors import ProblemsFound, Report, Span, StudypackError, display_path
from studypack.inline import parse_inline, plain_text
from studypack.load import PACK_FILE
from studypack.load.nodes import clean_text
from studypack.load.outline import OPoint, OSection, Outline, find_blanks, snippet
from studypack.model import Pack, Point, Section, Term
from studypack.output import write_atomic
from studypack.pack_writer import without_spans, write_pack_yaml

MAX_BYTES = 16 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_MD_SPECIAL = re.compile(r"([`*_\[\]])")  # what inline.py lets a backslash escape


def import_command(file: Path, pack_dir: Path | None, force: bool, console) -> None:
    """Write PACK_DIR/pack.yaml from FILE; warnings are printed, errors raised."""
    pack_dir = pack_dir if pack_dir is not None else Path("content") / file.stem
    target = pack_dir / PACK_FILE
    if target.exists() and not force:
        raise StudypackError(f"{display_path(target)} already exists; use --force to overwrite it")
    report = Report()
    pack, outline = _import(file, report, pack_dir.resolve().name, pack_dir.resolve())
    if outline is not None:
        for d in outline.dropped:
            console.detail(f"{display_path(file)}:{d.line}: dropped {d.kind}: {d.text}")
        if pack is not None and not outline.title and "title" not in outline.meta:
            console.detail(
                f"no title line: the title '{pack.title}' comes from the file name; edit it in pack.yaml"
            )
    if pack is None or report.errors:
        raise ProblemsFound(report.sorted())
    header = (
        f"Imported from {file.name} by `studypack import`; edit freely.\n"
        f"Build it with:  studypack build {display_path(pack_dir)}"
    )
    text = write_pack_yaml(pack, header)
    _check_round_trip(text, pack, target, report)
    if report.errors:
        raise ProblemsFound(report.sorted())
    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as e:
        raise StudypackError(f"cannot write {display_path(target)}: {e.strerror or e}") from None
    console.diagnostics(report.sorted())
    subs = sum(1 for depth, _ in pack.all_sections() if depth > 1)
    console.info(
        f"wrote {display_path(target)}: {len(pack.sections)} sections, {subs} subsections, "
        f"{len(pack.glossary)} glossary terms"
    )


def import_to_pack(path: Path, report: Report) -> Pack | None:
    """Import in memory (for `studypack build guide.md`); None when there were errors."""
    pack, _ = _import(path, report, path.stem, path.parent.resolve())
    if pack is None or report.errors:
        return None
    _check_round_trip(write_pack_yaml(pack), pack, path, report)
    return None if report.errors else pack


def _check_round_trip(text: str, pack: Pack, path: Path, report: Report) -> None:
    """The YAML we write must load back to the very pack we built (a bug if not)."""
    from studypack.load.pack_yaml import load_pack_text

    scratch = Report()
    loaded = load_pack_text(text, path, scratch, slug=pack.slug)
    if loaded is None or without_spans(loaded) != without_spans(pack):
        first = scratch.errors[0].message if scratch.errors else "content differs"
        report.error(
            Span(str(path)),
            f"internal: the imported pack.yaml does not load back ({first}); please report this",
        )


# --- reading ------------------------------------------------------------------------------


def read_guide(path: Path, report: Report) -> str | None:
    """The file as text with \\n line ends; problems are located errors."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            report.error(
                Span(name),
                f"file is too large to be a study guide ({size} bytes; the limit is {MAX_BYTES})",
            )
            return None
        data = inputs.read(path)
    except OSError as e:
        report.error(Span(name), f"cannot read file: {e.strerror or e}")
        return None
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            data, encoding = data[len(bom) :], codec
            break
    else:
        encoding = "utf-8"
    if encoding == "utf-8" and b"\0" in data:
        at = data.index(b"\0")
        line, col = data[:at].count(b"\n") + 1, at - (data.rfind(b"\n", 0, at) + 1) + 1
        report.error(
            Span(name, line, col),
            "this is a binary file, not a study guide (expected UTF-8 text or Markdown)",
        )
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        report.error(
            Span(name, line, col),
            f"file is not {encoding.upper()} text (save it as UTF-8 and import again)",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        report.error(
            Span(name), "file is empty: expected a study guide (headings, bullets, key terms)"
        )
        return None
    return text


def is_markdown(path: Path, text: str) -> bool:
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return True
    # A .txt that is really an outline: '#' headings and no '•' bullets.
    return "•" not in text and re.search(r"^#{1,6}[ \t]+\S", text, re.MULTILINE) is not None


def parse_guide(path: Path, report: Report) -> tuple[Outline, bool] | None:
    text = read_guide(path, report)
    if text is None:
        return None
    if is_markdown(path, text):
        from studypack.load.markdown import parse_markdown

        return parse_markdown(text, str(path), report), True
    from studypack.load.guide_text import parse_guide_text

    return parse_guide_text(text, str(path), report), False


# --- outline -> pack ------------------------------------------------------------------------


def _import(
    path: Path, report: Report, slug: str, root: Path
) -> tuple[Pack | None, Outline | None]:
    parsed = parse_guide(path, report)
    if parsed is None:
        return None, None
    outline, markdown = parsed
    pack = (
        _Builder(str(path), report, markdown, outline).pack(slug, root, path)
        if outline.sections
        else None
    )
    if pack is None or not pack.sections:
        what = (
            "'## Section' headings"
            if markdown
            else "heading lines followed by bullet points (•, -, *)"
        )
        report.error(Span(str(path)), f"no sections found: expected {what}")
        return None, outline
    return pack, outline


class _Builder:
    def __init__(self, path: str, report: Report, markdown: bool, outline: Outline):
        self.path = path
        self.report = report
        self.markdown = markdown
        self.outline = outline
        points = [p for s in outline.sections for p in _top_points(s)]
        lower = [p for p in points if p.text[:1].islower()]
        # A point in lower case among capitalised ones lost its first words (a link).
        self.flag_lower = len(points) >= 5 and len(lower) <= len(points) // 10

    def pack(self, slug: str, root: Path, source: Path) -> Pack:
        o = self.outline
        meta = {k: self.text(v, line, 1, check=False) for k, (v, line) in o.meta.items()}
        title = meta.get("title") or (
            self.text(o.title, o.title_line, 1, check=False) if o.title else None
        )
        return Pack(
            slug=slug,
            root=root,
            source=source,
            title=title or self.literal(_title_from(source.stem, o)),
            subtitle=meta.get("subtitle"),
            course=meta.get("course"),
            author=meta.get("author"),
            date=self._date(meta.get("date"), o.meta.get("date")),
            language=self._language(meta.get("language"), o.meta.get("language")),
            theme=meta.get("theme"),
            overview=self.paragraphs(o.overview),
            sections=tuple(s for s in (self.section(x) for x in o.sections) if s is not None),
            glossary=self.glossary(),
            span=Span(self.path, 1, 1),
        )

    def text(self, raw: str | None, line: int, col: int, check: bool = True) -> str | None:
        """Clean one text field; warn about lost links; plain text is escaped to stay literal."""
        if raw is None:
            return None
        text, dropped = clean_text(raw)
        if dropped:
            self.report.warning(
                Span(self.path, line, col), f"dropped {len(dropped)} control character(s)"
            )
        text = " ".join(text.split()) if "\n" not in text else text.strip()
        if check:
            for at in find_blanks(text):
                self.report.warning(
                    Span(self.path, line, col + at),
                    f"blank where a linked term was probably lost: '{snippet(text, at)}'",
                )
        return (text if self.markdown else self.literal(text)) or None

    def literal(self, text: str) -> str:
        """Plain text made safe as inline Markdown: escape only when it would render differently."""
        runs = parse_inline(text)
        if plain_text(text) == text and not any(
            r.bold or r.italic or r.code or r.href for r in runs
        ):
            return text
        return _MD_SPECIAL.sub(r"\\\1", text)

    def paragraphs(self, paras: list[tuple[str, int, int]]) -> str | None:
        texts = [t for t in (self.text(p, line, col) for p, line, col in paras) if t]
        if len(texts) <= 1:
            return texts[0] if texts else None
        # Several paragraphs: wrapped lines inside, a blank line between (as in the sample pack).
        return "\n\n".join(
            textwrap.fill(t, 88, break_long_words=False, break_on_hyphens=False) for t in texts
        )

    def section(self, s: OSection) -> Section | None:
        title = self.text(s.title, s.line, s.col, check=False)
        if not title:
            return None
        return Section(
            title=title,
            summary=self.paragraphs(s.summary),
            points=self.points(s.points),
            sections=tuple(x for x in (self.section(sub) for sub in s.sections) if x is not None),
            span=Span(self.path, s.line, s.col),
        )

    def points(self, points: list[OPoint], top: bool = True) -> tuple[Point, ...]:
        out = []
        for p in points:
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
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            self.report.warning(
                Span(self.path, where[1], 1), f"date '{raw}' is not YYYY-MM-DD; not imported"
            )
            return None

    def _language(self, raw: str | None, where: tuple[str, int] | None) -> str:
        if raw is None or where is None:  # none given: the language of its glossary heading
            return self.outline.glossary_language or "en"
        if not _BCP47.match(raw):
            self.report.warning(
                Span(self.path, where[1], 1), f"language '{raw}' is not a BCP 47 tag; 'en' used"
            )
            return "en"
        return raw


def _top_points(s: OSection):
    yield from s.points
    for sub in s.sections:
        yield from _top_points(sub)


def _all_points(s: OSection):
    stack = list(s.points)
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
