"""Slide and notes XML as text, cut from one python-pptx-made prototype per layout.

python-pptx builds one slide per layout (its placeholders cloned the way PowerPoint does);
that prototype is serialized once and cut at marker comments, so every slide after it is
string joins: no element trees, no per-slide parsing, and bytes equal to what python-pptx
would have written.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.oxml.slide import CT_NotesSlide
from pptx.parts.slide import NotesSlidePart, SlidePart

from studypack.fonts import OFFICE_CODE_FONT, OFFICE_EA_FONT
from studypack.inline import Run
from studypack.plan.deck import HANGING, Para
from studypack.plan.deck_inline import is_math
from studypack.render.pptx_inline_math import math_run_xml
from studypack.render.pptx_package import attr, text
from studypack.units import BOX_INSET_X_EMU, BOX_INSET_Y_EMU, EMU_PER_PT

XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CTRL = re.compile(r"([\x00-\x08\x0B-\x1F])")  # python-pptx writes these as _xHHHH_
# Our insets (= Box's defaults; text was measured with exactly these); no shrink-on-overflow.
_INSETS = (
    ("lIns", str(BOX_INSET_X_EMU)),
    ("tIns", str(BOX_INSET_Y_EMU)),
    ("rIns", str(BOX_INSET_X_EMU)),
    ("bIns", str(BOX_INSET_Y_EMU)),
    ("wrap", "square"),
)
_SHAPE, _TEXT, _END = "<!--studypack:shape-->", "<!--studypack:text-->", "<!--studypack:end-->"
_PH = re.compile(r"<p:ph\b[^>]*?(?:/>|>.*?</p:ph>)", re.DOTALL)


def emu(pt: float) -> int:
    return round(pt * EMU_PER_PT)


@dataclass(frozen=True)
class ProtoShape:
    idx: int
    id: int
    raw: str  # as cloned, for a placeholder kept but left empty
    open: str  # up to where paragraphs go, with our bodyPr
    close: str
    ph: str  # its <p:ph> element, for a picture that takes its place


@dataclass(frozen=True)
class SlideProto:
    head: str
    shapes: tuple[ProtoShape, ...]
    tail: str
    max_id: int  # the largest cNvPr id in the prototype (the group's is 1)


def _prepare_body(sp: Any) -> None:
    """The txBody as _fill leaves it before paragraphs: our bodyPr, no paragraphs, a marker."""
    body = sp.find(qn("p:txBody"))
    if body is None:  # python-pptx makes footer and slide-number placeholders without one
        body = etree.SubElement(sp, qn("p:txBody"))
        etree.SubElement(body, qn("a:bodyPr"))
        etree.SubElement(body, qn("a:lstStyle"))
    body_pr = body.find(qn("a:bodyPr"))
    for child in list(body_pr):
        body_pr.remove(child)
    for k, v in _INSETS:
        body_pr.set(k, v)
    etree.SubElement(body_pr, qn("a:noAutofit"))  # fitted at build time
    for p in body.findall(qn("a:p")):
        body.remove(p)
    body.append(etree.Comment(_TEXT[4:-3]))


def _mark(tree: Any, shapes: list[Any]) -> None:
    for sp in shapes:
        sp.addprevious(etree.Comment(_SHAPE[4:-3]))
    ext = tree.find(qn("p:extLst"))
    end = etree.Comment(_END[4:-3])
    if ext is not None:  # python-pptx adds shapes before the extLst
        ext.addprevious(end)
    else:
        tree.append(end)


def _serialize(element: Any) -> str:
    return etree.tostring(element, encoding="UTF-8", standalone=True).decode("utf-8")


def slide_proto(layout: Any, package: Any, background: str | None = None) -> SlideProto:
    """A layout's prototype slide, cut into head, one piece per placeholder, and tail.

    `background` ('#RRGGBB'): the slide's own solid background, which a teacher can change.
    """
    part = SlidePart.new(PackURI("/ppt/slides/slide0.xml"), package, layout.part)
    part.slide.shapes.clone_layout_placeholders(layout)
    if background is not None:
        fill = part.slide.background.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(background.lstrip("#"))
    element = part.slide.element
    filled = copy.deepcopy(element)
    pieces = []
    for root, fill in ((element, False), (filled, True)):
        tree = root.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
        shapes = [sp for sp in tree.iterchildren(qn("p:sp"), qn("p:pic")) if _ph(sp) is not None]
        if fill:
            for sp in shapes:
                if sp.tag == qn("p:sp"):
                    _prepare_body(sp)
        _mark(tree, shapes)
        pieces.append((_serialize(root), shapes))
    (raw_xml, shapes), (filled_xml, _) = pieces
    body, tail = raw_xml.split(_END)
    head, *raws = body.split(_SHAPE)
    fills = filled_xml.split(_END)[0].split(_SHAPE)[1:]
    protos = []
    for sp, raw, fill in zip(shapes, raws, fills):
        opened, _, closed = fill.partition(_TEXT)
        ph = _PH.search(raw)
        protos.append(
            ProtoShape(
                int(_ph(sp).get("idx", "0")),
                int(sp.find(".//" + qn("p:cNvPr")).get("id")),
                raw,
                opened,
                closed,
                ph.group(0) if ph else "",
            )
        )
    ids = [int(e.get("id", "0")) for e in element.iter(qn("p:cNvPr"))]
    return SlideProto(head, tuple(protos), tail, max(ids))


def _ph(sp: Any) -> Any:
    nv = sp.find(qn("p:nvSpPr")) if sp.tag == qn("p:sp") else sp.find(qn("p:nvPicPr"))
    return None if nv is None else nv.find(f"{qn('p:nvPr')}/{qn('p:ph')}")


@dataclass(frozen=True)
class NotesProto:
    head: str  # through the notes placeholder's bodyPr and lstStyle
    tail: str


def notes_proto(package: Any, notes_master: Any) -> NotesProto:
    part = NotesSlidePart(
        PackURI("/ppt/notesSlides/notesSlide0.xml"),
        CT.PML_NOTES_SLIDE,
        package,
        CT_NotesSlide.new(),
    )
    part.relate_to(notes_master, RT.NOTES_MASTER)
    part.notes_slide.clone_master_placeholders(notes_master.notes_master)
    placeholder = part.notes_slide.notes_placeholder
    if placeholder is None:  # a notes master without a body: notes are left out
        return NotesProto(_serialize(part.notes_slide.element), "")
    body = placeholder.element.get_or_add_txBody()
    for p in body.findall(qn("a:p")):
        body.remove(p)
    body.append(etree.Comment(_TEXT[4:-3]))
    head, tail = _serialize(part.notes_slide.element).split(_TEXT)
    return NotesProto(head, tail)


def notes_xml(proto: NotesProto, notes: tuple[str, ...], lang: str) -> bytes:
    """What python-pptx's notes_text_frame.text = ... writes, one paragraph per line, each run in
    the pack's language (a screen reader and the spelling checker read notes too)."""
    if not proto.tail:
        return proto.head.encode("utf-8")
    paras = []
    rpr = f'<a:rPr lang="{attr(lang)}" dirty="0"/>'
    for line in XML_UNSAFE.sub("", "\n".join(notes)).split("\n"):
        escaped = text(_CTRL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", line))
        paras.append(f"<a:p><a:r>{rpr}<a:t>{escaped}</a:t></a:r></a:p>" if line else "<a:p/>")
    return f"{proto.head}{''.join(paras)}{proto.tail}".encode()


class Writer:
    """Paragraph and run XML for one deck: theme colours, fonts and language fixed."""

    def __init__(self, colors: Any, lang: str):
        self.colors = colors
        self.lang = attr(lang)
        self.language = lang

    @lru_cache(maxsize=4096)  # noqa: B019 - one Writer per deck
    def rpr(self, size: float, bold: bool, italic: bool, hex_color: str, latin: str) -> str:
        latin = attr(latin)
        return (
            f'<a:rPr lang="{self.lang}" sz="{round(size * 100)}" dirty="0" b="{"1" if bold else "0"}" '
            f'i="{"1" if italic else "0"}" cap="none"><a:solidFill><a:srgbClr val="{hex_color}"/></a:solidFill>'
            f'<a:latin typeface="{latin}"/><a:ea typeface="{OFFICE_EA_FONT}"/><a:cs typeface="{latin}"/>'
        )

    @lru_cache(maxsize=1024)  # noqa: B019
    def ppr(self, para_key: tuple[Any, ...], first: bool, level_attr: bool) -> str:
        level, margin, bullet, line_height, space_before, align, right = para_key
        lvl = f'lvl="{level}" ' if level_attr else ""
        lvl += f'marR="{emu(right)}" ' if right else ""
        algn = f'algn="{align}" ' if align else ""
        indent = str(-emu(HANGING)) if bullet else "0"  # the bullet hangs in the margin
        before = "0" if first else str(round(space_before * 100))
        mark = (
            f'<a:buFont typeface="Arial"/><a:buChar char="{attr(bullet)}"/>'
            if bullet
            else "<a:buNone/>"
        )
        return (
            f'<a:pPr {lvl}{algn}marL="{emu(margin)}" indent="{indent}"><a:lnSpc><a:spcPts val="{round(line_height * 100)}"/>'
            f'</a:lnSpc><a:spcBef><a:spcPts val="{before}"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>{mark}</a:pPr>'
        )

    def hex(self, name: str) -> str:
        return getattr(self.colors, name).lstrip("#").upper()

    def paragraphs(
        self, paras: tuple[Para, ...], font: str, color: str | None, level_attr: bool, link: Any,
        links_in_text_color: bool = False,
    ) -> str:
        out = []
        for i, para in enumerate(paras):
            key = (para.level, para.margin, para.bullet, para.line_height, para.space_before, para.align,
                   getattr(para, "margin_right", 0.0))  # a line held above an equation
            out.append("<a:p>" + self.ppr(key, i == 0, level_attr))
            hex_color = self.hex(color or para.color)
            for run in para.runs:
                if is_math(run):  # an inline equation: OMML in the line (the shape gets a fallback)
                    out.append(math_run_xml(run, para.size, hex_color, self.language))
                    continue
                out.append(self.run(run, para.size, font, self.run_hex(run, hex_color, color),
                                    para.bold, link, links_in_text_color))
            out.append("</a:p>")
        return "".join(out)

    def run_hex(self, run: Run, para_hex: str, override: str | None) -> str:
        """A run's own colour: a code token's '#RRGGBB', or a theme colour by name (the mark
        at a cut paragraph, muted) unless the slide sets every run's colour."""
        own = getattr(run, "color", "")
        if own.startswith("#"):
            return own[1:].upper()
        return self.hex(own) if own and override is None else para_hex

    def run(
        self, run: Run, size: float, font: str, hex_color: str, bold: bool, link: Any, link_in_text_color: bool = False
    ) -> str:
        latin = OFFICE_CODE_FONT if run.code else font
        rpr = self.rpr(size, run.bold or bold, run.italic, hex_color, latin)
        if run.href:
            # Clients draw links in the theme's hyperlink colour; on a filled slide that is
            # accent on primary, so ask for the run's own colour (Office 2019+, LibreOffice).
            own = _LINK_IN_TEXT_COLOR if link_in_text_color else ""
            rpr += f'<a:hlinkClick r:id="{link(run.href)}"' + (f">{own}</a:hlinkClick>" if own else "/>")
        return f"<a:r>{rpr}</a:rPr><a:t>{text(XML_UNSAFE.sub('', run.text))}</a:t></a:r>"

    def number(self, n: int, font: str, color: str) -> str:
        return (
            f'<a:p><a:fld id="{SLIDENUM_FIELD_ID}" type="slidenum"><a:rPr lang="{self.lang}"><a:solidFill>'
            f'<a:srgbClr val="{self.hex(color)}"/></a:solidFill><a:latin typeface="{attr(font)}"/>'
            f'<a:ea typeface="{OFFICE_EA_FONT}"/></a:rPr><a:t>{n}</a:t></a:fld></a:p>'
        )


SLIDENUM_FIELD_ID = "{6D3E5C52-6A37-4D1B-9C1E-5F0B5B7A1C01}"  # fixed: reproducible bytes
BODY_PR = "<a:bodyPr " + " ".join(f'{k}="{v}"' for k, v in _INSETS) + "><a:noAutofit/></a:bodyPr>"


_LINK_IN_TEXT_COLOR = (
    '<a:extLst><a:ext uri="{A12FA001-AC4F-418D-AE19-62706E023703}"><ahyp:hlinkClr'
    ' xmlns:ahyp="http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor" val="tx"/></a:ext></a:extLst>'
)


def furniture(sp_id: int, name: str, ph_type: str, idx: int, paragraphs: str) -> str:
    """A footer or slide-number placeholder as python-pptx's add_placeholder makes it."""
    idx_attr = f' idx="{idx}"' if idx else ""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sp_id}" name="{name} {sp_id}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
        f'</p:cNvSpPr><p:nvPr><p:ph type="{ph_type}"{idx_attr} sz="quarter"/></p:nvPr></p:nvSpPr><p:spPr/>'
        f"<p:txBody>{BODY_PR}<a:lstStyle/>{paragraphs}</p:txBody></p:sp>"
    )


