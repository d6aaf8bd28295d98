"""Plain-text study guide -> Outline: intro paragraphs, heading lines, bullets, key terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studypack.errors import Report, Span
from studypack.load.furniture import find_furniture
from studypack.load.outline import (
    Dropped,
    OPoint,
    OSection,
    OTerm,
    Outline,
    blank_term,
    glossary_heading,
    heading_language,
    noise_kind,
    split_term,
)

_BULLET = re.compile(r"^([ \t]*)([•◦▪▫‣⁃●○■□·∙–—*+-])[ \t]+(\S.*)$")
_NUMBERED = re.compile(
    r"^([ \t]*)(\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)]|[IVXLC]{1,6}[.)])[ \t]+(\S.*)$"
)
_RULE = re.compile(r"^\s*([=\-_~*#])\1{2,}\s*$")
_SENTENCE_END = (".", ",", ";", ":", "!", "?")


@dataclass
class _Line:
    no: int
    kind: str  # "bullet" | "text"
    indent: int
    text: str
    col: int
    blank_before: bool = False
    level: int | None = None  # from numbering ("1.2") or an underline (=== / ---)
    mark: str | None = None  # "number" or "underline": where `level` came from


@dataclass
class _Block:
    """One heading with what follows it, before levels are known."""

    title: str
    line: int
    col: int
    indent: int
    level: int | None
    mark: str | None = None
    summary: list[tuple[str, int, int]] = field(default_factory=list)
    points: list[OPoint] = field(default_factory=list)


def heading_like(text: str) -> bool:
    t = text.strip()
    return (
        0 < len(t) <= 100
        and len(t.split()) <= 14
        and not t.endswith(_SENTENCE_END)
        and not t[0].islower()
        and any(c.isalpha() for c in t)
    )


def _scan(text: str, outline: Outline) -> list[_Line]:
    """Significant lines: noise dropped, underlines folded into the heading above."""
    out: list[_Line] = []
    blank = True
    raws = text.split("\n")
    furniture = find_furniture(raws)
    for no, raw in enumerate(raws, 1):
        if not raw.strip():
            blank = True
            continue
        kind = noise_kind(raw) or furniture.get(no - 1)
        if kind:
            outline.dropped.append(Dropped(no, kind, raw.strip()))
            continue
        if _RULE.match(raw):
            prev = out[-1] if out else None
            if prev is not None and not blank and prev.kind == "text" and heading_like(prev.text):
                prev.level = 1 if raw.strip()[0] in "=#" else 2
                prev.mark = "underline"
            blank = True  # a rule separates what is above from what is below
            continue
        indent = len(re.match(r"[ \t]*", raw).group(0).expandtabs(4))  # type: ignore[union-attr]
        m = _NUMBERED.match(raw)
        if m and heading_like(m.group(3)):
            marker = m.group(2).rstrip(".)")
            level = marker.count(".") + 1 if marker[0].isdigit() else 1
            line = _Line(
                no, "text", indent, m.group(3).strip(), m.start(3) + 1, blank, level, "number"
            )
        elif m and re.fullmatch(r"\d{1,3}[.)]", m.group(2)):
            line = _Line(no, "bullet", indent, m.group(3).strip(), m.start(3) + 1, blank)
        elif b := _BULLET.match(raw):
            line = _Line(no, "bullet", indent, b.group(3).strip(), b.start(3) + 1, blank)
        else:
            line = _Line(no, "text", indent, raw.strip(), indent_col(raw), blank)
        out.append(line)
        blank = False
    return out


def indent_col(raw: str) -> int:
    return len(raw) - len(raw.lstrip()) + 1


def _is_heading(lines: list[_Line], i: int) -> bool:
    line = lines[i]
    if line.kind != "text" or not heading_like(line.text):
        return False
    if line.level is not None:
        return True
    prev = lines[i - 1] if i > 0 else None
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if prev is not None and not line.blank_before:
        if prev.kind == "bullet" and line.indent > prev.indent:
            return False  # a wrapped bullet
        if (
            prev.kind == "text"
            and not prev.text.endswith(_SENTENCE_END)
            and not _looks_like_heading_start(lines, i - 1)
        ):
            return False  # the middle of a wrapped paragraph
    if nxt is None or nxt.blank_before or nxt.kind == "bullet":
        return True
    # "Heading" directly above a longer sentence: a compact guide without blank lines.
    return len(line.text) <= 60 and (nxt.text.endswith(".") or len(nxt.text) > len(line.text) + 20)


def _looks_like_heading_start(lines: list[_Line], i: int) -> bool:
    # Asked about the line above a candidate: a cheap test instead of recursing through
    # a run of short lines without blanks.
    line = lines[i]
    return (
        line.kind == "text"
        and heading_like(line.text)
        and (line.level is not None or line.blank_before)
    )


def parse_guide_text(text: str, path: str, report: Report) -> Outline:
    """Read a plain-text guide; structure problems are warnings, never exceptions."""
    outline = Outline()
    lines = _scan(text, outline)
    blocks: list[_Block] = []
    intro_points: list[OPoint] = []
    stack: list[tuple[int, OPoint]] = []  # open bullets: (indent, point)
    last_text: list | None = None  # the paragraph or point that a wrapped line continues
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_heading(lines, i):
            is_glossary, count = glossary_heading(line.text)
            if is_glossary:
                outline.glossary_line, outline.glossary_count = line.no, count
                outline.glossary_language = heading_language(line.text)
                i = _read_glossary(lines, i + 1, outline, path, report)
                stack, last_text = [], None
                continue
            blocks.append(_Block(line.text, line.no, line.col, line.indent, line.level, line.mark))
            stack, last_text = [], None
        elif line.kind == "bullet":
            point = OPoint(line.text, line.no, line.col)
            while stack and stack[-1][0] >= line.indent:
                stack.pop()
            if stack:
                stack[-1][1].children.append(point)
            else:
                (blocks[-1].points if blocks else intro_points).append(point)
            stack.append((line.indent, point))
            last_text = [point]
        elif last_text is not None and not line.blank_before:
            _continue(last_text, line.text)
        elif stack and line.indent > stack[-1][0]:
            _continue([stack[-1][1]], line.text)  # a further paragraph of an indented bullet
        else:
            para = [line.text, line.no, line.col]
            if not blocks:
                outline.overview.append(para)  # type: ignore[arg-type]
            elif not blocks[-1].points:
                blocks[-1].summary.append(para)  # type: ignore[arg-type]
            else:
                point = OPoint(line.text, line.no, line.col)
                blocks[-1].points.append(point)
                para = [point]
            stack, last_text = [], para
        i += 1
    outline.overview = [tuple(p) for p in outline.overview]  # type: ignore[misc]
    for b in blocks:
        b.summary = [tuple(p) for p in b.summary]  # type: ignore[misc]
    if intro_points:
        first = intro_points[0]
        report.warning(
            Span(path, first.line, first.col),
            "bullets before the first heading were put in a section 'Introduction'",
        )
        blocks.insert(
            0, _Block("Introduction", first.line, first.col, 0, None, None, [], intro_points)
        )
    _build_tree(blocks, outline)
    return outline


def _continue(target: list, more: str) -> None:
    """Append a wrapped line to a paragraph [text, line, col] or a point [OPoint]."""
    if isinstance(target[0], OPoint):
        target[0].text = f"{target[0].text} {more}"
    else:
        target[0] = f"{target[0]} {more}"


def _read_glossary(lines: list[_Line], i: int, outline: Outline, path: str, report: Report) -> int:
    """`Term: definition` lines (or a term line then its definition) up to the next real heading."""
    pending: _Line | None = None  # a term on its own line, waiting for its definition
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        text = line.text
        if text.startswith(":") and (pending is not None or outline.glossary):
            definition = text[1:].strip()
            if pending is not None:
                outline.glossary.append(OTerm(pending.text, definition, pending.no, pending.col))
                pending = None
            elif definition:
                outline.glossary[-1].definition += " " + definition
        elif pending is not None:
            outline.glossary.append(OTerm(_term_of(pending.text), text, pending.no, pending.col))
            pending = None
        elif (term := blank_term(text)) is not None and (
            nxt is None
            or nxt.blank_before
            or nxt.kind == "bullet"
            or split_term(nxt.text) is not None
            or blank_term(nxt.text) is not None
        ):
            # "Chlorophyll:" and then the next term: its definition was lost (a link, most
            # likely). Reported, and never merged into a neighbour.
            outline.glossary.append(OTerm(term, "", line.no, line.col))
        elif blank_term(text) is not None:
            pending = line  # "Term:" with its definition on the next line
        elif (split := split_term(text)) is not None:
            term, definition = split
            outline.glossary.append(OTerm(term, definition, line.no, line.col))
        elif heading_like(text) and nxt is not None and not nxt.blank_before and nxt.kind == "text":
            pending = line
        elif (
            heading_like(text)
            and line.kind == "text"
            and (nxt is None or nxt.blank_before or nxt.kind == "bullet")
        ):
            return i  # a heading after the glossary: back to sections
        elif outline.glossary and not line.blank_before:
            outline.glossary[-1].definition += " " + text
        else:
            report.warning(
                Span(path, line.no, line.col),
                "not a 'Term: definition' line in the glossary; skipped",
            )
        i += 1
    if pending is not None:
        outline.glossary.append(OTerm(_term_of(pending.text), "", pending.no, pending.col))
    return i


def _term_of(text: str) -> str:
    return blank_term(text) or text


def _levels(blocks: list[_Block]) -> list[int]:
    """Each heading's depth (1 = section). Explicit marks win; otherwise list lengths decide."""
    explicit = [b.level for b in blocks]
    if any(level is not None for level in explicit):
        out, last = [], 0
        for level in explicit:
            out.append(level if level is not None else last + 1 if last else 1)
            if level is not None:
                last = level
        return out
    indents = sorted({b.indent for b in blocks})
    if len(indents) > 1:
        return [indents.index(b.indent) + 1 for b in blocks]
    return _levels_from_lists(blocks)


