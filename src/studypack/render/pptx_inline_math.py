"""Text shapes with inline equations, as PowerPoint writes them: the paragraphs with `a14:m`
math in place (editable), inside mc:AlternateContent whose fallback shape is filled with a
picture of the whole text box, which applications without OMML (LibreOffice, Google Slides)
draw instead.

The picture is drawn (studypack.picture) from the fitter's own lines (same breaks, pitch,
bullets, colours and sizes) with the text in the font files a viewer draws the Office font with
and each equation's outlines, typeset by the math engine, at its place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from html import escape

from lxml import etree

from studypack.errors import Report, Span
from studypack.fit import FontSet
from studypack.inline import Run
from studypack.picture import Item, Picture, Text
from studypack.plan.deck_fit import Box, Para
from studypack.plan.deck_inline import is_math
from studypack.plan.deck_placed import PlacedLine, place_lines
from studypack.render.pptx_picture_fonts import PictureFont

DPI = 150  # as sharp as a 1080p projector shows the slide (2 px a point)
_NAMESPACES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)


@dataclass(frozen=True)
class Look:
    """What a text shape inherits from its layout and theme, for drawing it ourselves."""

    align: str  # l | ctr | r
    anchor: str  # t | ctr | b
    text: PictureFont
    code: PictureFont
    hanging: float
    link_hex: str  # a link's colour ("" = its run's colour)


def math_run_xml(run: Run, size: float, hex_color: str, lang: str) -> str:
    """`<a14:m>` with the equation in OMML at the run's size and colour."""
    return _math_run_xml(run.text, round(size * getattr(run, "scale", 1.0), 2), hex_color, lang)


@lru_cache(maxsize=2048)
def _math_run_xml(latex: str, size: float, hex_color: str, lang: str) -> str:
    from studypack.math import RunStyle, a14_math, parse

    formula = parse(latex, Span("math"), Report())
    if formula is None:  # the loader reported it; its source as text then
        return f"<a:r><a:t>{escape(latex, quote=False)}</a:t></a:r>"
    style = RunStyle(lang=lang, size_pt=size, color=hex_color)
    return etree.tostring(a14_math(formula, False, style), encoding="unicode")


def has_inline_math(paras: Sequence[Para]) -> bool:
    return any(is_math(r) for p in paras for r in p.runs)


def shape_picture(
    paras: Sequence[Para], frame: Box, fonts: FontSet, look: Look, color_of: Callable[[Para], str],
    width: Callable[[Para], float],
) -> Picture:  # fmt: skip
    """A transparent picture of the text shape's ink, as a client sets it, and where it lies
    in the frame."""
    lines = place_lines(paras, frame, fonts, look.align, look.anchor, width, look.hanging)
    return picture(frame.w, frame.h, shape_items(lines, paras, look, color_of), crop=True)


def picture(width: float, height: float, items: Sequence[Item], crop: bool = False) -> Picture:
    """The items drawn at DPI (cached on disk between builds)."""
    from studypack.math.cache import picture as cached_picture

    return cached_picture(width, height, DPI, items, crop)


def shape_items(
    lines: Sequence[PlacedLine], paras: Sequence[Para], look: Look, color_of: Callable[[Para], str],
    dx: float = 0.0, dy: float = 0.0,
) -> list[Item]:  # fmt: skip
    """The placed lines' bullets, text and equations as picture items, moved by (dx, dy)."""
    items: list[Item] = []
    for line in lines:
        para = paras[line.para_index]
        hex_color = color_of(para)
        baseline = line.baseline + dy
        if line.bullet_x is not None and para.bullet:
            font = look.text.files[0]
            items.append(Text(line.bullet_x + dx, baseline, line.size, font, hex_color, para.bullet))
        x = line.x + dx
        words: Text | None = None  # the words just before, in one string
        for piece in line.pieces:
            run = piece.run
            if is_math(run):
                items += _math(run, x, baseline, line.size, hex_color)
                words = None
            else:
                files = (look.code if run.code else look.text).files
                font = files[bool(run.bold or para.bold) + 2 * bool(run.italic)]
                color = look.link_hex if run.href and look.link_hex else hex_color
                text = Text(x, baseline, line.size, font, color, piece.text, bool(run.href))
                if words is not None and _same_style(words, text):
                    # words of one style drawn as one string, as a client sets a run
                    text = replace(words, text=words.text + piece.text)
                    items.pop()
                items.append(text)
                words = text
            x += piece.width
    return items


