"""Card text as study-app field HTML (Anki's note fields, the CSV it imports): light, so the CSV
output does not import genanki."""

from __future__ import annotations

import html

from studypack.inline import parse_inline, wrap_run
from studypack.math import InlineMath, lone_equation, split_inline

ANKI_MATH = ("\\(", "\\)")  # what Anki's MathJax reads as inline math
ANKI_DISPLAY = ("\\[", "\\]")  # and as display math: a field that is one equation
SOURCE_MATH = ("$", "$")  # the pack's own marks: the LaTeX source as written


def to_html(text: str, math: tuple[str, str] = ANKI_MATH) -> str:
    """Inline Markdown as Anki field HTML; everything else escaped, so `<b>` shows as typed.
    Inline `$…$` math is its LaTeX between `math` marks (Anki's `\\(…\\)` by default); a field
    that is one equation and nothing else is display math for Anki (`\\[…\\]`), as the
    flashcards set it."""
    lone = lone_equation(text) if math == ANKI_MATH and "$" in text else None
    if lone is not None:
        return f"{ANKI_DISPLAY[0]}{html.escape(lone.latex, quote=False)}{ANKI_DISPLAY[1]}"
    if "$" in text:
        pieces = split_inline(text)
        if any(isinstance(p, InlineMath) for p in pieces):
            return "".join(
                f"{math[0]}{html.escape(p.latex, quote=False)}{math[1]}"
                if isinstance(p, InlineMath)
                else _markdown_html(p)
                for p in pieces
            )
    return _markdown_html(text)


def _markdown_html(text: str) -> str:
    return "".join(
        wrap_run(
            r,
            html.escape(r.text, quote=False),
            ("<code>", "</code>"),
            lambda h: f'<a href="{html.escape(h)}">',
        )
        for r in parse_inline(text)
    )