def tile(sp_id: int, frame: tuple[int, int, int, int], hex_color: str) -> str:
    """A plain rounded rectangle in one colour (behind the logo on a filled slide)."""
    x, y, cx, cy = frame
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sp_id}" name="Logo backdrop {sp_id}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{hex_color}"/>'
        f"</a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
    )


DECORATIVE = (  # Office 2019+: a picture screen readers skip (the Accessibility Checker asks no alt text)
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
    'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>'
)


def picture(
    sp_id: int, name: str, descr: str, rid: str, frame: tuple[int, int, int, int], ph: str,
    decorative: bool = False,
) -> str:  # fmt: skip
    """A picture: in the layout's picture placeholder (`ph`), or free (the logo, or no placeholder)."""
    x, y, cx, cy = frame
    locks = (
        '<a:picLocks noGrp="1" noChangeAspect="1"/>' if ph else '<a:picLocks noChangeAspect="1"/>'
    )
    nv_pr = f"<p:nvPr>{ph}</p:nvPr>" if ph else "<p:nvPr/>"
    geom = "" if ph else '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    return (
        f'<p:pic><p:nvPicPr><p:cNvPr id="{sp_id}" name="{name} {sp_id}" descr="{attr(descr)}"'
        f'{f">{DECORATIVE}</p:cNvPr>" if decorative else "/>"}<p:cNvPicPr>'
        f'{locks}</p:cNvPicPr>{nv_pr}</p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
        f'</a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f"{geom}</p:spPr></p:pic>"
    )
