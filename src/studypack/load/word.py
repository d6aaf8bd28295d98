"""Word .docx -> Outline: headings are sections, list paragraphs points, tables and pictures
blocks, a Glossary heading its terms. Locations are paragraph numbers (line = paragraph)."""

from __future__ import annotations

import io
import re
from pathlib import PurePosixPath

from studypack.errors import Report, Span
from studypack.load.office import broken, check_package, package_errors
from studypack.load.outline import OImage, OTable, Outline
from studypack.load.outline_build import Assembler

WHAT = "Word document"
_HEADING = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_LIST_STYLE = re.compile(
    r"^list(?:\s+(?:bullet|number|paragraph|continue))?(?:\s+([2-9]))?$", re.IGNORECASE
)


def parse_docx(data: bytes, name: str, report: Report) -> Outline | None:
    """The document's outline, or None after a located error."""
    if not check_package(data, name, report, "word/document.xml", WHAT):
        return None
    import docx  # only Word imports pay for python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        return _Reader(document, name, report).read()
    except (PackageNotFoundError, *package_errors()) as e:
        broken(report, name, WHAT, e)
        return None


class _Reader:
    def __init__(self, document, name: str, report: Report):
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        self.Paragraph, self.Table = Paragraph, Table
        self.document = document
        self.name = name
        self.report = report
        self.outline = Outline(expect="paragraphs in Heading styles (Heading 1, Heading 2, …)")
        self.build = Assembler(self.outline, name, report)
        self.styles = {s.style_id: s.name for s in document.styles}
        self.pictures = 0

    def read(self) -> Outline:
        body = self.document.element.body
        for no, child in enumerate(body.iterchildren(), 1):
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                self.paragraph(child, no)
            elif tag == "tbl":
                self.table(child, no)
            elif tag == "sdt":  # a content control (a cover page, a table of contents)
                for p in child.xpath(".//w:p"):
                    self.paragraph(p, no)
        return self.outline

    def style(self, p) -> str:
        ids = p.xpath("./w:pPr/w:pStyle/@w:val")
        return self.styles.get(ids[0], ids[0]) if ids else "Normal"

    def paragraph(self, p, no: int) -> None:
        text = self.Paragraph(p, self.document.part).text.replace("\t", " ")
        style = self.style(p)
        self.images(p, no)
        if not text.strip():
            return
        if style.lower() == "title":
            if self.outline.title is None:
                self.outline.title, self.outline.title_line = " ".join(text.split()), no
                return
            style = "Heading 1"
        if style.lower() == "subtitle" and "subtitle" not in self.outline.meta:
            self.outline.meta["subtitle"] = (" ".join(text.split()), no)
            return
        if style.lower() == "toc heading" or style.lower().startswith("toc "):
            return  # a table of contents: the headings themselves follow
        heading = _HEADING.match(style)
        outline_level = p.xpath("./w:pPr/w:outlineLvl/@w:val")
        if heading or (outline_level and outline_level[0].isdigit() and int(outline_level[0]) < 9):
            level = int(heading.group(1)) if heading else int(outline_level[0]) + 1
            self.build.heading(level, text, no)
            return
        ilvl = p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
        listed = _LIST_STYLE.match(style)
        if ilvl or p.xpath("./w:pPr/w:numPr") or listed:
            if ilvl and ilvl[0].isdigit():
                level = int(ilvl[0])
            else:
                level = int(listed.group(1)) - 1 if listed and listed.group(1) else 0
            self.build.point(text, level, no)
            return
        self.build.paragraph(text, no)

    def images(self, p, no: int) -> None:
        for drawing in p.xpath(".//w:drawing"):
            blips = drawing.xpath(".//a:blip/@r:embed")
            descr = drawing.xpath(".//wp:docPr/@descr") or drawing.xpath(".//wp:docPr/@title")
            if not blips:
                what = "chart or diagram" if drawing.xpath(".//c:chart") else "drawing"
                self.report.warning(
                    Span(self.name, no, 1),
                    f"paragraph {no}: {what} not imported (only pictures are)",
                )
                continue
            try:
                part = self.document.part.related_parts[blips[0]]
                blob = part.blob
            except KeyError:
                self.report.warning(
                    Span(self.name, no, 1), f"paragraph {no}: picture whose file is missing skipped"
                )
                continue
            self.pictures += 1
            filename = PurePosixPath(str(part.partname)).name
            self.build.block(OImage(descr[0] if descr else "", no, 1, None, blob, filename))
        if p.xpath(".//w:pict"):
            self.report.warning(
                Span(self.name, no, 1), f"paragraph {no}: legacy (VML) picture not imported"
            )

    def table(self, tbl, no: int) -> None:
        table = self.Table(tbl, self.document.part)
        rows: list[list[str]] = []
        for row in table.rows:
            rows.append([" ".join(cell.text.split()) for cell in row.cells])
        rows = [r for r in rows if any(r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if len(rows) == 1:  # a one-row table is a line of text, not a table
            self.build.paragraph(" · ".join(c for c in rows[0] if c), no)
            return
        self.build.block(OTable(rows[0], rows[1:], no, 1))
