"""A table whose cells hold inline equations: the native table (`a14:m` in its cells) in
mc:AlternateContent, with a picture of the whole table, drawn as table_xml draws it, as the
fallback that applications without OMML show."""

from __future__ import annotations

from collections.abc import Callable

from studypack.fit import FontSet
from studypack.picture import Item, Rect
from studypack.plan.deck_code import mix
from studypack.plan.deck_inline import is_math
from studypack.plan.deck_placed import place_lines
from studypack.plan.deck_table import TableSlice, cell_box
from studypack.render.pptx_blocks import BAND, RULE
from studypack.render.pptx_inline_math import Look, picture, shape_items
from studypack.render.pptx_package import attr
from studypack.render.pptx_slides import emu

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
A14_NS = "http://schemas.microsoft.com/office/drawing/2010/main"


def table_has_math(piece: TableSlice) -> bool:
    return any(is_math(r) for row in piece.rows for p in row for r in p.runs)


def table_picture(
    piece: TableSlice, fonts: FontSet, look: Look, colors: object, fills: bool,
    color_of: Callable[[object], str], width: Callable[[object, float], float],
) -> bytes:  # fmt: skip
    """A transparent PNG of the table at its frame's size: fills, rules and every cell's text."""
    hexed = lambda c: c.lstrip("#").upper()  # noqa: E731
    primary = hexed(colors.primary)  # type: ignore[attr-defined]
    rule = hexed(mix(colors.background, colors.text, RULE))  # type: ignore[attr-defined]
    band = hexed(mix(colors.background, colors.primary, BAND))  # type: ignore[attr-defined]
    w_total, h_total = sum(piece.widths), sum(piece.heights)
    items: list[Item] = []
    y = 0.0
    for r, (cells, height) in enumerate(zip(piece.rows, piece.heights)):
        head = r < piece.header_rows
        fill = (
            primary
            if head and fills
            else band
            if not head and fills and (r - piece.header_rows) % 2 == 1
            else ""
        )
        if fill:
            items.append(Rect(0.0, y, w_total, height, fill))
        x = 0.0
        for para, w in zip(cells, piece.widths):
            box = cell_box(w, height)
            lines = place_lines((para,), box, fonts, "l", "ctr", lambda p, w=w: width(p, w), 0.0)
            items += shape_items(lines, (para,), look, color_of, x, y)
            x += w
        stroke, thick = (primary, 1.5) if head else (rule, 0.75)
        items.append(Rect(0.0, y + height - thick / 2, w_total, thick, stroke))
        y += height
    return picture(w_total, h_total, items).png


def alternate_table(frame_xml: str, rid: str, sp_id: int, piece: TableSlice) -> str:
    """The table's graphic frame in mc:AlternateContent (required namespace as in
    studypack.math.office), a picture of it as the fallback."""
    f = piece.frame
    cx, cy = sum(emu(w) for w in piece.widths), sum(emu(h) for h in piece.heights)
    pic = (
        f'<p:pic><p:nvPicPr><p:cNvPr id="{sp_id}" name="Table {sp_id}" descr="{attr(piece.descr)}"/><p:cNvPicPr>'
        f'<a:picLocks noGrp="1" noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill>'
        f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm>'
        f'<a:off x="{emu(f.x)}" y="{emu(f.y)}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
    )
    return (
        f'<mc:AlternateContent xmlns:mc="{MC_NS}"><mc:Choice xmlns:a14="{A14_NS}" xmlns:a14m="{A14_NS}" '
        f'Requires="a14m">{frame_xml}</mc:Choice><mc:Fallback>{pic}</mc:Fallback></mc:AlternateContent>'
    )


__all__ = ["alternate_table", "table_has_math", "table_picture"]
