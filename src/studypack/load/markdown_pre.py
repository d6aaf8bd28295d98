"""Markdown source lines before parsing: front matter, speaker-note regions, comments, noise.

Everything taken out is blanked in place so the line numbers of what stays remain true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studypack.errors import Report, Span
from studypack.load.outline import Dropped, noise_kind

META_KEYS = ("title", "subtitle", "course", "author", "date", "language", "theme")
# Front-matter keys that mark slide Markdown (Marp, Quarto/reveal.js, remark decks).
SLIDE_KEYS = ("marp", "format", "revealjs", "slideOptions", "remark", "paginate", "class", "size")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
_SEPARATOR = re.compile(r"^(?:---|--)\s*$")
_NOTES_DIV = re.compile(r"^:::+\s*\{?\s*\.?notes\s*\}?\s*$", re.IGNORECASE)
_DIV_END = re.compile(r"^:::+\s*$")
_REVEAL_NOTE = re.compile(r"^(?:Notes?|Speaker notes?|Presenter notes?):\s*(.*)$", re.IGNORECASE)
# `<!-- _class: lead -->`, `<!-- paginate: true -->`, `<!-- .slide: … -->`: directives, not notes.
_DIRECTIVE = re.compile(
    r"^\s*(?:_?[A-Za-z][\w-]*\s*:\s*\S.*|\.(?:slide|element)\s*:.*|fit)\s*$", re.DOTALL
)


@dataclass
class Prepared:
    lines: list[str]
    meta: dict[str, tuple[str, int]] = field(default_factory=dict)
    notes: list[tuple[str, int]] = field(default_factory=list)  # (text, line)
    slides: bool = False
    dropped: list[Dropped] = field(default_factory=list)


def prepare(text: str, path: str, report: Report) -> Prepared:
    out = Prepared(text.split("\n"))
    lines = out.lines
    start = _front_matter(out, path, report)
    separators = sum(
        1
        for k in range(start, len(lines))
        if lines[k].strip() == "---" and (k == 0 or not lines[k - 1].strip())
    )
    out.slides = out.slides or separators >= 2
    fence: str | None = None
    k = start
    while k < len(lines):
        line = lines[k]
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            k += 1
            continue
        if m:
            fence = m.group(1)
            k += 1
            continue
        stripped = line.strip()
        if stripped == "???" or (
            out.slides and _REVEAL_NOTE.match(stripped) and _slide_start_before(lines, k)
        ):
            first = "" if stripped == "???" else _REVEAL_NOTE.match(stripped).group(1)  # type: ignore[union-attr]
            end = k + 1
            while end < len(lines) and not _SEPARATOR.match(lines[end]):
                end += 1
            _take_note(out, k, end, first)
            k = end
            continue
        if _NOTES_DIV.match(stripped):
            end = k + 1
            while end < len(lines) and not _DIV_END.match(lines[end].strip()):
                end += 1
            _take_note(out, k, end, "")
            if end < len(lines):
                lines[end] = ""
            k = end + 1
            continue
        if stripped.startswith("<!--"):
            end = k
            while end < len(lines) and "-->" not in lines[end]:
                end += 1
            if end < len(lines) and not lines[end].split("-->", 1)[1].strip():
                body = "\n".join(lines[k : end + 1]).strip()[4:-3]
                if _DIRECTIVE.match(body):
                    report.warning(
                        Span(path, k + 1, 1), f"slide directive '<!--{body}-->' not imported"
                    )
                elif body.strip():
                    out.notes.append((_paragraphs(body.split("\n")), k + 1))
                for j in range(k, end + 1):
                    lines[j] = ""
                k = end + 1
                continue
        kind = noise_kind(line) if stripped else None
        if kind:
            out.dropped.append(Dropped(k + 1, kind, stripped))
            lines[k] = ""
        k += 1
    return out


def _slide_start_before(lines: list[str], k: int) -> bool:
    """reveal.js notes start a line of their own, after a blank line."""
    return k == 0 or not lines[k - 1].strip()


def _take_note(out: Prepared, start: int, end: int, first: str) -> None:
    body = [first] + out.lines[start + 1 : end]
    text = _paragraphs(body)
    if text:
        out.notes.append((text, start + 1))
    for j in range(start, end):
        out.lines[j] = ""


def _paragraphs(lines: list[str]) -> str:
    """Note lines as paragraphs: wrapped lines joined, blank lines kept as paragraph breaks."""
    paras: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paras[-1].append(line.strip())
        elif paras[-1]:
            paras.append([])
    return "\n\n".join(" ".join(p) for p in paras if p)


def _front_matter(out: Prepared, path: str, report: Report) -> int:
    """Read and blank a leading `---` … `---` block; the index of the first line after it."""
    lines = out.lines
    if not lines or lines[0].strip() != "---":
        return 0
    end = next((k for k in range(1, min(len(lines), 200)) if lines[k].strip() in ("---", "...")), 0)
    if not end:
        return 0
    keys = [m.group(1) for line in lines[1:end] if (m := re.match(r"^([A-Za-z_][\w-]*)\s*:", line))]
    out.slides = any(k in SLIDE_KEYS for k in keys)
    for k in range(1, end):
        _meta(out, lines[k], k + 1, path, report)
    for k in range(end + 1):
        lines[k] = ""
    return end + 1


def _meta(out: Prepared, line: str, no: int, path: str, report: Report) -> None:
    if not line.strip() or line.lstrip().startswith("#") or line[:1] in (" ", "\t", "-"):
        return  # blank, a comment, or part of the key above (already warned about)
    m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
    key = m.group(1).lower() if m else ""
    value = m.group(2).strip() if m else ""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    if key == "theme" and out.slides:
        report.warning(
            Span(path, no, 1),
            f"the slide tool's theme '{value}' is not a studypack theme; not imported",
        )
    elif key in META_KEYS and value:
        out.meta[key] = (value, no)
    else:
        report.warning(
            Span(path, no, 1), f"front matter line not imported (keys: {', '.join(META_KEYS)})"
        )
