"""Block shapes as text: a planned table slice as a native PowerPoint table (a:tbl in a
graphic frame), free text boxes, a placeholder's own frame and fill."""

from __future__ import annotations

from typing import Any

from studypack.plan.deck_code import mix
from studypack.plan.deck_table import CELL_X, CELL_Y, TableSlice
from studypack.render.pptx_package import attr
from studypack.render.pptx_slides import BODY_PR, Writer, emu

TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"
BAND = 0.07  # how much of the primary colour tints every other body row
RULE = 0.35  # how much of the text colour the rules between rows take


def _line(tag: str, width_pt: float, hex_color: str | None) -> str:
    if hex_color is None:
        return f'<a:{tag} w="0"><a:noFill/></a:{tag}>'
    return (
        f'<a:{tag} w="{emu(width_pt)}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:srgbClr val="{hex_color}"/>'
        f'</a:solidFill><a:prstDash val="solid"/><a:round/><a:headEnd type="none" w="med" len="med"/>'
        f'<a:tailEnd type="none" w="med" len="med"/></a:{tag}>'
    )


def table_xml(
    sp_id: int, piece: TableSlice, writer: Writer, colors: Any, fills: bool, font: str, link: Any
) -> str:
    """The slice's graphic frame: header row filled in the primary colour (or ruled in it when
    ink is saved), body rows banded and ruled; every cell's margins and line pitch explicit, as
    the planner measured them."""
    f = piece.frame
    widths = [emu(w) for w in piece.widths]
    heights = [emu(h) for h in piece.heights]
    hexed = lambda c: c.lstrip("#").upper()
    primary, rule = hexed(colors.primary), hexed(mix(colors.background, colors.text, RULE))
    band = hexed(mix(colors.background, colors.primary, BAND))
    margins = f'marL="{emu(CELL_X)}" marR="{emu(CELL_X)}" marT="{emu(CELL_Y)}" marB="{emu(CELL_Y)}" anchor="ctr"'
    rows = []
    for r, (cells, height) in enumerate(zip(piece.rows, heights)):
        head = r < piece.header_rows
        if head:
            below, fill = (
                _line("lnB", 1.5, primary),
                f'<a:solidFill><a:srgbClr val="{primary}"/></a:solidFill>'
                if fills
                else "<a:noFill/>",
            )
        else:
            banded = fills and (r - piece.header_rows) % 2 == 1
            below = _line("lnB", 0.75, rule)
            fill = (
                f'<a:solidFill><a:srgbClr val="{band}"/></a:solidFill>' if banded else "<a:noFill/>"
            )
        sides = _line("lnL", 0, None) + _line("lnR", 0, None) + _line("lnT", 0, None)
        tcs = "".join(
            f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{writer.paragraphs((para,), font, None, False, link)}"
            f"</a:txBody><a:tcPr {margins}>{sides}{below}{fill}</a:tcPr></a:tc>"
            for para in cells
        )
        rows.append(f'<a:tr h="{height}">{tcs}</a:tr>')
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    return (
        f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{sp_id}" name="Table {sp_id}" descr="{attr(piece.descr)}"/>'
        f'<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
        f'<p:xfrm><a:off x="{emu(f.x)}" y="{emu(f.y)}"/><a:ext cx="{sum(widths)}" cy="{sum(heights)}"/></p:xfrm>'
        f'<a:graphic><a:graphicData uri="{TABLE_URI}"><a:tbl><a:tblPr firstRow="1" bandRow="1"/>'
        f"<a:tblGrid>{grid}</a:tblGrid>{''.join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )


def shape_properties(frame: tuple[int, int, int, int] | None, fill_hex: str | None) -> str:
    """A placeholder's own spPr: moved to a frame, and/or filled (else it inherits both)."""
    xfrm = ""
    if frame is not None:
        x, y, cx, cy = frame
        xfrm = f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    fill = (
        f'<a:solidFill><a:srgbClr val="{fill_hex.lstrip("#").upper()}"/></a:solidFill>'
        if fill_hex
        else ""
    )
    return f"<p:spPr>{xfrm}{fill}</p:spPr>"


def text_box(
    sp_id: int,
    frame: tuple[int, int, int, int],
    fill_hex: str | None,
    paragraphs: str,
    name: str = "Code",
) -> str:
    """A free text box with our insets and no autofit (its text was fitted at plan time)."""
    x, y, cx, cy = frame
    fill = (
        f'<a:solidFill><a:srgbClr val="{fill_hex.lstrip("#").upper()}"/></a:solidFill>'
        if fill_hex
        else "<a:noFill/>"
    )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sp_id}" name="{attr(name)} {sp_id}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect">'
        f"<a:avLst/></a:prstGeom>{fill}</p:spPr><p:txBody>{BODY_PR}<a:lstStyle/>{paragraphs}</p:txBody></p:sp>"
    )
