"""Tables on slides: column widths from the content, the largest size that fits, and rows
spread over continuation slides with the header repeated (never a row cut in half)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from studypack.errors import Report
from studypack.fit import groups, runs_width
from studypack.inline import Run, plain_text
from studypack.model import Table
from studypack.plan.deck_fit import HEIGHT_SAFETY, LINE, WIDTH_SAFETY, Box, Fitter, Para
from studypack.plan.deck_inline import deck_runs, has_math, natural_widths

TABLE_SIZES = (20.0, 18.0, 16.0, 14.0, 12.0)  # largest first; the last is the smallest allowed
SPLIT_SIZE = 16.0  # a table over several slides is set at most this large: fewer slides
CELL_X = 5.4  # pt of cell margin left and right (written as marL/marR)
CELL_Y = 3.6  # pt of cell margin above and below (marT/marB)
ROW_SAFETY = 1.0  # pt added to every row: clients round line positions
SLACK = 0.5  # of its natural width a table may grow by to look less cramped
_ALIGN = {"left": "", "center": "ctr", "right": "r"}


@dataclass(frozen=True)
class TableSlice:
    """The part of a table on one slide: the header row first, then body rows."""

    frame: Box  # the graphic frame (points)
    widths: tuple[float, ...]  # each column's
    heights: tuple[float, ...]  # each row's, header first
    rows: tuple[tuple[Para, ...], ...]  # each cell one paragraph
    header_rows: int = 1
    descr: str = ""  # alt text: the caption
    size: float = 0.0  # the cells' font size
    fitted: bool = True  # False: too wide even at the smallest size


def cell_box(width: float, height: float = 1e9) -> Box:
    return Box(0.0, 0.0, width, height, CELL_X, CELL_Y)


@dataclass
class _Measure:
    size: float
    widths: list[float]
    rows: list[tuple[Para, ...]]  # prepared for their columns, header first
    heights: list[float]
    too_wide: bool


def _cells(table: Table, size: float, header_color: str) -> list[tuple[Para, ...]]:
    def para(text: str, j: int, head: bool) -> Para:
        runs = deck_runs(text) or (Run(" "),)
        if head:  # bold in the runs, so the Fitter measures it bold
            runs = tuple(replace(r, bold=True) for r in runs)
        return Para(
            runs, size, color=header_color if head else "text", align=_ALIGN[table.alignment(j)]
        )

    return [tuple(para(t, j, True) for j, t in enumerate(table.header))] + [
        tuple(para(t, j, False) for j, t in enumerate(row)) for row in table.rows
    ]


@dataclass(frozen=True)
class _Natural:
    """Each cell's width at 1 pt, whole and of its longest word (widths scale with the size)."""

    cells: list[tuple[Para, ...]]  # header first, at 1 pt
    whole: list[tuple[float, ...]]
    word: list[tuple[float, ...]]


def _natural(fit: Fitter, table: Table, header_color: str) -> _Natural:
    cells = _cells(table, 1.0, header_color)
    if any(has_math(p.runs) for row in cells for p in row):  # equations by their typeset width
        pairs = [[natural_widths(p.runs, fit.body) for p in row] for row in cells]
        return _Natural(cells, [tuple(w for w, _ in r) for r in pairs], [tuple(g for _, g in r) for r in pairs])
    whole = [tuple(runs_width(p.runs, fit.body, 1.0) for p in row) for row in cells]
    word = [
        tuple(
            max(
                (runs_width(g, fit.body, 1.0) for g in groups(p.runs) if g[0].text.strip()),
                default=0.0,
            )
            for p in row
        )
        for row in cells
    ]
    return _Natural(cells, whole, word)


def _needed(em: float, size: float) -> float:
    """The column width that sets text `em` wide (at 1 pt) on one line at `size`."""
    return em * size / WIDTH_SAFETY + 2 * CELL_X + 0.5


def _column_widths(nat: _Natural, size: float, room: float) -> tuple[list[float], bool]:
    """Widths that add up to at most `room`: each column at least its longest word, the rest
    shared by how much more each needs to set its cells on one line (as browsers do); and
    whether even the longest words do not fit (they are then broken inside their cells)."""
    columns = range(len(nat.cells[0]))
    most = [_needed(max(row[j] for row in nat.whole), size) for j in columns]
    least = [
        min(_needed(max(row[j] for row in nat.word), size), hi) for j, hi in zip(columns, most)
    ]
    if sum(most) <= room:
        grow = min(room - sum(most), sum(most) * SLACK)
        return [w + grow * w / sum(most) for w in most], False
    if sum(least) <= room:
        spare, want = room - sum(least), sum(hi - lo for lo, hi in zip(least, most))
        return [lo + spare * (hi - lo) / want for lo, hi in zip(least, most)], False
    # Too wide even word by word: a fair share each, no column narrower than its need allows.
    return [room * w / sum(least) for w in least], True


