"""Tables in the handout: column widths from the content, drawn with reportlab's Table, split
between rows with the header row repeated on every page."""

from __future__ import annotations

import copy
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table

from studypack.render.handout_para import Para
from studypack.render.pdf_tags import ARTIFACT

PAD_X, PAD_Y = 4.5, 3.0  # cell padding
MIN_ROWS = 2  # body rows kept together at either side of a page break
MIN_SPLIT_ROW = 36.0  # a row taller than a page is cut only where this much of it fits


class Cell(Para):
    """A cell's paragraph. `role` is its structure element: TH in the header row, else TD;
    `row` and `column` place it (row 0 = the header), for the tagging pass."""

    role = "TD"
    row = 0
    column = 0


def column_widths(header: list[Cell], rows: list[list[Cell]], avail: float) -> list[float]:
    """Widths from the content, much as browsers lay out tables: every column gets its longest
    word, columns that want little keep their text on one line, and the rest of the frame goes
    to the others in proportion to how much more than their longest word they want. Words
    wider than an equal share of the frame wrap (cell paragraphs split long words)."""
    columns = list(zip(header, *rows))
    least, want = [], []
    for cells in columns:
        lo = max(c.minWidth() for c in cells) + 2 * PAD_X
        hi = max(_natural_width(c) for c in cells) + 2 * PAD_X
        least.append(lo)
        want.append(max(hi, lo))
    if sum(want) <= avail:
        return want
    if sum(least) > avail:
        # A word wider than an equal share of the frame breaks anyway: break it at that share,
        # so the columns of ordinary words keep theirs whole.
        least = [min(w, avail / len(least)) for w in least]
    # Columns that want no more than an equal share of what is left stay on one line ...
    widths: dict[int, float] = {}
    while True:
        open_ = [j for j in range(len(want)) if j not in widths]
        share = (avail - sum(widths.values())) / len(open_)
        short = [j for j in open_ if want[j] <= share]
        if not short or len(short) == len(open_):
            break
        widths.update((j, want[j]) for j in short)
    room = avail - sum(widths.values())
    lo, hi = sum(least[j] for j in open_), sum(want[j] for j in open_)
    if room < lo:  # ... unless the others' words would then not fit
        extra = (avail - sum(least)) / (sum(want) - sum(least))
        return [a + (b - a) * extra for a, b in zip(least, want)]
    # ... and the rest is shared in proportion to how much more each wants than its longest word.
    extra = (room - lo) / (hi - lo) if hi > lo else 0.0
    widths.update((j, least[j] + (want[j] - least[j]) * extra) for j in open_)
    return [widths[j] for j in range(len(want))]


def _natural_width(cell: Cell) -> float:
    """The width of a cell's text on one line: its fragments measured end to end (cheaper than
    breaking its lines at an unlimited width, which gives the same)."""
    return sum(_frag_width(f) for f in cell.frags)


def _frag_width(frag: Any) -> float:
    picture = getattr(frag, "cbDefn", None)  # an inline equation: an <img> of its typeset width
    if picture is not None and getattr(picture, "kind", "") == "img":
        return float(picture.width)
    return stringWidth(getattr(frag, "text", "") or "", frag.fontName, frag.fontSize)


def row_height(cells: list[Cell], widths: list[float]) -> float:
    return max(c.wrap(w - 2 * PAD_X, 1e6)[1] for c, w in zip(cells, widths)) + 2 * PAD_Y


