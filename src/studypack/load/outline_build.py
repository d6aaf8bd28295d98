"""Builds an Outline from a stream of document parts (headings, paragraphs, list items,
blocks, notes), as the Word and PowerPoint readers find them."""

from __future__ import annotations

import re

from studypack.errors import Report, Span
from studypack.load.outline import (
    OBlock,
    OPoint,
    OSection,
    OTable,
    OTerm,
    Outline,
    blank_term,
    glossary_heading,
    heading_language,
    nest,
    split_term,
)

_TERM_HEADER = re.compile(r"(?i)(key )?terms?|words?|vocabulary|concepts?|begriff|terme|término")


class Assembler:
    """Document parts in reading order -> sections with points, blocks, notes and a glossary."""

    def __init__(self, outline: Outline, path: str, report: Report):
        self.outline = outline
        self.path = path
        self.report = report
        self.headings: list[tuple[int, OSection]] = []
        self.items: list[tuple[int, OPoint]] = []  # open list items: (level, point)
        self.glossary_level: int | None = None

    @property
    def current(self) -> OSection | None:
        return self.headings[-1][1] if self.headings else None

    def heading(self, level: int, text: str, line: int) -> OSection | None:
        """A heading at `level` (1 = section); a glossary heading starts the glossary."""
        self.items = []
        text = " ".join(text.split())
        if not text:
            return None
        if self.glossary_level is not None and level > self.glossary_level:
            return None  # letter groups ("A", "B") inside the glossary
        self.glossary_level = None
        is_glossary, count = glossary_heading(text)
        if is_glossary:
            self.glossary_level = level
            o = self.outline
            o.glossary_line, o.glossary_count = line, count
            o.glossary_language = heading_language(text)
            return None
        section = OSection(text, line)
        nest(self.headings, level, section, lambda s: s.sections, self.outline.sections)
        return section

    def paragraph(self, text: str, line: int) -> None:
        """Body text: the overview, a section's summary, or a point once points have begun."""
        text = " ".join(text.split())
        if not text:
            return
        if self.glossary_level is not None:
            self.term_line(text, line)
            return
        self.items = []
        section = self.current
        if section is None:
            self.outline.overview.append((text, line, 1))
        elif not section.points:
            section.summary.append((text, line, 1))
        else:
            section.points.append(OPoint(text, line))

    def point(self, text: str, level: int, line: int) -> None:
        """A list item; `level` 0 is a top-level point, 1 its sub-point, and so on."""
        text = " ".join(text.split())
        if not text:
            return
        if self.glossary_level is not None:
            self.term_line(text, line)
            return
        section = self.current or self._intro(line)
        nest(self.items, level, OPoint(text, line), lambda p: p.children, section.points)

    def block(self, block: OBlock) -> None:
        if self.glossary_level is not None:
            if isinstance(block, OTable) and self.glossary_table(block):
                return
            what = type(block).__name__[1:].lower()
            self.report.warning(
                Span(self.path, block.line, block.col), f"{what} in the glossary skipped"
            )
            return
        self.items = []
        (self.current or self._intro(block.line)).points.append(block)

    def note(self, text: str, line: int) -> None:
        text = text.strip()
        if not text:
            return
        if self.current is None:
            self.report.warning(
                Span(self.path, line, 1), "speaker notes before the first section skipped"
            )
            return
        self.current.notes.append((text, line, 1))

    def term_line(self, text: str, line: int) -> None:
        """`Term – definition` or `Term: definition`; a `Term:` alone is a term without one."""
        glossary = self.outline.glossary
        if (split := split_term(text)) is not None:
            glossary.append(OTerm(split[0], split[1], line))
        elif (term := blank_term(text)) is not None:
            glossary.append(OTerm(term, "", line))
        elif glossary and not glossary[-1].definition:
            glossary[-1].definition = text  # the definition of the term on the line above
        else:
            self.report.warning(
                Span(self.path, line, 1), "not a 'Term – definition' line in the glossary; skipped"
            )

    def glossary_table(self, table: OTable) -> bool:
        """A two-column table in the glossary: term | definition per row."""
        if len(table.header) != 2 or any(len(r) != 2 for r in table.rows):
            return False
        rows = (
            table.rows
            if _TERM_HEADER.fullmatch(table.header[0].strip())
            else [table.header, *table.rows]
        )
        for term, definition in rows:
            self.outline.glossary.append(
                OTerm(" ".join(term.split()), " ".join(definition.split()), table.line)
            )
        return True

    def _intro(self, line: int) -> OSection:
        self.report.warning(
            Span(self.path, line, 1),
            "content before the first heading was put in a section 'Introduction'",
        )
        return self.heading(1, "Introduction", line) or OSection("Introduction", line)
