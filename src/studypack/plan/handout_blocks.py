"""Handout plan of content blocks: tables, code listings and equations, and caption numbering.

Pure: which caption gets which number, in the pack's language; never measures or draws.
"""

from __future__ import annotations

from dataclasses import dataclass

from studypack.errors import Span
from studypack.model import Code, Image, Math, Pack, Table

# Caption words by the primary language subtag; English when we have no translation.
CAPTION_WORDS: dict[str, dict[str, str]] = {
    "en": {"figure": "Figure", "table": "Table", "listing": "Listing"},
    "de": {"figure": "Abbildung", "table": "Tabelle", "listing": "Listing"},
    "fr": {"figure": "Figure", "table": "Tableau", "listing": "Code"},
    "es": {"figure": "Figura", "table": "Tabla", "listing": "Código"},
    "pt": {"figure": "Figura", "table": "Tabela", "listing": "Código"},
    "it": {"figure": "Figura", "table": "Tabella", "listing": "Codice"},
    "nl": {"figure": "Figuur", "table": "Tabel", "listing": "Code"},
    "ja": {"figure": "図", "table": "表", "listing": "コード"},
    "zh": {"figure": "图", "table": "表", "listing": "代码"},
    "ko": {"figure": "그림", "table": "표", "listing": "코드"},
}


@dataclass(frozen=True)
class TableBlock:
    header: tuple[str, ...]  # inline Markdown cells
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...]  # one of left/center/right for every column
    caption: str | None  # inline Markdown, already labelled ("**Table 2:** …")
    span: Span


@dataclass(frozen=True)
class CodeBlock:
    text: str  # lines joined by "\n", tabs expanded
    language: str | None  # a Pygments lexer alias; None = plain
    caption: str | None  # inline Markdown, already labelled
    span: Span


@dataclass(frozen=True)
class MathBlock:
    latex: str
    alt: str | None
    span: Span


def uses_blocks(pack: Pack) -> bool:
    """Whether any section holds a block: such a handout numbers every caption, figures included."""
    return any(
        isinstance(p, (Table, Code, Math, Image)) for _, s in pack.all_sections() for p in s.points
    )


class Numbering:
    """Caption labels numbered across the handout, one counter per kind ("Table 1", "Figure 3").

    A pack without blocks keeps its captions as written: its handout stays the one it was.
    """

    def __init__(self, language: str, on: bool):
        self.words = CAPTION_WORDS.get(language.split("-")[0].lower(), CAPTION_WORDS["en"])
        self.on = on
        self.counts: dict[str, int] = {}

    def caption(self, kind: str, caption: str | None) -> str | None:
        """caption with its numbered label in front; uncaptioned blocks are not numbered."""
        if caption is None or not self.on:
            return caption
        n = self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"**{self.words[kind]} {n}:** {caption}"


def table_block(table: Table, numbers: Numbering) -> TableBlock:
    align = tuple(table.alignment(c) for c in range(len(table.header)))
    return TableBlock(
        table.header, table.rows, align, numbers.caption("table", table.caption), table.span
    )


def code_block(code: Code, numbers: Numbering) -> CodeBlock:
    return CodeBlock(code.text, code.language, numbers.caption("listing", code.caption), code.span)


def math_block(math: Math) -> MathBlock:
    return MathBlock(math.latex, math.alt, math.span)
