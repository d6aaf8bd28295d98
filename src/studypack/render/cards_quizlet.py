"""cards-quizlet.txt: what Quizlet's import box takes: term TAB definition, one card a line, plain text."""

from __future__ import annotations

from studypack.errors import Report
from studypack.inline import text_with_urls
from studypack.model import Pack
from studypack.theme import Theme


def one_line(text: str) -> str:
    """Plain text on one line: Markdown stripped (links keep their address), tabs and line breaks as spaces."""
    return " ".join(text_with_urls(text).split())


def plan(pack: Pack, theme: Theme, report: Report) -> list[str]:
    lines = []
    for card in pack.flashcards():
        definition = one_line(card.back)
        if card.hint:
            definition += f" ({one_line(card.hint)})"
        lines.append(f"{one_line(card.front)}\t{definition}")
    return lines


def draw(lines: list[str], theme: Theme) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")
