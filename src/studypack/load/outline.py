"""The intermediate outline both guide readers produce, and the text rules they share."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studypack.labels import LABELS


@dataclass
class OPoint:
    text: str
    line: int
    col: int = 1
    children: list[OPoint] = field(default_factory=list)


@dataclass
class OTable:
    header: list[str]
    rows: list[list[str]]
    line: int
    col: int = 1
    align: list[str] = field(default_factory=list)  # "left" | "center" | "right"; [] = all left


@dataclass
class OCode:
    text: str
    language: str | None
    line: int
    col: int = 1


@dataclass
class OMath:
    latex: str
    line: int
    col: int = 1


@dataclass
class OImage:
    """A picture: a file the source names (`file`) or bytes the source holds (`data`)."""

    alt: str
    line: int
    col: int = 1
    file: Path | None = None  # absolute
    data: bytes | None = None
    name: str = "picture.png"  # what the source calls it (for messages and the copied file)


OBlock = OTable | OCode | OMath | OImage


@dataclass
class OSection:
    title: str
    line: int
    col: int = 1
    summary: list[tuple[str, int, int]] = field(default_factory=list)  # (paragraph, line, col)
    points: list[OPoint | OBlock] = field(default_factory=list)
    sections: list[OSection] = field(default_factory=list)
    notes: list[tuple[str, int, int]] = field(default_factory=list)  # speaker notes


@dataclass
class OTerm:
    term: str
    definition: str
    line: int
    col: int = 1


@dataclass
class Dropped:
    line: int
    kind: str  # "image-carousel line", "copyright footer", ...
    text: str


@dataclass
class Outline:
    """A guide's structure with source lines; texts are inline Markdown already."""

    title: str | None = None
    title_line: int = 0
    meta: dict[str, tuple[str, int]] = field(
        default_factory=dict
    )  # front matter: key -> (value, line)
    overview: list[tuple[str, int, int]] = field(default_factory=list)
    sections: list[OSection] = field(default_factory=list)
    glossary: list[OTerm] = field(default_factory=list)
    glossary_line: int = 0
    glossary_count: int | None = None  # the "(N)" the guide announces
    glossary_language: str | None = None  # "de" when the glossary is headed "Glossar"
    dropped: list[Dropped] = field(default_factory=list)
    expect: str = "heading lines followed by bullet points (•, -, *)"  # when no section is found


# --- web noise ------------------------------------------------------------------------------

_NOISE = (
    ("image-carousel line", re.compile(r"^\s*top images from around the web\b", re.IGNORECASE)),
    # A year or "all rights reserved" is required so a glossary term "Copyright" survives.
    (
        "copyright footer",
        re.compile(
            r"^\s*(?:©|\(c\)|copyright\s*©?)\s*\d{4}|\ball rights reserved\b", re.IGNORECASE
        ),
    ),
    ("trademark footer", re.compile(r"[®™].*\btrademarks?\b|\btrademarks?\b.*[®™]", re.IGNORECASE)),
)


def noise_kind(line: str) -> str | None:
    """What kind of copy-paste noise a line is, or None for content."""
    for kind, pattern in _NOISE:
        if pattern.search(line):
            return kind
    return None


# --- glossary -------------------------------------------------------------------------------

# Glossary headings in the other languages we print, with the language each names: our own
# labels (so a German "## Glossar" or a Japanese "## 用語集" is found) and common synonyms.
_HEADING_LANGUAGE = {
    **{name: lang for lang, words in LABELS.items() if lang != "en" for name in (words.glossary, words.key_terms)},
    "Lexique": "fr", "Vocabulaire": "fr", "Begriffe": "de", "Wortschatz": "de",
    "Vocabulario": "es", "Vocabolario": "it",
}  # fmt: skip
_GLOSSARY_HEADING = re.compile(
    r"^(?:key\s+terms?(?:\s+to\s+(?:review|know))?|glossary|vocabulary|key\s+vocabulary|"
    r"terms\s+to\s+(?:know|review)|definitions|key\s+concepts\s+and\s+terms|"
    + "|".join(
        re.escape(name).replace(r"\ ", r"\s+")
        for name in sorted(_HEADING_LANGUAGE, key=len, reverse=True)
    )
    + r")\s*(?:[(（]\s*(\d+)\s*[)）])?\s*[:：]?$",
    re.IGNORECASE,
)
_LANGUAGE_OF = {" ".join(name.casefold().split()): lang for name, lang in _HEADING_LANGUAGE.items()}


