"""Alternate text for an equation, read aloud from its MathML ("fraction a over b", "x squared")."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from studypack.math.formula import Formula

_WORDS = {
    "=": "equals", "+": "plus", "−": "minus", "-": "minus", "±": "plus or minus",
    "∓": "minus or plus", "×": "times", "⋅": "times", "·": "times", "∗": "times",
    "÷": "divided by", "/": "over", "<": "is less than", ">": "is greater than",
    "≤": "is less than or equal to", "≥": "is greater than or equal to", "≠": "is not equal to",
    "≈": "is approximately equal to", "≡": "is equivalent to", "∝": "is proportional to",
    "∼": "is similar to", "→": "tends to", "⇒": "implies", "⇔": "if and only if",
    "∈": "in", "∉": "not in", "⊂": "subset of", "⊆": "subset of or equal to", "∪": "union",
    "∩": "intersection", "∞": "infinity", "∂": "partial", "∇": "nabla", "′": "prime",
    "″": "double prime", "…": "dot dot dot", "⋯": "dot dot dot", "(": "open paren",
    ")": "close paren", "[": "open bracket", "]": "close bracket", "{": "open brace",
    "}": "close brace", "|": "vertical bar", ",": ",", "!": "factorial", "%": "percent",
    "∑": "sum", "∏": "product", "∫": "integral", "∬": "double integral", "∭": "triple integral",
    "∮": "contour integral", "ℏ": "h bar", "∀": "for all", "∃": "there exists", "∅": "empty set",
    "°": "degrees", "∠": "angle", "⊥": "perpendicular to", "∥": "parallel to",
}  # fmt: skip
_ACCENTS = {
    "^": "hat", "ˆ": "hat", "→": "vector", "⃗": "vector", "˙": "dot", "¨": "double dot",
    "~": "tilde", "˜": "tilde", "¯": "bar", "―": "bar", "‾": "bar", "ˇ": "check",
}  # fmt: skip
_ORDINALS = {"2": "squared", "3": "cubed"}


def spoken(formula: Formula) -> str:
    """A plain-English reading of the equation, for alt text when the author gave none."""
    text = _say(formula.tree())
    return re.sub(r"\s+", " ", text.replace(" ,", ",")).strip()


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _token(text: str) -> str:
    if text in _WORDS:
        return _WORDS[text]
    words = []
    for ch in text:
        if ch in _WORDS:
            words.append(_WORDS[ch])
            continue
        plain = unicodedata.normalize("NFKC", ch)
        name = unicodedata.name(ch, "")
        if "GREEK" in name:
            letter = name.split("LETTER ")[-1].split(" SYMBOL")[0].lower()
            words.append(f"capital {letter}" if "CAPITAL" in name else letter)
        elif plain != ch:
            words.append(plain)
        else:
            words.append(ch)
    joined = " ".join(words) if len(text) > 1 and not text.isalnum() else "".join(words)
    return joined


def _say(el: etree._Element) -> str:
    tag = _local(el)
    kids = [k for k in el if _local(k)]
    if tag in ("mi", "mn", "mo"):
        return _token("".join(el.itertext()))
    if tag in ("mtext", "ms"):
        return "".join(el.itertext()).replace("\u00a0", " ")
    if tag == "mfrac":
        return f"fraction {_say(kids[0])} over {_say(kids[1])}, end fraction"
    if tag == "msqrt":
        return f"square root of {_join(kids)}, end root"
    if tag == "mroot":
        index = _say(kids[1])
        name = {"3": "cube root", "2": "square root"}.get(index, f"root of index {index}")
        return f"{name} of {_say(kids[0])}, end root"
    if tag in ("msup", "msub", "msubsup", "munder", "mover", "munderover"):
        return _scripts(tag, kids)
    if tag == "mtable":
        rows = [[_say(c) for c in r if _local(c) == "mtd"] for r in kids]
        if el.get("displaystyle") == "true":
            return "; ".join(" ".join(r) for r in rows)
        lines = "; ".join(f"row {i}: " + ", ".join(r) for i, r in enumerate(rows, 1))
        return f"matrix with {len(rows)} rows, {lines}, end matrix"
    if tag == "mspace" or tag == "mphantom":
        return ""
    return _join(kids)


def _join(kids: list[etree._Element]) -> str:
    return " ".join(_say(k) for k in kids)


def _scripts(tag: str, kids: list[etree._Element]) -> str:
    base = _say(kids[0])
    if tag == "mover" and "".join(kids[1].itertext()) in _ACCENTS:
        return f"{base} {_ACCENTS[''.join(kids[1].itertext())]}"
    if tag in ("munder", "mover") and "".join(kids[1].itertext()) in "⏟⏞":
        return f"{base}"
    big = "".join(kids[0].itertext()) in "∑∏∫∬∭∮" and _local(kids[0]) == "mo"
    lower = _say(kids[1]) if tag in ("msub", "msubsup", "munder", "munderover") else None
    upper_el = kids[-1] if tag in ("msup", "msubsup", "mover", "munderover") else None
    upper = _say(upper_el) if upper_el is not None else None
    if big or base in ("lim", "max", "min"):
        words = base
        if lower:
            words += f" from {lower}" if big else f" as {lower}"
        if upper:
            words += f" to {upper}"
        return words + (" of" if big else "")
    words = base
    if lower:
        words += f" sub {lower}"
    if upper:
        plain = "".join(upper_el.itertext())
        words += (
            f" {_ORDINALS[plain]}" if plain in _ORDINALS else f" to the power {upper}, end power"
        )
    return words
