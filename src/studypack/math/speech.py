"""Alternate text for an equation, read aloud from its MathML ("fraction a over b", "x squared")."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from studypack.math.formula import Formula

_WORDS = {
    "=": "equals", "+": "plus", "−": "minus", "-": "minus", "±": "plus or minus",
    "∓": "minus or plus", "×": "times", "·": "dot", "∗": "times",
    "÷": "divided by", "/": "over", "⋅": "dot", "<": "is less than", ">": "is greater than",
    "≤": "is less than or equal to", "≥": "is greater than or equal to", "≠": "is not equal to",
    "≈": "is approximately equal to", "≡": "is equivalent to", "∝": "is proportional to",
    "∼": "is similar to", "→": "tends to", "⇒": "implies", "⇔": "if and only if",
    "∈": "in", "∉": "not in", "⊂": "subset of", "⊆": "subset of or equal to", "∪": "union",
    "∩": "intersection", "∞": "infinity", "∂": "partial", "∇": "nabla", "′": "prime",
    "″": "double prime", "…": "dot dot dot", "⋯": "dot dot dot", "(": "open paren",
    ")": "close paren", "[": "open bracket", "]": "close bracket", "{": "open brace",
    "}": "close brace", "⟨": "open angle bracket", "⟩": "close angle bracket",
    "|": "vertical bar", "‖": "double vertical bar", ",": ",", "!": "factorial", "%": "percent",
    "∑": "sum", "∏": "product", "∫": "integral", "∬": "double integral", "∭": "triple integral",
    "∮": "contour integral", "ℏ": "h bar", "∀": "for all", "∃": "there exists", "∅": "empty set",
    "°": "degrees", "∠": "angle", "⊥": "perpendicular to", "∥": "parallel to",
}  # fmt: skip
_ACCENTS = {
    "^": "hat", "ˆ": "hat", "→": "vector", "⃗": "vector", "˙": "dot", "¨": "double dot",
    "~": "tilde", "˜": "tilde", "¯": "bar", "―": "bar", "‾": "bar", "ˇ": "check",
}  # fmt: skip
_ORDINALS = {"2": "squared", "3": "cubed"}
_PRIMES = {"′": "prime", "″": "double prime", "‴": "triple prime", "'": "prime"}
_ROOTS = {"2": "square root", "3": "cube root", "4": "fourth root", "5": "fifth root"}
_LIMITS = {"lim": "limit", "max": "maximum", "min": "minimum", "sup": "supremum", "inf": "infimum"}
_LETTERS = {"lamda": "lambda"}  # Unicode's spelling of the Greek letter's name


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
            letter = _LETTERS.get(letter, letter)
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
    if tag == "mfrac" and el.get("linethickness") in ("0", "0pt", "0em"):
        return f"{_say(kids[0])} above {_say(kids[1])}"
    if tag == "mfrac":
        return f"fraction {_say(kids[0])} over {_say(kids[1])}, end fraction"
    if tag == "msqrt":
        return f"square root of {_join(kids)}, end root"
    if tag == "mroot":
        index = _say(kids[1])
        name = _ROOTS.get(index, f"root of index {index}")
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
    words = []
    i = 0
    while i < len(kids):
        if _is_binomial(kids[i : i + 3]):  # ( n over k, no rule ) is "n choose k"
            frac = [k for k in kids[i + 1] if _local(k)]
            words.append(f"{_say(frac[0])} choose {_say(frac[1])}")
            i += 3
            continue
        words.append(_say(kids[i]))
        i += 1
    return " ".join(words)


def _is_binomial(kids: list[etree._Element]) -> bool:
    return (
        len(kids) == 3
        and [_local(k) for k in kids] == ["mo", "mfrac", "mo"]
        and (kids[0].text, kids[2].text) == ("(", ")")
        and kids[1].get("linethickness") in ("0", "0pt", "0em")
    )


def _scripts(tag: str, kids: list[etree._Element]) -> str:
    base = _say(kids[0])
    if tag == "mover" and "".join(kids[1].itertext()) in _ACCENTS:
        return f"{base} {_ACCENTS[''.join(kids[1].itertext())]}"
    if tag in ("munder", "mover") and "".join(kids[1].itertext()) in "⏟⏞":
        return f"{base}"
    if tag == "msup" and "".join(kids[1].itertext()) in _PRIMES:
        return f"{base} {_PRIMES[''.join(kids[1].itertext())]}"
    big = "".join(kids[0].itertext()) in "∑∏∫∬∭∮" and _local(kids[0]) == "mo"
    lower = _say(kids[1]) if tag in ("msub", "msubsup", "munder", "munderover") else None
    upper_el = kids[-1] if tag in ("msup", "msubsup", "mover", "munderover") else None
    upper = _say(upper_el) if upper_el is not None else None
    if big or base in _LIMITS:
        if big:
            words = base + (f" from {lower}" if lower else "")
        else:
            over = " as" if base == "lim" else " over"
            words = _LIMITS[base] + (f"{over} {lower}" if lower else "")
        if upper:
            words += f" to {upper}"
        return words + " of"
    words = base
    if lower:
        words += f" sub {lower}"
    if upper:
        plain = "".join(upper_el.itertext())
        words += (
            f" {_ORDINALS[plain]}" if plain in _ORDINALS else f" to the power {upper}, end power"
        )
    return words