def _measure(fit: Fitter, nat: _Natural, size: float, room: float) -> _Measure:
    widths, too_wide = _column_widths(nat, size, room)
    rows, heights = [], []
    for row, whole in zip(nat.cells, nat.whole):
        cells, tall = [], round(size * LINE, 2)
        for para, em, w in zip(row, whole, widths):
            para = replace(para, size=size)
            if _needed(em, size) > w or has_math(para.runs):  # wraps: words too wide are hyphenated, lines counted
                para = fit.prepare(para, cell_box(w))
                tall = max(tall, fit.lines(para, cell_box(w)) * para.line_height)
            cells.append(para)
        rows.append(tuple(cells))
        heights.append(round(tall + 2 * CELL_Y + ROW_SAFETY, 2))
    return _Measure(size, widths, rows, heights, too_wide)


def _row_height(fit: Fitter, row: Sequence[Para], widths: Sequence[float]) -> float:
    lines = max(fit.lines(p, cell_box(w)) * p.line_height for p, w in zip(row, widths))
    return round(lines + 2 * CELL_Y + ROW_SAFETY, 2)


def plan_table(
    table: Table, fit: Fitter, box: Box, header_color: str, report: Report
) -> list[TableSlice]:
    """The table's slices, one per slide. The size is the largest at which the columns fit the
    box's width and the whole table one slide; a table no size holds on one slide is spread
    over as few slides as it takes at SPLIT_SIZE or less; too wide at the smallest size: a
    located warning, long words broken inside their cells."""
    room, tall = box.w, box.h - HEIGHT_SAFETY
    found: list[_Measure] = []
    nat = _natural(fit, table, header_color)
    for size in TABLE_SIZES:
        m = _measure(fit, nat, size, room)
        if not m.too_wide and sum(m.heights) <= tall:
            found = [m]
            break
        found.append(m)
    else:
        fitting = [m for m in found if not m.too_wide]
        if fitting:
            found = [next((m for m in fitting if m.size <= SPLIT_SIZE), fitting[-1])]
        else:
            found = [found[-1]]
            report.warning(
                table.span,
                f"table is too wide for a slide even at {found[0].size:g} pt; long words are broken inside their cells",
            )
    m = found[0]
    _cut_rows_taller_than(fit, table, m, tall, report)
    width = sum(m.widths)
    x = box.x + (box.w - width) / 2
    descr = plain_text(table.caption or "")
    out = []
    for chunk in _chunks(m.heights[0], m.heights[1:], tall):
        rows = (m.rows[0], *(m.rows[1 + i] for i in chunk))
        heights = (m.heights[0], *(m.heights[1 + i] for i in chunk))
        frame = Box(x, box.y, width, sum(heights))
        out.append(
            TableSlice(frame, tuple(m.widths), heights, rows, 1, descr, m.size, not m.too_wide)
        )
    return out


def _cut_rows_taller_than(
    fit: Fitter, table: Table, m: _Measure, tall: float, report: Report
) -> None:
    """A body row that even alone under the header is taller than a slide: its cells cut with '…'."""
    room = tall - m.heights[0]
    for i in range(1, len(m.rows)):
        if m.heights[i] <= room:
            continue
        report.warning(
            table.span, f"row {i} of the table is too tall for a slide; its text is cut short"
        )
        text_room = room - 2 * CELL_Y - ROW_SAFETY
        cut = []
        for para, w in zip(m.rows[i], m.widths):
            box = Box(0, 0, w, text_room + 2 * CELL_Y, CELL_X, CELL_Y)
            if fit.lines(para, box) * para.line_height > text_room:
                runs, _ = fit.ellipsize(
                    "".join(r.text for r in para.runs), replace(para, runs=()), box
                )
                para = replace(para, runs=runs)
            cut.append(para)
        m.rows[i] = tuple(cut)
        m.heights[i] = _row_height(fit, m.rows[i], m.widths)


def _chunks(header: float, heights: Sequence[float], tall: float) -> list[range]:
    """Body rows per slide under the header: as few slides as hold them, as even as they go
    (the least tallest slide: a binary search on the cap of greedy filling)."""

    def greedy(cap: float) -> list[range]:
        out, start, used = [], 0, header
        for i, h in enumerate(heights):
            if used + h > cap and i > start:
                out.append(range(start, i))
                start, used = i, header
            used += h
        out.append(range(start, len(heights)))
        return out

    fewest = len(greedy(tall))
    lo, hi = header + max(heights, default=0.0), tall
    for _ in range(30):
        mid = (lo + hi) / 2
        if len(greedy(mid)) <= fewest:
            hi = mid
        else:
            lo = mid
    return greedy(hi)
