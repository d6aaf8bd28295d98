"""A study guide file (plain text or a Markdown outline) -> Outline -> Pack."""

from __future__ import annotations

import re
from pathlib import Path

from studypack.errors import Report, Span
from studypack.load.decode import decode_text, read_bounded
from studypack.load.from_outline import outline_to_pack
from studypack.load.guide_text import parse_guide_text
from studypack.load.markdown import parse_markdown
from studypack.load.outline import Outline
from studypack.model import Pack

MAX_BYTES = 16 * 1024 * 1024
MAX_OFFICE_BYTES = 200 * 1024 * 1024  # pictures make decks large
MAX_LINE = 10_000  # characters on one line: longer is not a study guide (and stalls layout)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
OFFICE_SUFFIXES = (".docx", ".pptx")


def load_guide(
    path: Path, report: Report, slug: str | None = None, root: Path | None = None
) -> tuple[Pack | None, Outline | None]:
    """The guide as a pack (None when errors were reported) and the outline it was read as."""
    errors_before = len(report.errors)
    read = read_outline(path, report)
    if read is None:
        return None, None
    outline, markdown = read
    slug = slug if slug is not None else path.stem
    root = root if root is not None else path.parent.resolve()
    pack = outline_to_pack(outline, path, report, markdown, slug, root)
    return (pack if len(report.errors) == errors_before else None), outline


def read_outline(path: Path, report: Report) -> tuple[Outline, bool] | None:
    """The guide's outline, and whether it was read as Markdown; None after a located error."""
    suffix = path.suffix.lower()
    if suffix in OFFICE_SUFFIXES:
        data = read_bounded(path, str(path), report, MAX_OFFICE_BYTES)
        if data is None:
            return None
        if suffix == ".docx":
            from studypack.load.word import parse_docx  # python-docx only for Word files

            outline = parse_docx(data, str(path), report)
        else:
            from studypack.load.powerpoint import parse_pptx

            outline = parse_pptx(data, str(path), report)
        return (outline, False) if outline is not None else None
    text = read_guide(path, report)
    if text is None:
        return None
    if is_markdown(path, text):
        return parse_markdown(text, str(path), report), True
    return parse_guide_text(text, str(path), report), False


def read_guide(path: Path, report: Report) -> str | None:
    """The file as text with \\n line ends; problems are located errors."""
    name = str(path)
    data = read_bounded(path, name, report, MAX_BYTES, " to be a study guide")
    text = decode_text(data, name, report) if data is not None else None
    if text is not None and not text.strip():
        report.error(
            Span(name), "file is empty: expected a study guide (headings, bullets, key terms)"
        )
        return None
    if text is not None and len(text) > MAX_LINE:
        for no, line in enumerate(text.split("\n"), 1):
            if len(line) > MAX_LINE:
                report.error(
                    Span(name, no, 1),
                    f"line of {len(line)} characters; at most {MAX_LINE} (is this a study guide?)",
                )
                return None
    return text


def is_markdown(path: Path, text: str) -> bool:
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return True
    # A .txt that is really an outline: '#' headings and no '•' bullets.
    return "•" not in text and re.search(r"^#{1,6}[ \t]+\S", text, re.MULTILINE) is not None
