"""markdown-it tokens -> outline blocks: pipe tables, fenced code, $$ math, images."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from studypack.errors import Report, Span
from studypack.load.outline import OCode, OImage, OMath, OTable

_IMAGE = re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\s*(?:\((?:[^()]|\([^)]*\))*\)|\[[^\]]*\])")
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
# Marp's image keywords ("w:300", "bg left", "sepia") sit in the alt text; they describe nothing.
_MARP_WORDS = re.compile(
    r"(?:^|\s)(?:(?:w|h|width|height|blur|brightness|contrast|drop-shadow|grayscale|hue-rotate|invert|opacity|saturate|sepia):\S+|bg|left|right|contain|cover|fit|auto|vertical|sepia|grayscale|blur|invert)(?=\s|$)",
    re.IGNORECASE,
)


def _line(tok: Token) -> int:
    return tok.map[0] + 1 if tok.map else 0


def _cell_text(content: str) -> str:
    return re.sub(r"[ \t]*\\?\n[ \t]*", " ", content).strip()


def read_table(tokens: list[Token], i: int) -> tuple[OTable, int]:
    """The table opening at tokens[i] and the index just past its close."""
    line = _line(tokens[i])
    header: list[str] = []
    rows: list[list[str]] = []
    align: list[str] = []
    row: list[str] | None = None
    in_head = False
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and row is not None:
            if in_head:
                header = row
            else:
                rows.append(row)
        elif tok.type == "th_open":
            m = _ALIGN.search(str(tok.attrs.get("style", "")))
            align.append(m.group(1) if m else "left")
        elif tok.type == "inline" and row is not None:
            row.append(_cell_text(tok.content))
        i += 1
    return OTable(header, rows, line, 1, align), i + 1


def code_block(tok: Token) -> OCode:
    info = tok.info.strip().split() if tok.type == "fence" else []
    language = info[0].strip("{}.") if info else None
    return OCode(tok.content, language or None, _line(tok), 1)


def math_block(tok: Token) -> OMath | None:
    """A paragraph that is `$$ … $$` (display math), else None."""
    text = tok.content.strip()
    if len(text) > 4 and text.startswith("$$") and text.endswith("$$") and "$$" not in text[2:-2]:
        return OMath(text[2:-2].strip(), _line(tok), 1)
    return None


def without_images(content: str) -> str:
    """Inline Markdown with its image references taken out."""
    return _IMAGE.sub("", content) if "![" in content else content


def images_of(
    tok: Token, base: Path, path: str, report: Report, col: Callable[[int, str], int]
) -> list[OImage]:
    """The images an inline token holds, resolved against the Markdown file's folder."""
    out: list[OImage] = []
    line = _line(tok)
    for child in tok.children or ():
        if child.type != "image":
            continue
        src = str(child.attrs.get("src") or "")
        where = Span(path, line, col(line, src) if src else 1)
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
            report.warning(
                where,
                f"image '{src}' is not a local file; not imported (download it next to the Markdown)",
            )
            continue
        file = (base / unquote(src.split("#", 1)[0].split("?", 1)[0])).resolve() if src else None
        alt = child.content.strip()
        if re.match(r"^(?:[wh]|width|height|bg)\b:?", alt, re.IGNORECASE):
            alt = _MARP_WORDS.sub(" ", alt).strip()
        out.append(OImage(alt, where.line, where.col, file, None, src or "image"))
    return out
