"""Every equation of a pack: display blocks and inline `$…$` in any text, each parsed (errors
located where the equation was written)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from studypack.errors import Report, Span
from studypack.math import InlineMath, lone_equation, split_inline
from studypack.model import Math, Pack

if TYPE_CHECKING:
    from studypack.math import Formula


def check_equations(pack: Pack, report: Report) -> None:
    """LaTeX that does not parse is an error where it was written (the math libraries are
    imported only when the pack has an equation)."""
    for latex, span, display in equations(pack):
        _parse(latex, span, report, display)


def formulas(pack: Pack) -> list[tuple[Formula, bool]]:
    """Every equation that parses, with whether it is a display equation (a block)."""
    found = ((_parse(latex, span, Report(), display), display) for latex, span, display in equations(pack))
    return [(formula, display) for formula, display in found if formula is not None]


def equations(pack: Pack) -> Iterator[tuple[str, Span, bool]]:
    """(LaTeX, where it was written, whether it is a display equation) for every equation."""
    for span, text in pack.texts():
        if "$" not in text:
            continue
        for piece in split_inline(text):
            if isinstance(piece, InlineMath):
                yield piece.latex, _shifted(span, piece.offset + 1), False
    for _, section in pack.all_sections():
        for item in section.points:
            if isinstance(item, Math):
                yield item.latex, item.span, True
    # A flashcard face that is one equation is set in display style (glossary terms make cards too).
    faces = [(c.span, text) for c in pack.cards for text in (c.front, c.back)]
    faces += [(t.span, text) for t in pack.glossary for text in (t.term, t.definition)]
    for span, text in faces:
        lone = lone_equation(text) if "$" in text else None
        if lone is not None:
            yield lone.latex, _shifted(span, lone.offset + 1), True


def _parse(latex: str, span: Span, report: Report, display: bool) -> Formula | None:
    from studypack.math import parse

    return parse(latex, span, report, display)


def _shifted(span: Span, columns: int) -> Span:
    """Where a piece `columns` characters into a one-line text at `span` stands."""
    return Span(span.path, span.line, span.col + columns) if span.line else span