class TableFlow(Flowable):
    """A table with its caption above, centred in the frame.

    Splits between body rows only (MIN_ROWS kept on either side), repeating the header row on
    every page; only a row taller than a whole page is cut inside. Each piece is drawn by a
    reportlab Table. Structure: a Table element of TR rows whose cells declare TH or TD (Cell).
    """

    role = "Table"

    def __init__(self, caption: Paragraph | None, header: list[Cell], rows: list[list[Cell]], widths: list[float],
                 styles: list[tuple[Any, ...]], frame_height: float):  # fmt: skip
        super().__init__()
        self.caption, self.header, self.rows, self.widths = caption, header, rows, widths
        self.styles, self.frame_height = styles, frame_height
        self.gap = 4.0 if caption is not None else 0.0
        self.header_height = row_height(header, widths)
        self.heights = [row_height(r, widths) for r in rows]
        self.spaceBefore, self.spaceAfter = 6.0, 12.0

    def _top(self, width: float) -> float:
        """Caption, gap and header row: what every piece begins with."""
        caption = self.caption.wrap(width, 1e6)[1] if self.caption is not None else 0.0
        return caption + self.gap + self.header_height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self._top(availWidth) + sum(self.heights)
        return (availWidth, self.height)

    @property
    def slack(self) -> float:
        """How much shorter its first piece on a page may be than the whole (handout_para.Keep)."""
        return sum(self.heights[MIN_ROWS:]) if len(self.rows) >= 2 * MIN_ROWS else 0.0

    def _piece(self, caption: Paragraph | None, rows: list[list[Cell]], repeat: bool = False) -> TableFlow:
        """A piece of this table; on a later page (`repeat`) its header row is decoration, since
        the header's text was read once already (the cells keep their TH/TD elements)."""
        header = [_decoration(cell) for cell in self.header] if repeat else self.header
        piece = TableFlow(caption, header, rows, self.widths, self.styles, self.frame_height)
        piece.struct = getattr(self, "struct", None)
        return piece

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        room = availHeight - self._top(availWidth)
        n, used, k = len(self.rows), 0.0, 0
        while k < n and used + self.heights[k] <= room:
            used += self.heights[k]
            k += 1
        if n >= 2 * MIN_ROWS:
            k = min(k, n - MIN_ROWS) if k >= MIN_ROWS else 0
        elif self.height <= self.frame_height:
            k = 0  # a short table is not parted: it moves on whole
        if k:
            return [self._piece(self.caption, self.rows[:k]), self._piece(None, self.rows[k:], repeat=True)]
        return self._cut_row(availWidth, room)

    def _cut_row(self, availWidth: float, room: float) -> list[Flowable]:
        """The first row cut where the page ends, when it is taller than any page."""
        if self.heights[0] <= self.frame_height - self._top(availWidth) or room < MIN_SPLIT_ROW:
            return []  # it fits on a fresh page: move on
        top: list[Cell] = []
        bottom: list[Cell] = []
        for cell, w in zip(self.rows[0], self.widths):
            parts = (
                cell.split(w - 2 * PAD_X, room - 2 * PAD_Y)
                if cell.wrap(w - 2 * PAD_X, 1e6)[1] > room - 2 * PAD_Y
                else [cell]
            )
            if not parts:
                return []
            top.append(_as_cell(parts[0], cell))
            bottom.append(_as_cell(parts[1], cell) if len(parts) > 1 else _empty(cell))
        return [self._piece(self.caption, [top]), self._piece(None, [bottom, *self.rows[1:]], repeat=True)]

    def draw(self) -> None:
        x = max(self.width - sum(self.widths), 0.0) / 2
        body = self.height - self._top(self.width) + self.header_height
        if self.caption is not None:
            self.caption.drawOn(self.canv, 0, body + self.gap)
        table = Table([self.header, *self.rows], colWidths=self.widths,
                      rowHeights=[self.header_height, *self.heights], style=self.styles)  # fmt: skip
        table.wrapOn(self.canv, sum(self.widths), body)
        table.drawOn(self.canv, x, 0)


def _as_cell(part: Paragraph, cell: Cell) -> Cell:
    """A piece of a split cell paragraph (split() makes its own class), keeping the cell's place,
    role and structure element."""
    part.role, part.row, part.column = cell.role, cell.row, cell.column
    part.struct = getattr(cell, "struct", None)
    return part  # type: ignore[return-value]


def _decoration(cell: Cell) -> Cell:
    repeated = copy.copy(cell)
    repeated.struct = ARTIFACT
    return repeated


def _empty(cell: Cell) -> Cell:
    out = Cell("", cell.style)
    out.role, out.row, out.column = cell.role, cell.row, cell.column
    out.struct = getattr(cell, "struct", None)
    return out