def glossary_heading(text: str) -> tuple[bool, int | None]:
    """(is it a glossary heading, the term count it announces)."""
    m = _GLOSSARY_HEADING.match(strip_emphasis(text).strip())
    if not m:
        return False, None
    return True, int(m.group(1)) if m.group(1) else None


def heading_language(text: str) -> str | None:
    """The language a glossary heading is in ('Glossar' -> 'de'); None for English or unknown."""
    name = re.sub(r"\s*[(（].*$", "", strip_emphasis(text)).strip(" :：")
    return _LANGUAGE_OF.get(" ".join(name.casefold().split()))


def strip_emphasis(text: str) -> str:
    """`**Term**` or `__Term__` or `*Term*` -> `Term` (only when it wraps the whole text)."""
    m = re.fullmatch(r"(\*\*|__|\*|_)(.+?)\1", text.strip())
    return m.group(2).strip() if m else text.strip()


_SEPARATORS = re.compile(r":\s+|\s+[—–]\s+|\s+-\s+|:$")
_BOLD_TERMS = (
    re.compile(r"^(\*\*|__)([^*_]+?):\1\s*(.+)$"),  # **Term:** definition
    re.compile(r"^(\*\*|__)([^*_]+?)\1\s*(?::|[—–]|--?)\s*(.+)$"),  # **Term**: / — definition
)


def plausible_term(text: str) -> bool:
    t = text.strip()
    return (
        0 < len(t) <= 80
        and len(t.split()) <= 10
        and not t.endswith((".", ",", ";", "!", "?"))
        and any(c.isalnum() for c in t)
    )


def split_term(text: str) -> tuple[str, str] | None:
    """`Term: definition` (definition may hold colons), `**Term** — definition`, ... or None."""
    text = text.strip()
    for pattern in _BOLD_TERMS:
        m = pattern.match(text)
        if m and plausible_term(m.group(2)) and m.group(3).strip():
            return m.group(2).strip(), m.group(3).strip()
    for sep in _SEPARATORS.finditer(text):
        term, definition = text[: sep.start()].strip(), text[sep.end() :].strip()
        if plausible_term(term):
            return (strip_emphasis(term), definition) if definition else None
        if len(term) > 80:
            break  # the first plausible split is the only one we take
    return None


def blank_term(text: str) -> str | None:
    """The term of a `Term:` line with nothing after the colon, else None."""
    m = re.fullmatch(r"(.+?)\s*[:：]", strip_emphasis(text))
    if m is None or not plausible_term(m.group(1)):
        return None
    return strip_emphasis(m.group(1))


# --- lost links -----------------------------------------------------------------------------

_FUNCTION_WORDS = r"the|a|an|of|under|by|include|includes|including|and|or|with|to|from|through|via|between|into|like|such as"
_BLANKS = (
    re.compile(r"(?:^|(?<=\s))[,.](?=\s|$)"),  # "The , born from"
    re.compile(r"\(\s*\)|\((?=\s+\S)"),  # "()" or "( SOFA)"
    re.compile(rf"\b(?:{_FUNCTION_WORDS})\s+(\()(?=[^()]*\))", re.IGNORECASE),  # "under (SOFA)"
    re.compile(r"^\("),  # '("2+2" meetings) brings together'
    re.compile(rf"\b(?:{_FUNCTION_WORDS})(\s*)$", re.IGNORECASE),  # "allow limited exercise of"
)


def find_blanks(text: str) -> list[int]:
    """Offsets in `text` where a linked term was probably lost in copying, left to right."""
    found: set[int] = set()
    for pattern in _BLANKS:
        for m in pattern.finditer(text):
            found.add(m.start(m.lastindex) if m.lastindex else m.start())
    return sorted(found)


def snippet(text: str, at: int, width: int = 40) -> str:
    """A short excerpt around offset `at` for a message."""
    start = max(0, at - width // 2)
    end = min(len(text), start + width)
    out = text[start:end].strip()
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")


def nest(
    stack: list[tuple[int, Any]],
    level: int,
    node: Any,
    children: Callable[[Any], list[Any]],
    top: list[Any],
) -> None:
    """Put `node` under the nearest shallower entry of `stack` (its `children` list), or in `top`
    when there is none, and make it the deepest entry: headings in sections, points in points."""
    while stack and stack[-1][0] >= level:
        stack.pop()
    (children(stack[-1][1]) if stack else top).append(node)
    stack.append((level, node))
