"""Content blocks of the handout as flowables: tables, code listings and display equations.

Made while typesetting (handout_pdf.Builder), so every glyph warning is found before drawing.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from studypack.errors import Report
from studypack.plan.handout_blocks import CodeBlock, MathBlock, TableBlock
from studypack.render import handout_code as hc
from studypack.render import handout_para as hp
from studypack.render.handout_table import PAD_X, Cell, TableFlow, column_widths
from studypack.render.pdf_tags import Tag

DISPLAY_SIZE = 12.0  # pt: display equations stand a little above the 10.5 pt body text

CELL_SIZE, CELL_LEADING = 9.5, 12.5
ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
BLOCKS = (TableBlock, CodeBlock, MathBlock)


def mix(a: Any, b: Any, t: float) -> colors.Color:
    """a tinted toward b: t = 0 is a, 1 is b."""
    return colors.Color(
        a.red + (b.red - a.red) * t,
        a.green + (b.green - a.green) * t,
        a.blue + (b.blue - a.blue) * t,
    )


class BlockFlowables:
    """Turns table, code and math plan blocks into flowables with the handout's styles.

    `st` is the handout's Styles, `glyphs` its Glyphs (fallback fonts, missing-glyph warnings).
    """

    def __init__(self, st: Any, glyphs: Any, fills: bool, frame_width: float, frame_height: float):
        self.st, self.glyphs, self.fills = st, glyphs, fills
        self.frame_width, self.frame_height = frame_width, frame_height
        self.caption = ParagraphStyle("block_caption", st.caption, spaceBefore=0, spaceAfter=0)
        body = ParagraphStyle("cell", st.body, fontSize=CELL_SIZE, leading=CELL_LEADING, spaceBefore=0,
                              spaceAfter=0)  # fmt: skip
        head_color = st.background if fills else st.primary
        head = ParagraphStyle(
            "cell_head", body, fontName=st.body_fonts.text.bold, textColor=head_color
        )
        self.cell = {
            a: ParagraphStyle(f"cell-{a}", body, alignment=v) for a, v in ALIGNMENTS.items()
        }
        self.head = {
            a: ParagraphStyle(f"cell_head-{a}", head, alignment=v) for a, v in ALIGNMENTS.items()
        }
        self.math = ParagraphStyle("math", body, fontName=st.body_fonts.code.regular, fontSize=10.5, leading=14,
                                   alignment=TA_CENTER, spaceBefore=6, spaceAfter=10)  # fmt: skip

    def flowables(self, block: TableBlock | CodeBlock | MathBlock, sect: Tag) -> list[Flowable]:
        """The block's flowable, its structure elements declared under `sect` (pdf_tags)."""
        if isinstance(block, TableBlock):
            return [_tag_table(self.table(block), sect)]
        if isinstance(block, CodeBlock):
            code = self.code(block)
            if code.caption is not None:  # read before the listing, as it stands above it
                code.caption.struct = Tag("P", sect)
            code.struct = Tag("Code", sect)
            return [code]
        equation = _display_math(block, self)
        equation.struct = Tag("Formula", sect, alt=getattr(equation, "alt", None) or block.latex, actual_text=block.latex)
        return [equation]

    def _caption(self, text: str | None, span: Any) -> hp.Para | None:
        if text is None:
            return None
        return hp.Para(
            self.glyphs.styled(text, self.st.body_fonts, span, self.st.link, self.caption), self.caption
        )

    # --- tables -------------------------------------------------------------------------------

    def _cell(self, text: str, style: ParagraphStyle, span: Any, row: int, column: int) -> Cell:
        cell = Cell(self.glyphs.styled(text, self.st.body_fonts, span, self.st.link, style), style)
        cell.role, cell.row, cell.column = ("TH" if row == 0 else "TD"), row, column
        return cell

    def table(self, t: TableBlock) -> TableFlow:
        header = [
            self._cell(text, self.head[t.align[j]], t.span, 0, j) for j, text in enumerate(t.header)
        ]
        rows = [
            [self._cell(text, self.cell[t.align[j]], t.span, i, j) for j, text in enumerate(row)]
            for i, row in enumerate(t.rows, 1)
        ]
        widths = column_widths(header, rows, self.frame_width)
        return TableFlow(
            self._caption(t.caption, t.span),
            header,
            rows,
            widths,
            self.table_style(),
            self.frame_height,
        )

    def table_style(self) -> list[tuple[Any, ...]]:
        """Header row in primary with the paper's colour on it, tinted alternate rows and hairlines;
        ink-saving themes: no fills, rules above and below the header and at the foot (booktabs)."""
        st = self.st
        cmds: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]  # fmt: skip
        rule = mix(st.muted, st.background, 0.55)
        if self.fills:
            cmds += [
                ("BACKGROUND", (0, 0), (-1, 0), st.primary),
                (
                    "ROWBACKGROUNDS",
                    (0, 1),
                    (-1, -1),
                    [st.background, mix(st.primary, st.background, 0.92)],
                ),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, rule),
                ("BOX", (0, 0), (-1, -1), 0.6, st.primary),
            ]
        else:
            cmds += [
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, st.text),
                ("LINEBELOW", (0, 0), (-1, 0), 0.7, st.text),
                ("LINEBELOW", (0, 1), (-1, -2), 0.3, rule),
                ("LINEBELOW", (0, -1), (-1, -1), 1.2, st.text),
            ]
        return cmds

    # --- code ---------------------------------------------------------------------------------

    def code(self, c: CodeBlock) -> hc.CodeFlow:
        st, fonts = self.st, self.st.body_fonts.code
        width = self.frame_width - hc.GUTTER - hc.PAD
        lines = hc.code_lines(c.text, c.language, fonts, width, self.glyphs, c.span, _hex(st.text))
        look = hc.CodeLook(
            fill=mix(st.muted, st.background, 0.9) if self.fills else None,
            border=mix(st.muted, st.background, 0.55 if self.fills else 0.2),
            mark=hc.continuation_mark(fonts), mark_font=fonts.regular, mark_color=st.muted,
            frame_height=self.frame_height,
        )  # fmt: skip
        return hc.CodeFlow(lines, self._caption(c.caption, c.span), look)


