"""Pack -> pack.yaml a person can edit: block style, SPEC key order, prose wrapped at 90 columns.

Every scalar is written in the plainest style that YAML reads back to exactly the same text
(checked by parsing it), so what we write loads to the same content.
"""

from __future__ import annotations

import dataclasses
import os
import re
from functools import lru_cache

import yaml

from studypack.errors import Span
from studypack.model import NO_SPAN, Card, Code, Image, Item, Math, Pack, Section, Table, Term

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

WIDTH = 90
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


def write_pack_yaml(pack: Pack, header: str | None = None) -> str:
    """The pack as YAML text; `header` becomes a comment at the top."""
    out: list[str] = [f"# {line}".rstrip() for line in (header or "").splitlines()]
    _key(out, 0, "title", pack.title)
    for key in ("subtitle", "course", "author"):
        _key(out, 0, key, getattr(pack, key))
    _key(out, 0, "date", pack.date.isoformat() if pack.date else None)
    _key(out, 0, "language", pack.language)
    _key(out, 0, "theme", pack.theme)
    _key(out, 0, "overview", pack.overview)
    out += ["", "sections:"]
    for i, section in enumerate(pack.sections):
        if i:
            out.append("")
        _as_item(out, 2, lambda lines, c, s=section: _section(lines, c, s, pack))
    if pack.glossary:
        out += ["", "glossary:"]
        for term in pack.glossary:
            _as_item(out, 2, lambda lines, c, t=term: _term(lines, c, t))
    if pack.cards:
        out += ["", "cards:"]
        for card in pack.cards:
            _as_item(out, 2, lambda lines, c, k=card: _card(lines, c, k))
    return "\n".join(out) + "\n"


def _as_item(out: list[str], col: int, emit) -> None:
    """A mapping emitted at col+2, turned into a list item whose dash sits at `col`."""
    lines: list[str] = []
    emit(lines, col + 2)
    lines[0] = " " * col + "- " + lines[0][col + 2 :]
    out += lines


def _section(out: list[str], col: int, s: Section, pack: Pack) -> None:
    _key(out, col, "title", s.title)
    _key(out, col, "summary", s.summary)
    if s.points:
        out.append(" " * col + "points:")
        _points(out, col + 2, s.points, pack)
    _key(out, col, "notes", s.notes)
    if s.image is not None:
        _image(out, col, s.image, pack)
    if s.sections:
        out.append(" " * col + "sections:")
        for sub in s.sections:
            _as_item(out, col + 2, lambda lines, c, x=sub: _section(lines, c, x, pack))


def _points(out: list[str], col: int, points: tuple[Item, ...], pack: Pack) -> None:
    for p in points:
        if isinstance(p, (Table, Code, Math, Image)):
            _as_item(out, col, lambda lines, c, b=p: _block(lines, c, b, pack))
            continue
        _item(out, col, p.text)
        if p.children:
            # Sub-points are a nested list right after their point: "- - child".
            sub: list[str] = []
            _points(sub, col + 2, p.children, pack)
            sub[0] = " " * col + "- " + sub[0][col + 2 :]
            out += sub


def _block(out: list[str], col: int, b: Table | Code | Math | Image, pack: Pack) -> None:
    """A block as the mapping that stands in a points list (as load/blocks.py reads it)."""
    if isinstance(b, Image):
        _image(out, col, b, pack)
    elif isinstance(b, Code):
        _key(out, col, "code", b.text)
        _key(out, col, "language", b.language)
        _key(out, col, "caption", b.caption)
    elif isinstance(b, Math):
        _key(out, col, "math", b.latex)
        _key(out, col, "alt", b.alt)
    else:
        out.append(" " * col + "table:")
        _key(out, col + 2, "caption", b.caption)
        _items(out, col + 2, "header", b.header)
        out.append(" " * (col + 2) + "rows:")
        for row in b.rows:
            cells: list[str] = []
            for cell in row:
                _item(cells, col + 6, cell)
            cells[0] = " " * (col + 4) + "- " + cells[0][col + 6 :]
            out += cells
        _items(out, col + 2, "align", b.align)


def _image(out: list[str], col: int, image: Image, pack: Pack) -> None:
    out.append(" " * col + "image:")
    rel = os.path.relpath(image.path, pack.root).replace(os.sep, "/")
    _key(out, col + 2, "path", rel)
    _key(out, col + 2, "alt", image.alt)
    _key(out, col + 2, "caption", image.caption)


def _term(out: list[str], col: int, t: Term) -> None:
    _key(out, col, "term", t.term)
    _key(out, col, "definition", t.definition)
    _items(out, col, "see", t.see)


