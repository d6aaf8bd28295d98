"""Every equation of a pack parses: display blocks and inline `$…$` in any text, errors located."""

from __future__ import annotations

from studypack.errors import Report, Span
from studypack.math import InlineMath, split_inline
from studypack.model import Math, Pack


def check_equations(pack: Pack, report: Report) -> None:
    """LaTeX that does not parse is an error where it was written (the math libraries are
    imported only when the pack has an equation)."""
    for span, text in pack.texts():
        if "$" not in text:
            continue
        for piece in split_inline(text):
            if isinstance(piece, InlineMath):
                _parse(piece.latex, _shifted(span, piece.offset + 1), report)
    for _, section in pack.all_sections():
        for item in section.points:
            if isinstance(item, Math):
                _parse(item.latex, item.span, report)


def _parse(latex: str, span: Span, report: Report) -> None:
    from studypack.math import parse

    parse(latex, span, report)


def _shifted(span: Span, columns: int) -> Span:
    """Where a piece `columns` characters into a one-line text at `span` stands."""
    return Span(span.path, span.line, span.col + columns) if span.line else span
