"""Markdown outline -> Outline, from markdown-it-py's token stream and its line maps."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from studypack.errors import Report, Span
from studypack.load.markdown_blocks import (
    code_block,
    images_of,
    math_block,
    read_table,
    without_images,
)
from studypack.load.markdown_pre import META_KEYS, prepare
from studypack.load.outline import (
    OBlock,
    OPoint,
    OSection,
    OTerm,
    Outline,
    blank_term,
    glossary_heading,
    heading_language,
    nest,
    split_term,
)

__all__ = ["META_KEYS", "parse_markdown"]
_md = MarkdownIt("commonmark").enable("table")
_SKIPPED = {"html_block": "HTML block"}
_NOTE_QUOTE = re.compile(
    r"^(?:\*\*|__)?(?:Speaker |Presenter |Teacher )?notes?:(?:\*\*|__)?\s*", re.IGNORECASE
)


def _join(content: str) -> str:
    """An inline token's source as one line: soft and hard breaks become spaces."""
    return re.sub(r"[ \t]*\\?\n[ \t]*", " ", content).strip()


class _Reader:
    def __init__(self, text: str, path: str, report: Report):
        self.path = path
        self.base = Path(path).resolve().parent  # images resolve against the Markdown file
        self.report = report
        self.outline = Outline(expect="'## Section' headings")
        pre = prepare(text, path, report)
        self.outline.meta, self.outline.dropped = pre.meta, pre.dropped
        self.lines, self.notes, self.slides = pre.lines, pre.notes, pre.slides
        self.headings: list[tuple[int, OSection]] = []  # (markdown level, section)
        self.opened: list[OSection] = []  # every section in reading order, for notes by line
        self.intro_points: list[OPoint | OBlock] = []
        self.glossary_level: int | None = None

    def col(self, line: int, content: str) -> int:
        """1-based column of `content` on source line `line` (1-based), 1 when not found."""
        if not 0 < line <= len(self.lines):
            return 1
        first = content.split("\n", 1)[0][:30]
        at = self.lines[line - 1].find(first) if first else -1
        return at + 1 if at >= 0 else 1

    # --- walking -----------------------------------------------------------------------------

    def read(self) -> Outline:
        tokens = _md.parse("\n".join(self.lines))
        self._take_title(tokens)
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "heading_open":
                self._heading(tok, tokens[i + 1])
                i += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                self.lifted: list[OBlock] = []
                points, i = self._list(tokens, i)
                self._points(points)
                for block in self.lifted:
                    self._block(block)
            elif tok.type == "table_open":
                table, i = read_table(tokens, i)
                self._table(table)
            elif tok.type in ("fence", "code_block"):
                self._block(code_block(tok))
                i += 1
            elif tok.type == "blockquote_open" and self._is_note(tokens, i):
                i = self._note_quote(tokens, i)
            elif tok.type == "inline":
                self._paragraph(tok)
                i += 1
            else:
                if tok.type in _SKIPPED and tok.map:
                    what = _SKIPPED[tok.type]
                    self.report.warning(
                        Span(self.path, tok.map[0] + 1, 1),
                        f"{what} skipped (a pack holds headings, paragraphs, lists and blocks)",
                    )
                i += 1
        self._place_notes()
        if self.intro_points:
            first = self.intro_points[0]
            self.report.warning(
                Span(self.path, first.line, first.col),
                "bullets before the first section heading were put in a section 'Introduction'",
            )
            self.outline.sections.insert(
                0, OSection("Introduction", first.line, first.col, [], self.intro_points)
            )
        return self.outline

    def _take_title(self, tokens: list[Token]) -> None:
        """The first heading is the title when it is the document's only `#` heading, or (in
        slides) when the first slide holds nothing but that heading and a few lines."""
        heads = [t for t in tokens if t.type == "heading_open"]
        if (
            heads
            and heads[0].tag == "h1"
            and (sum(t.tag == "h1" for t in heads) == 1 or self._title_slide(tokens))
        ):
            inline = tokens[tokens.index(heads[0]) + 1]
            line = heads[0].map[0] + 1 if heads[0].map else 0
            self.outline.title, self.outline.title_line = _join(inline.content), line
            self.title_token = heads[0]
        else:
            self.title_token = None

    def _title_slide(self, tokens: list[Token]) -> bool:
        if not self.slides:
            return False
        first: list[Token] = []
        for tok in tokens:
            if tok.type == "hr":
                break
            first.append(tok)
        kinds = {t.type for t in first if t.level == 0}
        return len(first) < len(tokens) and kinds <= {
            "heading_open", "heading_close", "paragraph_open", "paragraph_close", "inline"
        } and sum(t.type == "heading_open" for t in first) <= 2  # fmt: skip

    def _heading(self, tok: Token, inline: Token) -> None:
        level = int(tok.tag[1:])
        line = tok.map[0] + 1 if tok.map else 0
        text = _join(inline.content)
        if tok is self.title_token:
            return
        if self.glossary_level is not None:
            if level > self.glossary_level:
                return  # "### A" letter groups inside the glossary
            self.glossary_level = None
        is_glossary, count = glossary_heading(text)
        if is_glossary:
            self.glossary_level = level
            self.outline.glossary_line, self.outline.glossary_count = line, count
            self.outline.glossary_language = heading_language(text)
            return
        if not text:
            self.report.warning(Span(self.path, line, 1), "empty heading skipped")
            return
        section = OSection(text, line, self.col(line, text))
        self.opened.append(section)
        nest(self.headings, level, section, lambda s: s.sections, self.outline.sections)

    def _paragraph(self, tok: Token) -> None:
        line = tok.map[0] + 1 if tok.map else 0
        if self.glossary_level is not None:
            raw = tok.content.split("\n")
            self._glossary_lines(
                [(t.strip(), line + k, self.col(line + k, t.strip())) for k, t in enumerate(raw)]
            )
            return
        math = math_block(tok)
        if math is not None:
            self._block(math)
            return
        images = images_of(tok, self.base, self.path, self.report, self.col)
        text = _join(without_images(tok.content))
        for image in images:
            self._block(image)
        if not text:
            return
        entry = (text, line, self.col(line, tok.content))
        if not self.headings:
            self.outline.overview.append(entry)
        elif not self.headings[-1][1].points:
            self.headings[-1][1].summary.append(entry)
        else:
            self.headings[-1][1].points.append(OPoint(*entry))

    def _points(self, points: list[OPoint]) -> None:
        if self.glossary_level is not None:
            for p in points:
                self._glossary_item(p)
        elif self.headings:
            self.headings[-1][1].points.extend(points)
        else:
            self.intro_points.extend(points)

    def _block(self, block: OBlock) -> None:
        """A table, code, math or image block in the current section's points."""
        if self.glossary_level is not None:
            what = type(block).__name__[1:].lower()
            self.report.warning(
                Span(self.path, block.line, block.col), f"{what} in the glossary skipped"
            )
        elif self.headings:
            self.headings[-1][1].points.append(block)
        else:
            self.intro_points.append(block)

    def _table(self, table) -> None:
        """A table block; in the glossary, a two-column table is its terms."""
        if self.glossary_level is None or len(table.header) != 2:
            self._block(table)
            return
        rows = table.rows
        if not re.fullmatch(
            r"(?i)(key )?terms?|words?|vocabulary|concepts?", table.header[0].strip()
        ):
            rows = [table.header, *rows]  # the first row is a term too
        for k, row in enumerate(rows):
            term, definition = (row + ["", ""])[:2]
            line = table.line + k + (2 if rows is table.rows else (1 if k else 0))
            self.outline.glossary.append(OTerm(term.strip(), definition.strip(), line, 1))

    def _is_note(self, tokens: list[Token], i: int) -> bool:
        """A blockquote is a speaker note when it opens with 'Note:' or 'Speaker note:'."""
        inline = next((t for t in tokens[i + 1 : i + 4] if t.type == "inline"), None)
        return inline is not None and _NOTE_QUOTE.match(inline.content) is not None

    def _note_quote(self, tokens: list[Token], i: int) -> int:
        level, line = tokens[i].level, tokens[i].map[0] + 1 if tokens[i].map else 0
        paras: list[str] = []
        i += 1
        while i < len(tokens) and not (
            tokens[i].type == "blockquote_close" and tokens[i].level == level
        ):
            if tokens[i].type == "inline":
                content = tokens[i].content
                paras.append(_join(_NOTE_QUOTE.sub("", content, count=1) if not paras else content))
            i += 1
        text = "\n\n".join(p for p in paras if p)
        if text:
            self.notes.append((text, line))
        return i + 1

    def _place_notes(self) -> None:
        """Each speaker note goes to the section it stands in (the last one opened above it)."""
        for text, line in self.notes:
            owner = None
            for section in self.opened:
                if section.line > line:
                    break
                owner = section
            if owner is None:
                self.report.warning(
                    Span(self.path, line, 1), "speaker note before the first section skipped"
                )
                continue
            owner.notes.append((text, line, 1))

    def _list(self, tokens: list[Token], i: int) -> tuple[list[OPoint], int]:
        """Items of the list opening at tokens[i]; a nested list gives the item's sub-points."""
        level = tokens[i].level
        points: list[OPoint] = []
        i += 1
        current: OPoint | None = None
        while i < len(tokens):
            tok = tokens[i]
            if tok.level == level and tok.type.endswith("_list_close"):
                return points, i + 1
            if tok.type == "list_item_open":
                line = tok.map[0] + 1 if tok.map else 0
                current = OPoint("", line)
            elif tok.type == "list_item_close" and current is not None:
                if current.text:
                    points.append(current)
                else:  # an item with only a nested list: its items stand in its place
                    points.extend(current.children)
                current = None
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                children, i = self._list(tokens, i)
                if current is not None:
                    current.children.extend(children)
                continue
            elif tok.type == "inline" and current is not None:
                images = images_of(tok, self.base, self.path, self.report, self.col)
                self.lifted += images  # blocks stand in a section's points, after the list
                text = _join(without_images(tok.content))
                if not current.text:
                    line = tok.map[0] + 1 if tok.map else current.line
                    current.text, current.line, current.col = (
                        text,
                        line,
                        self.col(line, tok.content),
                    )
                elif text:
                    current.text = f"{current.text} {text}"
            elif tok.type == "table_open":
                table, i = read_table(tokens, i)
                self.lifted.append(table)
                continue
            elif tok.type in ("fence", "code_block"):
                self.lifted.append(code_block(tok))
            elif tok.type in _SKIPPED and tok.map:
                self.report.warning(
                    Span(self.path, tok.map[0] + 1, 1),
                    f"{_SKIPPED[tok.type]} inside a list item skipped",
                )
            i += 1
        return points, i

    # --- glossary ----------------------------------------------------------------------------

    def _glossary_item(self, point: OPoint) -> None:
        split = split_term(point.text)
        if split is not None:
            self.outline.glossary.append(OTerm(split[0], split[1], point.line, point.col))
        elif (term := blank_term(point.text)) is not None and not point.children:
            self.outline.glossary.append(OTerm(term, "", point.line, point.col))
        elif point.children:  # "- Term" with the definition as its sub-item
            definition = " ".join(c.text for c in point.children)
            self.outline.glossary.append(OTerm(point.text, definition, point.line, point.col))
        else:
            self.report.warning(
                Span(self.path, point.line, point.col),
                "glossary item is not 'Term: definition'; skipped",
            )

    def _glossary_lines(self, lines: list[tuple[str, int, int]]) -> None:
        """Lines of one paragraph: `Term: definition`, or a definition list (`Term` / `: def`)."""
        glossary = self.outline.glossary
        pending: tuple[str, int, int] | None = None
        for k, (text, line, col) in enumerate(lines):
            next_is_def = k + 1 < len(lines) and lines[k + 1][0].startswith(":")
            if text.startswith(":"):
                definition = text[1:].strip()
                if pending is not None:
                    glossary.append(OTerm(pending[0], definition, pending[1], pending[2]))
                    pending = None
                elif glossary and definition:
                    glossary[-1].definition += " " + definition  # a second definition
            elif next_is_def:
                pending = (text.strip("*_ ").strip(), line, col)
            elif (split := split_term(text)) is not None:
                glossary.append(OTerm(split[0], split[1], line, col))
            elif (term := blank_term(text)) is not None:
                # "Chlorophyll:" alone: its definition is the next line, unless that is a term
                # of its own; then this one lost its definition (never merge the two).
                glossary.append(OTerm(term, "", line, col))
            elif glossary and k > 0 and glossary[-1].definition:
                glossary[-1].definition += " " + text  # a wrapped definition
            elif glossary and k > 0 and not glossary[-1].definition:
                glossary[-1].definition = text  # the definition of "Term:" on the line above
            else:
                self.report.warning(
                    Span(self.path, line, col), "glossary line is not 'Term: definition'; skipped"
                )


def parse_markdown(text: str, path: str, report: Report) -> Outline:
    """Read a Markdown outline; structure problems are warnings, never exceptions."""
    return _Reader(text, path, report).read()