def _levels_from_lists(blocks: list[_Block]) -> list[int]:
    """Guides like the reference open each section with a short overview list, then its
    subsections with longer lists. So when the first heading's list is shorter than the next
    one's, every heading whose list is no longer than the first's starts a section and the
    others are its subsections. Unless each section then has a subsection, the lengths show
    no such pattern and every heading is a section of its own."""
    counts = [len(b.points) for b in blocks]
    n = len(blocks)
    if n < 2 or counts[0] >= counts[1]:
        return [1] * n
    levels = [1 if c <= counts[0] else 2 for c in counts]
    starts = [i for i, level in enumerate(levels) if level == 1]
    for start, end in zip(starts, starts[1:] + [n]):
        if end - start < 2:
            return [1] * n
    return levels


_GENERIC = re.compile(r"^(?:introduction|overview|summary|about(?: this guide)?)$", re.IGNORECASE)


def _take_title(blocks: list[_Block], outline: Outline) -> list[_Block]:
    """A first heading with no bullets and nothing above it is the title (its text the
    overview); "Introduction" and the like only give the overview."""
    if not blocks or outline.overview or blocks[0].points:
        return blocks
    first = blocks[0]
    if _GENERIC.match(first.title):
        outline.overview = first.summary
        return blocks[1:]
    if len(blocks) == 1 and not first.summary:
        return blocks
    if first.mark == "number":
        return blocks  # "1. Cells" is the first of several numbered sections
    if first.mark == "underline" and any(
        b.mark == "underline" and b.level <= first.level for b in blocks[1:]
    ):  # type: ignore[operator]
        return blocks  # one of several underlined sections
    if first.level is None and any(not b.points and b.level is None for b in blocks[1:-1]):
        return blocks  # one of several empty headings that group the ones below them
    outline.title, outline.title_line = first.title, first.line
    outline.overview = first.summary
    return blocks[1:]


def _build_tree(blocks: list[_Block], outline: Outline) -> None:
    blocks = _take_title(blocks, outline)
    if not blocks:
        return
    levels = _levels(blocks)
    stack: list[tuple[int, OSection]] = []
    for block, level in zip(blocks, levels):
        section = OSection(block.title, block.line, block.col, block.summary, block.points)
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            stack[-1][1].sections.append(section)
        else:
            outline.sections.append(section)
        stack.append((level, section))
