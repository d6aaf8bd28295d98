"""An equation as plain Unicode text where it maps simply (`v_0` → v₀, `\\alpha` → α, `x^2` →
x², `\\bar{v}` → v̄), for text that cannot hold an equation: slide titles, speaker notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree

from studypack.inline import plain_text

if TYPE_CHECKING:  # the engine loads only for text that holds math
    from studypack.math.formula import Formula

_SUB = dict(zip("0123456789+−-=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ"))
_SUP = dict(
    zip("0123456789+−-=()abcdefghijklmnoprstuvwxyz′", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ′")
)
_ACCENT = {"¯": "\u0304", "‾": "\u0305", "→": "\u20d7", "^": "\u0302", "ˆ": "\u0302",
           "˙": "\u0307", "¨": "\u0308", "~": "\u0303", "˜": "\u0303", "ˇ": "\u030c"}  # fmt: skip
_SPACED = set("=+−±∓×÷<>≤≥≠≈≡∝→⇒⇔∈")  # infix operators read with a space either side


class _NotSimple(Exception):
    """The equation has a part plain text cannot show (a fraction of sums, a matrix, …)."""


def unicode_text(formula: Formula) -> str | None:
    """The equation as one line of Unicode text, or None when it does not map simply."""
    try:
        return " ".join(_text(formula.tree()).split())
    except _NotSimple:
        return None


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _text(el: etree._Element) -> str:
    kind = _local(el)
    kids = [k for k in el if _local(k) not in ("annotation", "annotation-xml")]
    if kind in ("mi", "mn", "mtext"):
        return el.text or ""
    if kind == "mo":
        op = (el.text or "").strip()
        infix = op in _SPACED and el.get("form") != "prefix"
        return f" {op} " if infix else op
    if kind == "mspace":
        return " "
    if kind in ("math", "mrow", "mstyle", "semantics", "mpadded"):
        return "".join(_text(k) for k in kids)
    if kind in ("msub", "msup") and len(kids) == 2:
        base, script = _text(kids[0]), _text(kids[1]).replace(" ", "")
        table = _SUB if kind == "msub" else _SUP
        if not base or not script or any(ch not in table for ch in script):
            raise _NotSimple
        return base + "".join(table[ch] for ch in script)
    if kind == "mover" and len(kids) == 2:
        base, mark = _text(kids[0]), (kids[1].text or "").strip()
        if len(base) != 1 or mark not in _ACCENT:
            raise _NotSimple
        return base + _ACCENT[mark]
    if kind == "mfrac" and len(kids) == 2:  # a/b, (a + b)/2
        top, bottom = _text(kids[0]).strip(), _text(kids[1]).strip()
        if "/" in top + bottom:
            raise _NotSimple  # a fraction of fractions reads badly on one line
        return f"{_grouped(top)}/{_grouped(bottom)}"
    if kind == "msqrt":
        inner = "".join(_text(k) for k in kids)
        if not _atom(inner):
            raise _NotSimple
        return f"√{inner}"
    raise _NotSimple


def _grouped(text: str) -> str:
    return text if _atom(text) else f"({text})"


def _atom(text: str) -> bool:
    return bool(text) and " " not in text.strip() and not any(ch in "+−-/" for ch in text)


def readable(
    text: str, otherwise: str = "latex", markdown: Callable[[str], str] | None = None
) -> str:
    """Text with each `$…$` as Unicode text where it maps simply, else as its spoken form
    (`otherwise="spoken"`) or its LaTeX without the dollars. `markdown` (e.g. plain_text) is
    applied to the text around the equations, read whole so marks may enclose an equation.

    Text without math never imports the math engine."""
    from studypack.math.inline import InlineMath, split_inline

    pieces = split_inline(text) if "$" in text else [text]
    if not any(isinstance(p, InlineMath) for p in pieces):
        return markdown(text) if markdown else text
    from studypack.errors import Report, Span
    from studypack.math.formula import parse
    from studypack.math.speech import spoken

    shown: list[str] = []
    for piece in pieces:
        if isinstance(piece, InlineMath):
            formula = parse(piece.latex, Span("math"), Report())  # checked when the pack loaded
            form = unicode_text(formula) if formula is not None else None
            if form is None:
                form = spoken(formula) if formula and otherwise == "spoken" else piece.latex
            shown.append(form)
    # Each equation stands in as a private-use character while the Markdown is read.
    marked, k = [], 0
    for piece in pieces:
        if isinstance(piece, InlineMath):
            marked.append(chr(_HOLDER + k))
            k += 1
        else:
            marked.append(piece)
    read = markdown("".join(marked)) if markdown else "".join(marked)
    return "".join(
        shown[ord(ch) - _HOLDER] if _HOLDER <= ord(ch) < _HOLDER + len(shown) else ch for ch in read
    )


_HOLDER = 0xF0000  # supplementary private use area: never in a pack's text


def plain_readable(text: str) -> str:
    """Inline Markdown as plain text with each equation readable (Unicode, else spoken): for
    titles in headers, labels, file metadata and study-app deck names."""
    return readable(text, "spoken", markdown=plain_text)