def _card(out: list[str], col: int, c: Card) -> None:
    _key(out, col, "front", c.front)
    _key(out, col, "back", c.back)
    _items(out, col, "tags", c.tags)


def _items(out: list[str], col: int, key: str, values: tuple[str, ...]) -> None:
    if values:
        out.append(" " * col + f"{key}:")
        for value in values:
            _item(out, col + 2, value)


def _key(out: list[str], col: int, key: str, value: str | None) -> None:
    if value is None:
        return
    first, *rest = _scalar(value, col, len(key) + 2)
    out.append(" " * col + f"{key}: {first}")
    out += rest


def _item(out: list[str], col: int, value: str) -> None:
    first, *rest = _scalar(value, col, 2)
    out.append(" " * col + f"- {first}")
    out += rest


def _scalar(value: str, col: int, prefix: int) -> list[str]:
    """Lines of a scalar that starts after `prefix` characters at column `col`; the first
    line holds the text that follows the prefix, the others are whole lines."""
    inner = " " * (col + 2)
    if "\n" in value:
        block = ["|-"] + [inner + line if line else "" for line in value.split("\n")]
        if _reads_back(block, value):
            return block
        return [_double_quoted(value)]
    if col + prefix + len(value) > WIDTH:
        # Long prose: a plain scalar continued on indented lines reads best; a folded block
        # (`>-`) holds text that plain style cannot (leading `**`, `: `, quotes).
        plain = _wrap(value, WIDTH - col - prefix, WIDTH - len(inner))
        if plain is not None:
            lines = [plain[0]] + [inner + line for line in plain[1:]]
            if _reads_back(lines, value):
                return lines
        folded = _wrap(value, WIDTH - len(inner), WIDTH - len(inner))
        if folded is not None:
            block = [">-"] + [inner + line for line in folded]
            if _reads_back(block, value):
                return block
    for candidate in _inline_candidates(value):
        if _reads_back([candidate], value):
            return [candidate]
    return [_double_quoted(value)]


def _inline_candidates(value: str) -> list[str]:
    out = [value]
    if '"' not in value and "\\" not in value:
        out.append(f'"{value}"')
    out.append("'" + value.replace("'", "''") + "'")
    return out


def _double_quoted(value: str) -> str:
    # PyYAML escapes what YAML cannot hold raw (control characters, NEL, line separators).
    text = yaml.dump(value, default_style='"', allow_unicode=True, width=10**9)
    return text.split("\n", 1)[0] if text.count("\n") == 1 else text.rstrip("\n").replace("\n", " ")


def _wrap(value: str, first: int, width: int) -> list[str] | None:
    """Words on lines (the first at most `first` long, then `width`), or None when folding
    could change the text (runs of spaces, tabs, outer white space)."""
    if value != value.strip() or "  " in value or "\t" in value or not value:
        return None
    lines: list[str] = []
    line = ""
    for word in value.split(" "):
        limit = width if lines else first
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


@lru_cache(maxsize=4096)
def _parses(doc: str, scalars_expected: int) -> str | None:
    try:
        events = list(yaml.parse(doc, Loader=_Loader))
    except (yaml.YAMLError, ValueError):
        return None
    scalars = [e for e in events if isinstance(e, yaml.ScalarEvent)]
    if (
        len(scalars) != scalars_expected
        or sum(isinstance(e, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) for e in events)
        != 1
    ):
        return None
    value = scalars[-1]
    if not value.style and (_NULL.match(value.value) or value.tag or value.anchor):
        return None  # plain `null`/`~`/empty would read as nothing
    return value.value


def _reads_back(lines: list[str], value: str) -> bool:
    """Does this scalar read back as `value`, both as a mapping value and as a list item?"""
    body = "\n".join(lines)  # block lines are indented at least 2: valid in both contexts
    return _parses(f"k: {body}\n", 2) == value and _parses(f"- {body}\n", 1) == value


def without_spans(pack: Pack) -> Pack:
    """The pack's content only: every Span cleared, source and extra inputs too, to compare."""
    clean = _clear_spans(pack)
    return dataclasses.replace(clean, source=pack.root, extra_inputs=())


def _clear_spans(obj):
    if isinstance(obj, tuple):
        return tuple(_clear_spans(x) for x in obj)
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, Span):
            changes[f.name] = NO_SPAN
        elif isinstance(value, tuple) or dataclasses.is_dataclass(value):
            changes[f.name] = _clear_spans(value)
    return dataclasses.replace(obj, **changes)
