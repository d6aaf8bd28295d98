"""What an accessibility checker would flag in a pack's outputs, located in its source.

PowerPoint's Accessibility Checker and PDF/UA checkers (veraPDF, pdfua) look at the files; these
checks look at the pack and theme that make them, so the finding points at the line to change.
The outputs themselves are tagged and titled by the renderers; what only the author can mend is
here: alt text that says nothing, titles that repeat, links that read as addresses, tables whose
header is empty. (Colours below WCAG AA contrast are reported by every build, from the theme.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from studypack.errors import Report, Span
from studypack.inline import parse_inline
from studypack.model import Image, Pack, Table
from studypack.theme import Theme

# Alt text that names a file or a kind of thing rather than what the picture shows.
_FILE_LIKE = re.compile(r"(?i)^(?:[\w.-]+\.(?:png|jpe?g|gif|svg|bmp|webp|tiff?)|img[_ -]?\d+|dsc[_ -]?\d+|"
                        r"image|picture|photo|figure|graphic|diagram|chart|logo|screenshot)\d*$")  # fmt: skip
_URL = re.compile(r"(?i)^(?:https?://|mailto:|www\.)\S+$")


def audit(pack: Pack, theme: Theme, report: Report) -> None:
    """Warnings for what makes an output hard to use with a screen reader or low vision."""
    for image in pack.images():
        _check_alt(image, report)
    seen: dict[str, Span] = {}
    for _, section in pack.all_sections():
        key = " ".join(section.title.casefold().split())
        if key in seen:
            report.warning(section.span, f"accessibility: section title '{section.title}' repeats the one at line "
                                         f"{seen[key].line}; slides and headings need titles that tell them apart")  # fmt: skip
        else:
            seen[key] = section.span
        for item in section.points:
            if isinstance(item, Table) and not any(cell.strip() for cell in item.header):
                report.warning(item.span, "accessibility: table header is empty; name each column")
    for span, text in pack.texts():
        for url in _bare_links(text):
            report.warning(span, f"accessibility: link text '{url}' is a bare address; write [what it is]({url})")


def _check_alt(image: Image, report: Report) -> None:
    alt = image.alt.strip()
    if _FILE_LIKE.match(alt) or alt.casefold() in (image.path.name.casefold(), image.path.stem.casefold()):
        report.warning(image.span, f"accessibility: alt text '{alt}' names a file or a kind of picture; "
                                   "say what the picture shows")  # fmt: skip


def _bare_links(text: str) -> Iterator[str]:
    if "http" not in text and "www." not in text and "mailto:" not in text:
        return
    for run in parse_inline(text):
        if run.href and (run.text.strip() == run.href or _URL.match(run.text.strip())):
            yield run.href
