"""Markdown outline -> Outline, from markdown-it-py's token stream and its line maps."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from studypack.errors import Report, Span
from studypack.load.outline import (
    Dropped,
    OPoint,
    OSection,
    OTerm,
    Outline,
    glossary_heading,
    heading_language,
    noise_kind,
    split_term,
)

META_KEYS = ("title", "subtitle", "course", "author", "date", "language", "theme")
_md = MarkdownIt("commonmark")
_SKIPPED = {
    "fence": "code block",
    "code_block": "code block",
    "html_block": "HTML block",
    "table_open": "table",
}


def _join(content: str) -> str:
    """An inline token's source as one line: soft and hard breaks become spaces."""
    return re.sub(r"[ \t]*\\?\n[ \t]*", " ", content).strip()


class _Reader:
    def __init__(self, text: str, path: str, report: Report):
        self.path = path
        self.report = report
        self.outline = Outline()
        self.lines = self._clean(text)
        self.headings: list[tuple[int, OSection]] = []  # (markdown level, section)
        self.intro_points: list[OPoint] = []
        self.glossary_level: int | None = None

    def _clean(self, text: str) -> list[str]:
        """Source lines with front matter and web noise blanked (line numbers stay true)."""
        lines = text.split("\n")
        if lines and lines[0].strip() == "---":
            end = next(
                (k for k in range(1, min(len(lines), 200)) if lines[k].strip() in ("---", "...")), 0
            )
            for k in range(1, end):
                self._meta(lines[k], k + 1)
            for k in range(end + 1 if end else 0):
                lines[k] = ""
        for k, line in enumerate(lines):
            kind = noise_kind(line) if line.strip() else None
            if kind:
                self.outline.dropped.append(Dropped(k + 1, kind, line.strip()))
                lines[k] = ""
        return lines

    def _meta(self, line: str, no: int) -> None:
        if not line.strip() or line.lstrip().startswith("#"):
            return
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        key = m.group(1).lower() if m else ""
        value = m.group(2).strip() if m else ""
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if key in META_KEYS and value:
            self.outline.meta[key] = (value, no)
        else:
            self.report.warning(
                Span(self.path, no, 1),
                f"front matter line not imported (keys: {', '.join(META_KEYS)})",
            )

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
                points, i = self._list(tokens, i)
                self._points(points)
            elif tok.type == "inline":
                self._paragraph(tok)
                i += 1
            else:
                if tok.type in _SKIPPED and tok.map:
                    what = _SKIPPED[tok.type]
                    self.report.warning(
                        Span(self.path, tok.map[0] + 1, 1),
                        f"{what} skipped (a pack holds headings, paragraphs and lists)",
                    )
                i += _skip(tokens, i) if tok.type == "table_open" else 1
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
        """The first heading is the title when it is the document's only `#` heading."""
        heads = [t for t in tokens if t.type == "heading_open"]
        if heads and heads[0].tag == "h1" and sum(t.tag == "h1" for t in heads) == 1:
            inline = tokens[tokens.index(heads[0]) + 1]
            line = heads[0].map[0] + 1 if heads[0].map else 0
            self.outline.title, self.outline.title_line = _join(inline.content), line
            self.title_token = heads[0]
        else:
            self.title_token = None

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
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        if self.headings:
            self.headings[-1][1].sections.append(section)
        else:
            self.outline.sections.append(section)
        self.headings.append((level, section))

    def _paragraph(self, tok: Token) -> None:
        line = tok.map[0] + 1 if tok.map else 0
        if self.glossary_level is not None:
            raw = tok.content.split("\n")
            self._glossary_lines(
                [(t.strip(), line + k, self.col(line + k, t.strip())) for k, t in enumerate(raw)]
            )
            return
        text = _join(tok.content)
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
                text = _join(tok.content)
                if not current.text:
                    line = tok.map[0] + 1 if tok.map else current.line
                    current.text, current.line, current.col = (
                        text,
                        line,
                        self.col(line, tok.content),
                    )
                elif text:
                    current.text = f"{current.text} {text}"
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
            elif glossary and k > 0:
                glossary[-1].definition += " " + text  # a wrapped definition
            else:
                self.report.warning(
                    Span(self.path, line, col), "glossary line is not 'Term: definition'; skipped"
                )


def _skip(tokens: list[Token], i: int) -> int:
    """Tokens from a table's open to just past its close."""
    j = i
    while j < len(tokens) and tokens[j].type != "table_close":
        j += 1
    return j - i + 1


def parse_markdown(text: str, path: str, report: Report) -> Outline:
    """Read a Markdown outline; structure problems are warnings, never exceptions."""
    return _Reader(text, path, report).read()
