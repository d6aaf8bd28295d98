"""Inline Markdown (**bold**, *italic*, `code`, [text](url)) -> styled runs.

Everything else is literal text: HTML and entities are not recognised, and a backslash only
escapes a Markdown mark, so `<b>`, `&amp;` and `C:\\Users` come out exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from studypack.math.inline import InlineMath, split_inline  # pure text: no math engine


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


_md = MarkdownIt("zero").enable(["emphasis", "backticks", "link", "escape"])
# A backslash escapes only Markdown's own marks (\* \_ \` \[ \]) and the math mark (\$, a
# literal dollar); anywhere else it is literal, so Windows paths and `\\server` survive. We
# double the other backslashes before parsing. Code spans take no escapes: `\$` stays as typed.
_MARKUP = re.compile(r"[*_`\[\\\r]")  # anything that may not be a plain run
_LITERAL_BACKSLASH = re.compile(r"\\(?![*_`\[\]$])")


LINK_SCHEMES = ("http", "https", "mailto")  # any other link (file:, smb:, #intro, ../x) is text
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def link_allowed(href: str) -> bool:
    scheme = _SCHEME.match(href.strip())
    return scheme is not None and scheme.group(1).lower() in LINK_SCHEMES


def refused_links(text: str) -> tuple[str, ...]:
    """The link targets in a text that are shown as plain text: not http, https or mailto."""
    return _parse(text)[1]


def parse_inline(text: str) -> tuple[Run, ...]:
    """Runs of a text; adjacent runs of equal style are merged; line breaks become spaces."""
    return _parse(text)[0]


@lru_cache(maxsize=65536)
def _parse(text: str) -> tuple[tuple[Run, ...], tuple[str, ...]]:
    if not _MARKUP.search(text):  # most text has no Markdown at all
        return ((Run(text.replace("\n", " ")),) if text else ()), ()
    refused: list[str] = []
    tokens = _md.parseInline(_LITERAL_BACKSLASH.sub(r"\\\\", text))
    children = tokens[0].children or [] if tokens else []
    runs: list[Run] = []
    bold = italic = 0
    href: list[str | None] = []
    for tok in children:
        if tok.type == "strong_open":
            bold += 1
        elif tok.type == "strong_close":
            bold -= 1
        elif tok.type == "em_open":
            italic += 1
        elif tok.type == "em_close":
            italic -= 1
        elif tok.type == "link_open":
            target = str(tok.attrs.get("href", ""))
            if not link_allowed(target):
                refused.append(target)
            href.append(target if link_allowed(target) else None)
        elif tok.type == "link_close":
            href.pop()
        else:
            if tok.type in ("softbreak", "hardbreak"):
                content, code = " ", False
            else:
                content, code = tok.content.replace("\n", " "), tok.type == "code_inline"
                if code:  # code spans take no escapes: undo our doubling
                    content = content.replace("\\\\", "\\")
            if not content:
                continue
            run = Run(content, bold > 0, italic > 0, code, href[-1] if href else None)
            if runs and _same_style(runs[-1], run):
                runs[-1] = Run(runs[-1].text + content, run.bold, run.italic, run.code, run.href)
            else:
                runs.append(run)
    return tuple(runs), tuple(refused)


def _same_style(a: Run, b: Run) -> bool:
    return (a.bold, a.italic, a.code, a.href) == (b.bold, b.italic, b.code, b.href)


_MARKS = re.compile(r"([`*_\[\]$])")  # what a backslash escapes


def escape_markdown(text: str) -> str:
    """Plain text that parse_inline reads back as itself."""
    return _MARKS.sub(r"\\\1", text)


def plain_text(text: str) -> str:
    """The text a reader sees, without Markdown syntax (CSV, Anki, metadata, outlines)."""
    return "".join(r.text for r in parse_inline(text))


def wrap_run(run: Run, body: str, code: tuple[str, str], link_open: Callable[[str], str]) -> str:
    """A run's (already escaped) text inside the tags its style needs: Anki HTML and reportlab
    paragraph markup share <i>, <b> and </a>; each brings its own code tags and link opener."""
    if run.code:
        body = f"{code[0]}{body}{code[1]}"
    if run.italic:
        body = f"<i>{body}</i>"
    if run.bold:
        body = f"<b>{body}</b>"
    if run.href is not None:
        body = f"{link_open(run.href)}{body}</a>"
    return body


def text_with_urls(text: str) -> str:
    """Plain text where a link keeps its address, "text (https://…)": for exports without markup."""
    return "".join(
        f"{r.text} ({r.href})" if r.href and r.href != r.text else r.text for r in parse_inline(text)
    )


def runs_with_math(text: str, math_run: Callable[[str], Run]) -> tuple[Run, ...]:
    """Inline Markdown as runs, each `$…$` (pandoc's rule) the run `math_run(latex)` makes;
    math is split off first, so `_` and `*` inside it are not emphasis; `\\$` is a dollar."""
    if "$" not in text:
        return parse_inline(text)
    pieces = split_inline(text)
    if not any(isinstance(p, InlineMath) for p in pieces):
        return parse_inline(text)
    runs: list[Run] = []
    for piece in pieces:
        if isinstance(piece, InlineMath):
            runs.append(math_run(piece.latex))
        else:
            runs.extend(parse_inline(piece))
    return tuple(runs)
