"""Typographic quotes and apostrophes for inline Markdown, by the pack's language."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from studypack.inline import plain_text
from studypack.model import Code, Image, Item, Pack, Point, Section, Table

NNBSP = "\u202f"  # narrow no-break space: French puts one inside « »


# (double open, double close, single open, single close) by language; an apostrophe is ’.
QUOTES = {
    "en": ("“", "”", "‘", "’"),
    "fr": ("«" + NNBSP, NNBSP + "»", "“", "”"),
    "de": ("„", "“", "‚", "‘"),
    "ja": ("「", "」", "『", "』"),
    "zh": ("“", "”", "‘", "’"),
    "zh-tw": ("「", "」", "『", "』"),
    "zh-hant": ("「", "」", "『", "』"),
    "ko": ("“", "”", "‘", "’"),
    "es": ("«", "»", "“", "”"),
    "it": ("«", "»", "“", "”"),
    "pt": ("«", "»", "“", "”"),
    "pt-br": ("“", "”", "‘", "’"),
    "ru": ("«", "»", "„", "“"),
    "pl": ("„", "”", "«", "»"),
    "cs": ("„", "“", "‚", "‘"),
    "nl": ("“", "”", "‘", "’"),
    "sv": ("”", "”", "’", "’"),
    "fi": ("”", "”", "’", "’"),
    "da": ("»", "«", "›", "‹"),
    "de-ch": ("«", "»", "‹", "›"),
}
APOSTROPHE = "’"

# Never touched: code spans, link destinations, bare URLs and inline math $…$.
_PROTECTED = re.compile(
    r"(`+)[\s\S]*?\1"  # a code span, closed by as many backticks
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # a link's (destination "title")
    r"|\b(?:https?|ftp)://[^\s<>]*[^\s<>.,;:!?)\]'\"]"
    r"|\bwww\.[^\s<>]*[^\s<>.,;:!?)\]'\"]"
    r"|(?<![\\$\w])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)"
)
_OPEN_BEFORE = set("([{<‘“«„‚‹—–-/*_~「『（")  # a quote after these opens
_CLOSE_AFTER = set(".,;:!?)]}>*_~-–—/…、。」』）")  # a quote before these closes


def quotes_for(language: str) -> tuple[str, str, str, str]:
    tag = language.lower().replace("_", "-")
    return QUOTES.get(tag) or QUOTES.get(tag.split("-")[0]) or QUOTES["en"]


@lru_cache(maxsize=65536)
def smarten(text: str, language: str = "en") -> str:
    """Straight quotes and apostrophes made typographic (“ ” ‘ ’ in English, « » with narrow
    no-break spaces in French, „ “ in German, 「」 in Japanese, …), outside code, URLs and math."""
    if (
        "'" not in text
        and '"' not in text
        and not (language.lower().startswith("fr") and ("«" in text or "»" in text))
    ):
        return text
    quotes = quotes_for(language)
    out: list[str] = []
    open_quotes = {'"': 0, "'": 0}
    at = 0
    for m in _PROTECTED.finditer(text):
        out.append(_smarten_free(text, at, m.start(), quotes, open_quotes))
        out.append(m.group())
        at = m.end()
    out.append(_smarten_free(text, at, len(text), quotes, open_quotes))
    result = "".join(out)
    if quotes[0].startswith("«" + NNBSP):  # typed « mot » or «mot»: one narrow space inside
        result = re.sub(r"«[ \u00a0\u202f]*", "«" + NNBSP, result)
        result = re.sub(r"[ \u00a0\u202f]*»", NNBSP + "»", result)
    return result


def _smarten_free(
    text: str, start: int, end: int, quotes: tuple[str, ...], open_quotes: dict[str, int]
) -> str:
    """text[start:end] smartened; neighbours outside the slice still decide open or close."""
    out: list[str] = []
    for i in range(start, end):
        ch = text[i]
        if ch not in "'\"":
            out.append(ch)
            continue
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        double = ch == '"'
        opening, closing = (quotes[0], quotes[1]) if double else (quotes[2], quotes[3])
        if not double and before.isalnum() and after.isalnum() and before < "\u2e80":
            out.append("′" if before.isdigit() and after.isdigit() else APOSTROPHE)  # don't, 5′10
            continue
        if not double and re.match(r"\d\ds\b", text[i + 1 : i + 5]):
            out.append(APOSTROPHE)  # the '90s
            continue
        opens = (not before or before.isspace() or before in _OPEN_BEFORE) and bool(after)
        closes = bool(before) and (not after or after.isspace() or after in _CLOSE_AFTER)
        if opens and not after.isspace() and not (closes and open_quotes[ch]):
            open_quotes[ch] += 1
            out.append(opening)
        elif open_quotes[ch]:
            open_quotes[ch] -= 1
            out.append(closing)
        elif double and before.isdigit():
            out.append("″")  # 12″: inches, no quote open
        elif not double and before.isdigit():
            out.append("′")
        elif not double and before < "\u2e80":
            out.append(APOSTROPHE)  # students' books, rock 'n' roll
        elif double and before.isspace() and after.isspace() and not quotes[0].startswith("«"):
            out.append(ch)  # a lone mark, quoting nothing (French may space its quotes: " mot ")
        elif opens or not closes:  # also between letters, as in CJK text without spaces
            open_quotes[ch] += 1
            out.append(opening)
        else:
            out.append(closing)
    return "".join(out)


def smarten_pack(pack: Pack) -> Pack:
    """The pack with every inline text smartened in its language (code blocks and math as
    typed). A card or term keeps its study-app identity: its front as typed stands as its id."""
    lang = pack.language

    def s(text: str | None) -> str | None:
        return None if text is None else smarten(text, lang)

    def item(it: Item) -> Item:
        if isinstance(it, Point):
            return replace(
                it, text=smarten(it.text, lang), children=tuple(item(c) for c in it.children)
            )  # type: ignore[misc]
        if isinstance(it, Table):
            return replace(it, header=tuple(smarten(h, lang) for h in it.header), caption=s(it.caption),
                           rows=tuple(tuple(smarten(c, lang) for c in row) for row in it.rows))  # fmt: skip
        if isinstance(it, Image):
            return replace(it, alt=smarten(it.alt, lang), caption=s(it.caption))
        if isinstance(it, Code):
            return replace(it, caption=s(it.caption))
        return it  # Math: LaTeX

    def section(sec: Section) -> Section:
        return replace(
            sec, title=smarten(sec.title, lang), summary=s(sec.summary), notes=s(sec.notes),
            points=tuple(item(p) for p in sec.points),
            image=item(sec.image) if sec.image is not None else None,  # type: ignore[arg-type]
            sections=tuple(section(sub) for sub in sec.sections),
        )  # fmt: skip

    def identity(front: str, ident: str | None) -> str | None:
        return (
            ident
            if ident is not None or smarten(front, lang) == front
            else plain_text(front).strip()
        )

    glossary = tuple(
        replace(t, term=smarten(t.term, lang), definition=smarten(t.definition, lang),
                see=tuple(smarten(x, lang) for x in t.see), id=identity(t.term, t.id))
        for t in pack.glossary
    )  # fmt: skip
    cards = tuple(
        replace(c, front=smarten(c.front, lang), back=smarten(c.back, lang), hint=s(c.hint),
                id=identity(c.front, c.id))
        for c in pack.cards
    )  # fmt: skip
    return replace(
        pack, title=smarten(pack.title, lang), subtitle=s(pack.subtitle), course=s(pack.course),
        author=s(pack.author), overview=s(pack.overview), glossary=glossary, cards=cards,
        sections=tuple(section(sec) for sec in pack.sections),
    )  # fmt: skip
