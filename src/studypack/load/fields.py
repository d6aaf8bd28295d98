"""Checks every source applies to a pack's fields: language tags, dates, characters."""

from __future__ import annotations

import datetime as dt
import re

from studypack.inline import refused_links

LATEST_YEAR = 2107
MAX_TEXT_CHARS = 60_000  # one point, summary or note (~10 pages); longer cannot be laid out in useful time


def cut_long_text(text: str) -> tuple[str, int | None]:
    """(text, None), or the text cut at a word boundary before MAX_TEXT_CHARS and its length."""
    if len(text) <= MAX_TEXT_CHARS:
        return text, None
    head = text[:MAX_TEXT_CHARS]
    space = head.rfind(" ", MAX_TEXT_CHARS // 2)
    return (head[:space] if space > 0 else head).rstrip() + "…", len(text)


def link_warnings(text: str) -> list[str]:
    """A warning for each link shown as plain text (not http, https or mailto)."""
    if "](" not in text:  # the usual case, and the fast one
        return []
    return [
        f"link to '{target}' is shown as plain text: only http, https and mailto links are kept"
        for target in refused_links(text)
    ]


def cut_message(length: int) -> str:
    return f"text is {length} characters long; cut to {MAX_TEXT_CHARS} (split it into several points)"


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
# Characters XML 1.0 cannot hold (PPTX is XML; PDF text extraction chokes on them too).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def language_problem(raw: str) -> str | None:
    """What is wrong with a language tag; None when it is a BCP 47 tag."""
    if _LANGUAGE_TAG.match(raw):
        return None
    return f"'{raw}' is not a BCP 47 language tag (e.g. en, ja, pt-BR)"


def parse_date(raw: str) -> tuple[dt.date | None, str | None]:
    """(the date, None) for a YYYY-MM-DD text, else (None, what is wrong with it)."""
    try:
        date = dt.date.fromisoformat(raw)
    except ValueError:
        return None, f"'{raw}' is not a date (YYYY-MM-DD)"
    if date.year > LATEST_YEAR:
        return None, f"'{raw}' is after {LATEST_YEAR}, the last year zip files (.pptx, .apkg) can record"
    return date, None


def clean_text(text: str) -> tuple[str, list[str]]:
    """Text without characters documents cannot hold, and the dropped ones named like "U+0007"."""
    if _XML_FORBIDDEN.search(text) is None:  # the usual case, and the fast one
        return text, []
    dropped = [f"U+{ord(c):04X}" for c in _XML_FORBIDDEN.findall(text)]
    return _XML_FORBIDDEN.sub("", text), dropped


def dropped_message(dropped: list[str]) -> str:
    """The warning for the characters clean_text dropped."""
    names = ", ".join(sorted(set(dropped)))
    return f"dropped {len(dropped)} control character(s) ({names}) that documents cannot hold"
