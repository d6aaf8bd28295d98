"""The content model: one Pack read from any source, used by every planner and renderer.

All objects are frozen; each keeps the Span it came from so later stages (fitting, images)
can report located warnings.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from studypack.errors import Span

NO_SPAN = Span("")


@dataclass(frozen=True)
class Point:
    text: str  # inline Markdown
    children: tuple[Point, ...] = ()
    span: Span = NO_SPAN


@dataclass(frozen=True)
class Image:
    path: Path  # absolute, checked to lie inside the pack folder
    alt: str
    caption: str | None
    width: int  # pixels
    height: int
    format: str  # "PNG", "JPEG", "GIF"
    span: Span = NO_SPAN


@dataclass(frozen=True)
class Table:
    """A table block: a header row and body rows of inline-Markdown cells, all one width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    align: tuple[str, ...] = ()  # "left" | "center" | "right" per column; () = every column left
    span: Span = NO_SPAN

    def alignment(self, column: int) -> str:
        return self.align[column] if column < len(self.align) else "left"


@dataclass(frozen=True)
class Code:
    """A code block: monospace lines, tabs already expanded; highlighted when language is known."""

    text: str  # lines joined by "\n", no trailing newline
    language: str | None = None  # a Pygments lexer alias, checked to exist; None = plain text
    caption: str | None = None
    span: Span = NO_SPAN


@dataclass(frozen=True)
class Math:
    """A display equation block, LaTeX source."""

    latex: str
    alt: str | None = None  # the spoken form; generated from the LaTeX when None
    span: Span = NO_SPAN


# A point of a section is text (with sub-points) or one of these blocks; an Image in a points
# list is a figure. Every planner handles each kind.
Block = Table | Code | Math | Image
Item = Point | Table | Code | Math | Image


@dataclass(frozen=True)
class Section:
    title: str
    summary: str | None = None
    points: tuple[Item, ...] = ()
    notes: str | None = None
    image: Image | None = None
    sections: tuple[Section, ...] = ()
    span: Span = NO_SPAN

    def walk(self, depth: int = 1):
        """(depth, section) for this section and every subsection, in reading order."""
        yield depth, self
        for sub in self.sections:
            yield from sub.walk(depth + 1)


@dataclass(frozen=True)
class Term:
    term: str
    definition: str  # inline Markdown
    see: tuple[str, ...] = ()  # canonical spellings of other glossary terms
    span: Span = NO_SPAN
    id: str | None = None  # identity in study apps that outlives rewording the term


@dataclass(frozen=True)
class Card:
    front: str  # inline Markdown
    back: str
    hint: str | None = None  # e.g. "See also: …" for glossary cards
    tags: tuple[str, ...] = ()
    span: Span = NO_SPAN
    id: str | None = None  # identity in study apps that outlives rewording the front


@dataclass(frozen=True)
class Pack:
    slug: str  # the pack folder's name; the output folder's name
    root: Path  # the pack folder: images resolve inside it
    source: Path  # pack.yaml (or the imported file)
    title: str
    subtitle: str | None = None
    course: str | None = None
    author: str | None = None
    date: dt.date | None = None
    language: str = "en"
    theme: str | None = None
    theme_span: Span = NO_SPAN  # where `theme:` was set, for "theme not found"
    overview: str | None = None
    sections: tuple[Section, ...] = ()
    glossary: tuple[Term, ...] = ()
    cards: tuple[Card, ...] = ()
    span: Span = NO_SPAN
    extra_inputs: tuple[Path, ...] = field(default=())  # files besides source that shape outputs

    def all_sections(self):
        """(depth, section) for every section and subsection in reading order."""
        for section in self.sections:
            yield from section.walk()

    def flashcards(self) -> tuple[Card, ...]:
        """Every glossary term (term / definition) then every extra card, in that order."""
        from studypack.labels import labels_for

        tag = self.slug
        see_also = labels_for(self.language).see_also
        from_terms = tuple(
            Card(
                front=t.term,
                back=t.definition,
                hint=f"{see_also} {', '.join(t.see)}" if t.see else None,
                tags=(tag, "glossary"),
                span=t.span,
                id=t.id,
            )
            for t in self.glossary
        )
        extra = tuple(
            Card(c.front, c.back, c.hint, (tag, *c.tags) if c.tags else (tag,), c.span, c.id)
            for c in self.cards
        )
        return from_terms + extra

    def texts(self) -> Iterator[tuple[Span, str]]:
        """Every inline text a reader sees, one field at a time, with where it was written
        (its own scalar for points, the object holding it otherwise), in reading order."""
        for text in (self.title, self.subtitle, self.course, self.author, self.overview):
            if text:
                yield self.span, text
        for _, section in self.all_sections():
            for text in (section.title, section.summary, section.notes):
                if text:
                    yield section.span, text
            yield from _item_texts(section.points)
            if section.image is not None and section.image.caption:
                yield section.image.span, section.image.caption
        for term in self.glossary:
            yield term.span, term.term
            yield term.span, term.definition
        for card in self.cards:
            for text in (card.front, card.back, card.hint):
                if text:
                    yield card.span, text

    def images(self) -> tuple[Image, ...]:
        """Every image the pack shows: figure blocks and section images, in reading order."""
        out: list[Image] = []
        for _, section in self.all_sections():
            out += [p for p in section.points if isinstance(p, Image)]
            if section.image is not None:
                out.append(section.image)
        return tuple(out)

    def build_time(self) -> dt.datetime:
        """The fixed creation time written into outputs, so equal inputs give equal bytes.

        SOURCE_DATE_EPOCH wins (the reproducible-builds convention), then the pack's date,
        then a constant.
        """
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():  # zip files (.pptx, .apkg) record no time after 2107
            return dt.datetime.fromtimestamp(min(int(epoch), LATEST_EPOCH), tz=dt.UTC)
        if self.date is not None:
            return dt.datetime(self.date.year, self.date.month, self.date.day, tzinfo=dt.UTC)
        return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _item_texts(items: tuple[Item, ...]) -> Iterator[tuple[Span, str]]:
    for item in items:
        if isinstance(item, Point):
            yield item.span, item.text
            yield from _item_texts(item.children)
        elif isinstance(item, Table):
            for text in (item.caption, *item.header, *(c for row in item.rows for c in row)):
                if text:
                    yield item.span, text
        elif isinstance(item, Code | Image) and item.caption:
            yield item.span, item.caption


LATEST_EPOCH = int(dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC).timestamp())


def tag_word(tag: str) -> str:
    """A tag as Anki stores it: one word (Anki splits tags at spaces), so 'My Course' -> 'My_Course'."""
    return re.sub(r"\s+", "_", tag.strip()) or "_"
