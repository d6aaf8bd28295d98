"""PowerPoint .pptx -> Outline: slide titles are sections (a section-header slide starts a
top-level one), body bullets points, speaker notes notes, pictures and tables blocks.
Locations are slide numbers (line = slide)."""

from __future__ import annotations

import io
import re

from studypack.errors import Report, Span
from studypack.load.office import broken, check_package, package_errors
from studypack.load.outline import OImage, OTable, Outline, glossary_heading
from studypack.load.outline_build import Assembler

WHAT = "PowerPoint deck"
_CONTINUED = re.compile(
    r"\s*(?:\((?:cont(?:inued|'d|\.)?|\d+)\)|[–—-]\s*(?:cont(?:inued|'d|\.)?|part \d+)|\d+/\d+)\s*$",
    re.IGNORECASE,
)


def parse_pptx(data: bytes, name: str, report: Report) -> Outline | None:
    """The deck's outline, or None after a located error."""
    if not check_package(data, name, report, "ppt/presentation.xml", WHAT):
        return None
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    try:
        deck = Presentation(io.BytesIO(data))
        return _Reader(name, report).read(deck)
    except (PackageNotFoundError, *package_errors()) as e:
        broken(report, name, WHAT, e)
        return None


class _Reader:
    def __init__(self, name: str, report: Report):
        self.name = name
        self.report = report
        self.outline = Outline(expect="slides with titles")
        self.build = Assembler(self.outline, name, report)
        self.in_part = False  # a section-header slide opened a top-level section
        self.last_title = ""

    def read(self, deck) -> Outline:
        for no, slide in enumerate(deck.slides, 1):
            self.slide(slide, no)
        return self.outline

    def slide(self, slide, no: int) -> None:
        from pptx.enum.shapes import PP_PLACEHOLDER

        title_shape = slide.shapes.title
        title = " ".join((title_shape.text_frame.text if title_shape is not None else "").split())
        layout = (slide.slide_layout.name or "").lower()
        kinds = {s.placeholder_format.type for s in slide.placeholders}
        title_id = title_shape.shape_id if title_shape is not None else None
        shapes = [s for s in slide.shapes if s.shape_id != title_id]
        if PP_PLACEHOLDER.CENTER_TITLE in kinds or "title slide" in layout:
            if no == 1 or self.outline.title is None and not self.outline.sections:
                self.title_slide(title, shapes, no)
                self.notes(slide, no)
                return
        if "section header" in layout or "section" == layout:
            self.build.heading(1, title or f"Part {no}", no)
            self.in_part, self.last_title = True, title
            self.body(shapes, no, subtitle_is_summary=True)
            self.notes(slide, no)
            return
        if not title:
            if self.build.current is None:
                self.report.warning(
                    Span(self.name, no, 1), f"slide {no} has no title; titled 'Slide {no}'"
                )
                title = f"Slide {no}"
            else:
                self.report.warning(
                    Span(self.name, no, 1),
                    f"slide {no} has no title; its content joins the slide before",
                )
        if title:
            base = _CONTINUED.sub("", title)
            if (
                base
                and base == _CONTINUED.sub("", self.last_title)
                and self.build.current is not None
            ):
                self.build.items = []  # "Topic (cont.)": the same section goes on
            else:
                self.build.heading(2 if self.in_part else 1, title, no)
                self.last_title = title
            if glossary_heading(title)[0]:
                self.in_part = False
        self.body(shapes, no)
        self.notes(slide, no)

    def title_slide(self, title: str, shapes: list, no: int) -> None:
        from pptx.enum.shapes import PP_PLACEHOLDER

        if title:
            self.outline.title, self.outline.title_line = title, no
        for shape in shapes:
            if not shape.has_text_frame:
                continue
            text = " ".join(shape.text_frame.text.split())
            if not text:
                continue
            if shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE:
                self.outline.meta.setdefault("subtitle", (text, no))
            else:
                self.outline.overview.append((text, no, 1))

    def body(self, shapes: list, no: int, subtitle_is_summary: bool = False) -> None:
        from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

        for shape in sorted(shapes, key=lambda s: (s.top or 0, s.left or 0)):
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                self.body(list(shape.shapes), no)
            elif shape.has_table:
                self.table(shape.table, no)
            elif hasattr(shape, "image") and shape.shape_type in (
                MSO_SHAPE_TYPE.PICTURE,
                MSO_SHAPE_TYPE.PLACEHOLDER,
            ):
                self.picture(shape, no)
            elif shape.has_text_frame:
                kind = shape.placeholder_format.type if shape.is_placeholder else None
                if kind in (
                    PP_PLACEHOLDER.SLIDE_NUMBER,
                    PP_PLACEHOLDER.FOOTER,
                    PP_PLACEHOLDER.DATE,
                ):
                    continue
                for para in shape.text_frame.paragraphs:
                    text = " ".join(para.text.split())
                    if not text:
                        continue
                    if kind == PP_PLACEHOLDER.SUBTITLE or subtitle_is_summary:
                        self.build.paragraph(text, no)
                    else:
                        self.build.point(text, para.level, no)
            elif shape.has_chart or shape.shape_type in (
                MSO_SHAPE_TYPE.MEDIA,
                MSO_SHAPE_TYPE.EMBEDDED_OLE_OBJECT,
            ):
                self.report.warning(
                    Span(self.name, no, 1),
                    f"slide {no}: '{shape.name}' (a chart or media) not imported",
                )

    def picture(self, shape, no: int) -> None:
        try:
            image = shape.image
            blob, filename = image.blob, image.filename or f"slide-{no}.{image.ext}"
        except (KeyError, ValueError, AttributeError):
            self.report.warning(
                Span(self.name, no, 1),
                f"slide {no}: picture '{shape.name}' has no image data; skipped",
            )
            return
        descr = shape.element.xpath("./p:nvPicPr/p:cNvPr/@descr")
        self.build.block(OImage(descr[0] if descr else "", no, 1, None, blob, filename))

    def table(self, table, no: int) -> None:
        rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]
        rows = [r for r in rows if any(r)]
        if len(rows) < 2:
            for r in rows:
                self.build.point(" · ".join(c for c in r if c), 0, no)
            return
        self.build.block(OTable(rows[0], rows[1:], no, 1))

    def notes(self, slide, no: int) -> None:
        if not slide.has_notes_slide:
            return
        frame = slide.notes_slide.notes_text_frame
        if frame is None:
            return
        paras = [" ".join(p.text.split()) for p in frame.paragraphs]
        text = "\n\n".join(p for p in paras if p)
        if text:
            self.build.note(text, no)
