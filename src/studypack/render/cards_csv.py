"""cards.csv: UTF-8, header front,back,tags — imports into Anki and Quizlet."""

from __future__ import annotations

import csv
import io

from studypack.errors import Report
from studypack.inline import text_with_urls
from studypack.model import Pack, tag_word
from studypack.theme import Theme


def plan(pack: Pack, theme: Theme, report: Report) -> list[tuple[str, str, str]]:
    """(front, back, tags) in plain text (links keep their address): terms, then extra cards."""
    rows = []
    for card in pack.flashcards():
        back = text_with_urls(card.back)
        if card.hint:
            back += "\n\n" + text_with_urls(card.hint)
        rows.append((text_with_urls(card.front), back, " ".join(tag_word(t) for t in card.tags)))
    return rows


def draw(rows: list[tuple[str, str, str]], theme: Theme) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180, what spreadsheet tools expect
    writer.writerow(("front", "back", "tags"))
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")
