"""Equations in slides as PowerPoint writes them: `a14:m` in the text, a picture as fallback.

PowerPoint keeps a shape whose text holds math twice, in `mc:AlternateContent`: the
`mc:Choice Requires="a14"` shape has the OMML (`a14:m` inside `a:p`, editable), the
`mc:Fallback` copy has its text emptied, its edits locked and a picture of it as fill
(`a:blipFill`), which is what applications without OMML (LibreOffice, Google Slides) draw.

LibreOffice (7.4 tested) takes any Choice that requires the literal prefix `a14`, then drops
the `a14:m` it cannot draw: the text box comes out empty. Markup compatibility names a
namespace by prefix, so the Choice here requires the same a14 namespace under the prefix
`a14m`: Office resolves it to the namespace it knows and shows the math; LibreOffice, which
compares prefix strings, draws the fallback picture.
"""

from __future__ import annotations

import copy

from lxml import etree

from studypack.math.formula import Formula
from studypack.math.omml import A14_NS, A_NS, DEFAULT_STYLE, RunStyle, omml_element

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_LOCKS = (
    "noRot noChangeAspect noMove noResize noEditPoints noAdjustHandles noChangeArrowheads "
    "noChangeShapeType noTextEdit"
).split()
EMU_PER_PT = 12700


def a14_math(
    formula: Formula, display: bool = False, style: RunStyle = DEFAULT_STYLE
) -> etree._Element:
    """`<a14:m>` holding the equation: a child of `a:p`, beside its `a:r` runs."""
    m = etree.Element(f"{{{A14_NS}}}m", nsmap={"a14": A14_NS})
    m.append(omml_element(formula, display, style))
    return m


def alternate_content(
    shape: etree._Element, picture_rid: str, requires_prefix: str = "a14m"
) -> etree._Element:
    """Wrap a `p:sp` whose paragraphs hold `a14:m` in PowerPoint's AlternateContent.

    `picture_rid` is the slide's relationship to a picture of the whole shape's text (for a
    shape holding one equation: to_png() of it). Returns the element put where `shape` was.
    `requires_prefix="a14"` writes PowerPoint's exact spelling (LibreOffice then shows nothing).
    """
    alt = etree.Element(f"{{{MC_NS}}}AlternateContent", nsmap={"mc": MC_NS})
    nsmap = {"a14": A14_NS, requires_prefix: A14_NS}
    choice = etree.SubElement(alt, f"{{{MC_NS}}}Choice", nsmap=nsmap, Requires=requires_prefix)
    fallback_shape = _fallback(copy.deepcopy(shape), picture_rid)
    parent = shape.getparent()
    if parent is not None:
        parent.replace(shape, alt)
    choice.append(shape)
    etree.SubElement(alt, f"{{{MC_NS}}}Fallback").append(fallback_shape)
    return alt


def _fallback(shape: etree._Element, rid: str) -> etree._Element:
    c_nv_sp_pr = shape.find(f"{{{P_NS}}}nvSpPr/{{{P_NS}}}cNvSpPr")
    if c_nv_sp_pr is not None:
        for old in c_nv_sp_pr.findall(f"{{{A_NS}}}spLocks"):
            c_nv_sp_pr.remove(old)
        locks = etree.Element(f"{{{A_NS}}}spLocks", {name: "1" for name in _LOCKS})
        c_nv_sp_pr.insert(0, locks)
    sp_pr = shape.find(f"{{{P_NS}}}spPr")
    if sp_pr is not None:
        for fill in ("noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill"):
            for old in sp_pr.findall(f"{{{A_NS}}}{fill}"):
                sp_pr.remove(old)
        geometry = [
            c for c in sp_pr if etree.QName(c).localname in ("xfrm", "prstGeom", "custGeom")
        ]
        blip_fill = etree.Element(f"{{{A_NS}}}blipFill")
        etree.SubElement(blip_fill, f"{{{A_NS}}}blip", {f"{{{R_NS}}}embed": rid}, nsmap={"r": R_NS})
        etree.SubElement(etree.SubElement(blip_fill, f"{{{A_NS}}}stretch"), f"{{{A_NS}}}fillRect")
        sp_pr.insert(len(geometry), blip_fill)
    body = shape.find(f"{{{P_NS}}}txBody")
    if body is not None:
        for p in body.findall(f"{{{A_NS}}}p"):
            body.remove(p)
        p = etree.SubElement(body, f"{{{A_NS}}}p")
        # no bullet either: a placeholder's paragraphs inherit one from the master
        etree.SubElement(etree.SubElement(p, f"{{{A_NS}}}pPr"), f"{{{A_NS}}}buNone")
        r = etree.SubElement(p, f"{{{A_NS}}}r")
        etree.SubElement(etree.SubElement(r, f"{{{A_NS}}}rPr", lang="en-US"), f"{{{A_NS}}}noFill")
        etree.SubElement(r, f"{{{A_NS}}}t").text = " "
    return shape


def equation_shape(
    formula: Formula,
    shape_id: int,
    name: str,
    box_emu: tuple[int, int, int, int],
    style: RunStyle,
    display: bool = True,
    descr: str = "",
) -> etree._Element:
    """A text box (`p:sp`) holding one centred equation, inset-free, not autofitted.

    Size it with measure() (its width and height + depth) and wrap it with alternate_content().
    """
    x, y, cx, cy = box_emu
    sp = etree.Element(f"{{{P_NS}}}sp", nsmap={"p": P_NS, "a": A_NS})
    nv = etree.SubElement(sp, f"{{{P_NS}}}nvSpPr")
    c_nv_pr = etree.SubElement(nv, f"{{{P_NS}}}cNvPr", id=str(shape_id), name=name)
    if descr:
        c_nv_pr.set("descr", descr)
    etree.SubElement(nv, f"{{{P_NS}}}cNvSpPr", txBox="1")
    etree.SubElement(nv, f"{{{P_NS}}}nvPr")
    sp_pr = etree.SubElement(sp, f"{{{P_NS}}}spPr")
    xfrm = etree.SubElement(sp_pr, f"{{{A_NS}}}xfrm")
    etree.SubElement(xfrm, f"{{{A_NS}}}off", x=str(x), y=str(y))
    etree.SubElement(xfrm, f"{{{A_NS}}}ext", cx=str(cx), cy=str(cy))
    etree.SubElement(
        etree.SubElement(sp_pr, f"{{{A_NS}}}prstGeom", prst="rect"), f"{{{A_NS}}}avLst"
    )
    etree.SubElement(sp_pr, f"{{{A_NS}}}noFill")
    body = etree.SubElement(sp, f"{{{P_NS}}}txBody")
    etree.SubElement(
        body, f"{{{A_NS}}}bodyPr", wrap="none", lIns="0", tIns="0", rIns="0", bIns="0", anchor="ctr"
    )
    etree.SubElement(body, f"{{{A_NS}}}lstStyle")
    p = etree.SubElement(body, f"{{{A_NS}}}p")
    etree.SubElement(p, f"{{{A_NS}}}pPr", algn="ctr")
    p.append(a14_math(formula, display, style))
    end = etree.SubElement(p, f"{{{A_NS}}}endParaRPr", lang=style.lang)
    if style.size_pt:
        end.set("sz", str(round(style.size_pt * 100)))
    return sp
