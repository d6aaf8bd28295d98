"""The content model: one Pack read from any source, used by every planner and renderer.

All objects are frozen; each keeps the Span it came from so later stages (fitting, images)
can report located warnings.
"""

from __future__ import annotations

import datetime as dt
import os
import re
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
class Section:
    title: str
    summary: str | None = None
    points: tuple[Point, ...] = ()
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


@dataclass(frozen=True)
class Card:
    front: str  # inline Markdown
    back: str
    hint: str | None = None  # e.g. "See also: …" for glossary cards
    tags: tuple[str, ...] = ()
    span: Span = NO_SPAN


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
            )
            for t in self.glossary
        )
        extra = tuple(
            Card(c.front, c.back, c.hint, (tag, *c.tags) if c.tags else (tag,), c.span)
            for c in self.cards
        )
        return from_terms + extra

    def images(self) -> tuple[Image, ...]:
        return tuple(s.image for _, s in self.all_sections() if s.image is not None)

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


LATEST_EPOCH = int(dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC).timestamp())


def tag_word(tag: str) -> str:
    """A tag as Anki stores it: one word (Anki splits tags at spaces), so 'My Course' -> 'My_Course'."""
    return re.sub(r"\s+", "_", tag.strip()) or "_"
