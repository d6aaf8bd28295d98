"""The designed look of the built-in master: frames, anchors and theme-coloured marks of its layouts.

Only python-pptx's own master is redesigned (a department template is the brand and is left as
it is). Every colour is a slot of the master's colour scheme, which the deck's theme fills in,
so a theme restyles all of it; with `style.fills: false` the marks are lines, never filled areas.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Emu

from studypack.plan.deck import Box
from studypack.units import BOX_INSET_X, EMU_PER_PT

BAND_SHARE = 0.3  # of the slide's width: the section slide's band
RULE_PT = 3.0  # the short accent rule under titles
RULE_LENGTH = 56.0
NUMBER_SIZE = 96.0  # pt, the section number in the band
NUMBER_DROP = 10.0  # pt
BAND_NAME = "Section band"
_NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
# Scheme slots (see theme.SCHEME_SLOTS): what the theme's primary, accent and background fill.
PRIMARY, ACCENT, BACKGROUND = "accent1", "accent2", "bg1"


def _emu(pt: float) -> Emu:
    return Emu(round(pt * EMU_PER_PT))


def _place(ph: Any, box: Box, anchor: str | None = None, align: str | None = None) -> None:
    ph.left, ph.top, ph.width, ph.height = (_emu(v) for v in (box.x, box.y, box.w, box.h))
    body = ph.element.txBody
    if body is None:
        return
    if anchor is not None:
        body.find(qn("a:bodyPr")).set("anchor", anchor)
    if align is not None:
        styles = body.find(qn("a:lstStyle"))
        level = styles.find(qn("a:lvl1pPr"))
        if level is None:
            level = etree.SubElement(styles, qn("a:lvl1pPr"))
        level.set("algn", align)


def _shape(
    layout: Any, name: str, box: Box, fill: str | None, line: str | None, geom: str = "rect"
) -> None:
    """A mark drawn on the layout (under the slide's own text): filled, or a line of RULE_PT."""
    tree = layout.element.cSld.spTree
    shape_id = 1 + max(int(el.get("id")) for el in tree.iter(qn("p:cNvPr")))
    paint = f'<a:solidFill><a:schemeClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
    stroke = (
        f'<a:ln w="{_emu(RULE_PT)}"><a:solidFill><a:schemeClr val="{line}"/></a:solidFill></a:ln>'
        if line
        else "<a:ln><a:noFill/></a:ln>"
    )
    xml = (
        f'<p:sp {_NS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
        f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{_emu(box.x)}" y="{_emu(box.y)}"/><a:ext cx="{_emu(box.w)}" '
        f'cy="{_emu(box.h)}"/></a:xfrm><a:prstGeom prst="{geom}"><a:avLst/></a:prstGeom>{paint}{stroke}</p:spPr></p:sp>'
    )
    tree.append(etree.fromstring(xml))


def _rule(layout: Any, x: float, y: float, color: str) -> None:
    """The short rule under a title, starting where the title's text starts."""
    _shape(layout, "Title rule", Box(x + BOX_INSET_X, y, RULE_LENGTH, 0), None, color, "line")


def _placeholders(layout: Any) -> dict[Any, Any]:
    return {ph.placeholder_format.type: ph for ph in layout.placeholders}


def design_default(prs: Any, fills: bool, keep_logo_room: bool) -> None:
    """Lay out python-pptx's master (already at the deck's size) as our default design."""
    w, h = prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT
    margin = round(w * 0.05)  # 48 pt at 16:9, 36 pt at 4:3
    title = Box(margin, 22, w - 2 * margin, 84)  # anchored at its foot, over the rule
    rule_y = title.y + title.h + 6
    _master(prs.slide_master, w, margin, keep_logo_room)
    for layout in prs.slide_layouts:
        kind = layout.element.get("type")
        found = _placeholders(layout)
        if kind == "title":
            _cover(layout, found, w, margin, fills)
        elif kind == "secHead":
            _section(layout, found, w, h, margin, fills)
        elif kind in ("obj", "twoObj", "titleOnly"):  # bodies keep the master's frames
            heading = found.get(PP_PLACEHOLDER.TITLE)
            if heading is not None:
                _place(heading, title, "b", "l")
                _rule(layout, title.x, rule_y, ACCENT)


def _master(master: Any, w: float, margin: float, keep_logo_room: bool) -> None:
    """Titles left-aligned; a quiet footer row: the footer at the left margin (after the logo's
    room, when the theme has a logo), the slide number at the right one."""
    found = {ph.placeholder_format.type: ph for ph in master.placeholders}
    styles = master.element.find(qn("p:txStyles"))
    styles.find(f"{qn('p:titleStyle')}/{qn('a:lvl1pPr')}").set("algn", "l")
    row_y, row_h, number_w, logo_w = 500.0, 28.75, 80.0, 120.0
    date, footer, number = (
        found.get(t)
        for t in (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
    )
    left = margin + (logo_w + 8 if keep_logo_room else 0)
    if date is not None:
        _place(date, Box(margin, row_y, logo_w, row_h))
    if footer is not None:
        _place(footer, Box(left, row_y, w - margin - number_w - 8 - left, row_h), align="l")
    if number is not None:
        _place(number, Box(w - margin - number_w, row_y, number_w, row_h), align="r")
    for layout in master.slide_layouts:  # a layout's own frames would hide the master's
        for ph in layout.placeholders:
            if ph.placeholder_format.type in (
                PP_PLACEHOLDER.DATE,
                PP_PLACEHOLDER.FOOTER,
                PP_PLACEHOLDER.SLIDE_NUMBER,
            ):
                xfrm = ph.element.spPr.find(qn("a:xfrm"))
                if xfrm is not None:
                    ph.element.spPr.remove(xfrm)


def _cover(layout: Any, found: dict[Any, Any], w: float, margin: float, fills: bool) -> None:
    """The title large and left-aligned above a rule, the subtitle lines hanging from it."""
    x = margin + 24
    heading, sub = found.get(PP_PLACEHOLDER.CENTER_TITLE), found.get(PP_PLACEHOLDER.SUBTITLE)
    if heading is not None:
        _place(heading, Box(x, 96, w - 2 * x, 204), "b", "l")
    _rule(layout, x, 312, BACKGROUND if fills else ACCENT)
    if sub is not None:
        _place(sub, Box(x, 328, w - 2 * x, 160), "t", "l")


def _section(
    layout: Any, found: dict[Any, Any], w: float, h: float, margin: float, fills: bool
) -> None:
    """A divider: a band of the primary colour down the left (the section's number goes in it),
    the title and summary beside it, no footer."""
    band = round(w * BAND_SHARE)
    if fills:
        _shape(layout, BAND_NAME, Box(0, 0, band, h), PRIMARY, None)
    else:  # ink-saving: the band's edge as a rule
        _shape(layout, BAND_NAME, Box(band, margin, 0, h - 2 * margin), None, PRIMARY, "line")
    x = band + 40
    heading, body = found.get(PP_PLACEHOLDER.TITLE), found.get(PP_PLACEHOLDER.BODY)
    if heading is not None:
        _place(heading, Box(x, 96, w - margin - x, 204), "b", "l")
    _rule(layout, x, 312, ACCENT)
    if body is not None:
        _place(body, Box(x, 326, w - margin - x, 164), "t", "l")
    footer = found.get(PP_PLACEHOLDER.FOOTER)
    if footer is not None:  # half on the band: a divider goes without
        footer.element.getparent().remove(footer.element)


def _band(layout: Any) -> Box | None:
    """The section band's frame on a layout designed here (None on any other layout)."""
    for sp in layout.element.cSld.spTree.iter(qn("p:sp")):
        if sp.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}").get("name") == BAND_NAME:
            off, ext = sp.find(f".//{qn('a:off')}"), sp.find(f".//{qn('a:ext')}")
            x, y = int(off.get("x")) / EMU_PER_PT, int(off.get("y")) / EMU_PER_PT
            return Box(x, y, int(ext.get("cx")) / EMU_PER_PT, int(ext.get("cy")) / EMU_PER_PT)
    return None


def number_frame(layout: Any) -> Box | None:
    """Where a section's number stands on a layout designed here: in the band (or left of its
    rule), its foot level with the title's; None on any other layout."""
    band, heading = _band(layout), _placeholders(layout).get(PP_PLACEHOLDER.TITLE)
    if band is None or heading is None:
        return None
    left, right = (band.x, band.x + band.w) if band.w else (0.0, band.x)
    pad = min(24.0, (right - left) / 8)
    top, height = heading.top / EMU_PER_PT, heading.height / EMU_PER_PT
    # The number's descent is deeper than the title's: lowered so their baselines meet.
    return Box(left + pad, top + NUMBER_DROP, right - left - 2 * pad, height)


def number_box(sp_id: int, frame: Box, paragraphs: str, body_pr: str) -> str:
    """The section number, its text at the frame's foot: a shape of the divider's design, like
    the band it stands on (not a text box: the slide's text stays in its placeholders)."""
    x, y, cx, cy = (_emu(v) for v in (frame.x, frame.y, frame.w, frame.h))
    at_foot = body_pr.replace("<a:bodyPr ", '<a:bodyPr anchor="b" ', 1)
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sp_id}" name="Section number {sp_id}"/><p:cNvSpPr/><p:nvPr/>'
        f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody>'
        f"{at_foot}<a:lstStyle/>{paragraphs}</p:txBody></p:sp>"
    )
