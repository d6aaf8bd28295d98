"""cards.csv: UTF-8 with Anki's file headers, so Anki's importer needs no settings; fields are HTML."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass

from studypack.errors import Report
from studypack.math.unicode import plain_readable
from studypack.model import Pack, tag_word
from studypack.render.card_html import SOURCE_MATH, to_html
from studypack.theme import Theme

# A cell starting with one of these is a formula to a spreadsheet (CSV injection); as an HTML
# character reference it shows the same in Anki and is plain text to the spreadsheet.
_FORMULA_STARTS = "=+-@\t\r"


def neutralise(cell: str) -> str:
    return f"&#{ord(cell[0])};{cell[1:]}" if cell[:1] in _FORMULA_STARTS and cell else cell


@dataclass(frozen=True)
class CsvPlan:
    headers: list[str]
    rows: list[tuple[str, str, str]]


def plan(pack: Pack, theme: Theme, report: Report) -> CsvPlan:
    return CsvPlan(headers(pack), card_rows(pack))


def card_rows(pack: Pack) -> list[tuple[str, str, str]]:
    """(front, back, tags) as Anki field HTML: terms, then extra cards."""
    rows = []
    for card in pack.flashcards():
        back = to_html(card.back, SOURCE_MATH)
        if card.hint:
            back += "<br><br>" + to_html(card.hint, SOURCE_MATH)
        tags = " ".join(tag_word(t) for t in card.tags)
        rows.append((neutralise(to_html(card.front, SOURCE_MATH)), neutralise(back), neutralise(tags)))
    return rows


def headers(pack: Pack) -> list[str]:
    """Anki's file headers: how to split, that fields are HTML, which column holds tags, where to put notes."""
    deck = " ".join(plain_readable(pack.title).split())
    return [
        "#separator:Comma",
        "#html:true",
        "#notetype:Basic",
        f"#deck:{deck}",
        "#tags column:3",
        "#columns:Front,Back,Tags",
    ]


def draw(plan: CsvPlan, theme: Theme) -> bytes:
    buf = io.StringIO(newline="")
    for line in plan.headers:
        buf.write(line + "\r\n")
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180 quoting, which Anki reads
    writer.writerows(plan.rows)
    return buf.getvalue().encode("utf-8")


def read_cards(text: str) -> list[dict[str, str]]:
    """The cards of a cards.csv as {front, back, tags} (fields as HTML), file headers skipped."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    rows = csv.reader(io.StringIO("".join(lines[start:]), newline=""))
    return [dict(zip(("front", "back", "tags"), row)) for row in rows]


def seen_text(field: str) -> str:
    """A field as Anki shows it: line breaks for <br>, no tags, characters for references."""
    return html.unescape(re.sub(r"<[^>]*>", "", field.replace("<br>", "\n")))
