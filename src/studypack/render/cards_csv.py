"""cards.csv: UTF-8, header front,back,tags — imports into Anki and Quizlet."""

from __future__ import annotations

import csv
import io

from studypack.errors import Report
from studypack.inline import plain_text
from studypack.model import Pack
from studypack.theme import Theme


def card_rows(pack: Pack) -> list[tuple[str, str, str]]:
    """(front, back, tags) in plain text: glossary terms, then extra cards."""
    rows = []
    for card in pack.flashcards():
        back = plain_text(card.back)
        if card.hint:
            back += "\n\n" + plain_text(card.hint)
        rows.append((plain_text(card.front), back, " ".join(card.tags)))
    return rows


def render(pack: Pack, theme: Theme, report: Report) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180, what spreadsheet tools expect
    writer.writerow(("front", "back", "tags"))
    writer.writerows(card_rows(pack))
    return buf.getvalue().encode("utf-8")