def _tag_table(table: TableFlow, sect: Tag) -> TableFlow:
    """Table › Caption, TR › TH (column headers) / TD; rules and fills are the Table's own content."""
    table.struct = Tag("Table", sect)
    if table.caption is not None:
        table.caption.struct = Tag("Caption", table.struct)
    for r, cells in enumerate([table.header, *table.rows]):
        row = Tag("TR", table.struct)
        for cell in cells:
            if r == 0:
                cell.struct = Tag("TH", row, attributes={"O": "Table", "Scope": "Column"})
            else:
                cell.struct = Tag("TD", row)
    return table


def _hex(color: Any) -> str:
    return "#" + color.hexval()[2:].upper()


def _display_math(block: MathBlock, blocks: BlockFlowables) -> Flowable:
    """A display equation in vector outlines, centred, at a size a little above the body text
    and never wider than the frame; it keeps its LaTeX and spoken form for the structure tree."""
    from studypack.math import DisplayMath, parse, spoken, to_drawing

    formula = parse(block.latex, block.span, Report())  # checked when the pack loaded
    if formula is None:
        return hp.Para(blocks.glyphs.text(block.latex, blocks.math.fontName, block.span), blocks.math)
    color = _hex(blocks.math.textColor)
    drawing = to_drawing(formula, DISPLAY_SIZE, color, display=True)
    if drawing.width > blocks.frame_width:
        drawing = to_drawing(formula, DISPLAY_SIZE * blocks.frame_width / drawing.width, color, display=True)
    flowable = DisplayMath(drawing, space_before=4, space_after=8)
    flowable.role, flowable.alt = "Formula", block.alt or spoken(formula)
    return flowable