def readable_text(paras: Sequence[Para]) -> str:
    """The shape's text, each equation as readable text (Unicode where it maps simply, else its
    spoken form): the alternative text of its fallback picture."""
    from studypack.math.unicode import readable

    lines = ("".join(readable(f"${r.text.strip()}$", "spoken") if is_math(r) else r.text for r in p.runs)
             for p in paras)  # fmt: skip
    return "\n".join(line for line in lines if line.strip())


def _same_style(a: Text, b: Text) -> bool:
    return (a.font, a.color, a.size, a.underline) == (b.font, b.color, b.size, b.underline)


def _math(run: Run, x: float, baseline: float, size: float, hex_color: str) -> list[Item]:
    from studypack.math import parse
    from studypack.math.typeset import picture_item

    formula = parse(run.text, Span("math"), Report())
    if formula is None:
        return []
    size = round(size * getattr(run, "scale", 1.0), 2)
    return [picture_item(formula, size, f"#{hex_color}", False, x, baseline)]


def alternate_shape(
    shape_xml: str, picture_rid: str, picture_emu: tuple[int, int, int, int], descr: str = ""
) -> str:  # fmt: skip
    """The shape in mc:AlternateContent: as written in the Choice, a copy filled with the
    picture (its text emptied) in the Fallback, set where the picture's ink lies, with `descr`
    as its alternative text (what a screen reader says where the picture is shown)."""
    from studypack.math import alternate_content

    tree = etree.fromstring(f"<p:spTree {_NAMESPACES}>{shape_xml}</p:spTree>")
    shape = tree[0]
    alt = alternate_content(shape, picture_rid)
    ns = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}  # fmt: skip
    fallback = alt.find("{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback")
    c_nv_pr = fallback.find("p:sp/p:nvSpPr/p:cNvPr", ns) if fallback is not None else None
    if c_nv_pr is not None and descr:
        c_nv_pr.set("descr", descr)
    sp_pr = fallback.find("p:sp/p:spPr", ns) if fallback is not None else None
    if sp_pr is not None:
        for old in sp_pr.findall("a:xfrm", ns) + sp_pr.findall("a:prstGeom", ns) + sp_pr.findall("a:custGeom", ns):
            sp_pr.remove(old)
        x, y, cx, cy = picture_emu
        xfrm = etree.Element(f"{{{ns['a']}}}xfrm")
        etree.SubElement(xfrm, f"{{{ns['a']}}}off", x=str(x), y=str(y))
        etree.SubElement(xfrm, f"{{{ns['a']}}}ext", cx=str(cx), cy=str(cy))
        geom = etree.Element(f"{{{ns['a']}}}prstGeom", prst="rect")
        etree.SubElement(geom, f"{{{ns['a']}}}avLst")
        sp_pr.insert(0, xfrm)
        sp_pr.insert(1, geom)
    return etree.tostring(alt, encoding="unicode")


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def inherited_look(layout: object, idx: int) -> tuple[str, str]:
    """(alignment, anchor) a placeholder's first-level text takes from its layout, its master's
    placeholder of the same kind and the master's body style."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    ph = next((p for p in layout.placeholders if p.placeholder_format.idx == idx), None)  # type: ignore[attr-defined]
    chain = [ph.element] if ph is not None else []
    master = layout.slide_master  # type: ignore[attr-defined]
    kind = ph.placeholder_format.type if ph is not None else None
    wanted = (
        PP_PLACEHOLDER.TITLE
        if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        else PP_PLACEHOLDER.BODY
    )
    chain += [p.element for p in master.placeholders if p.placeholder_format.type == wanted][:1]
    align = anchor = ""
    for el in chain:
        body = el.find(f"{_P}txBody")
        if body is None:
            continue
        body_pr = body.find(f"{_A}bodyPr")
        anchor = anchor or (body_pr.get("anchor", "") if body_pr is not None else "")
        lvl1 = body.find(f"{_A}lstStyle/{_A}lvl1pPr")
        align = align or (lvl1.get("algn", "") if lvl1 is not None else "")
    style = master.element.find(
        f"{_P}txStyles/{_P}{'titleStyle' if wanted == PP_PLACEHOLDER.TITLE else 'bodyStyle'}/{_A}lvl1pPr"
    )
    align = align or (style.get("algn", "") if style is not None else "")
    return align or "l", anchor or "t"
