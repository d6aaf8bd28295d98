"""Where each line of a deck text shape lies, as a client sets it: for drawing the shape
ourselves (the fallback picture of a shape holding inline equations)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from studypack.fit import FontSet
from studypack.plan.deck_fit import Box, Para
from studypack.plan.deck_inline import LinePiece, baseline_in_line, math_lines


@dataclass(frozen=True)
class PlacedLine:
    """One line of a text shape as the fitter broke it, in points from the shape's top left."""

    x: float  # where its first piece starts
    baseline: float
    pieces: tuple[LinePiece, ...]
    size: float
    bullet_x: float | None  # the bullet's x on a paragraph's first line, else None
    para_index: int


def place_lines(
    paras: Sequence[Para], box: Box, fonts: FontSet, align: str, anchor: str, width: Callable[[Para], float],
    hanging: float,
) -> list[PlacedLine]:  # fmt: skip
    """Every line of the shape's paragraphs where a client sets it: the fitter's breaks, the
    paragraphs' pitch and spacing, the shape's insets, alignment ('l', 'ctr', 'r') and anchor
    ('t', 'ctr', 'b')."""
    out: list[PlacedLine] = []
    top = box.inset_y
    for i, para in enumerate(paras):
        if i:
            top += para.space_before
        pitch = para.line_height
        lines = math_lines(para.runs, fonts, para.size, width(para))
        drop = baseline_in_line(para.runs, para.size, pitch)
        left = box.inset_x + para.margin
        room = box.text_width - para.margin
        how = para.align or align
        for k, line in enumerate(lines):
            pieces = tuple(line)
            used = sum(p.width for p in pieces)
            x = left + {"ctr": (room - used) / 2, "r": room - used}.get(how, 0.0)
            bullet = left - hanging if para.bullet and k == 0 else None
            out.append(PlacedLine(x, top + k * pitch + drop, pieces, para.size, bullet, i))
        top += max(1, len(lines)) * pitch
    shift = {"ctr": 0.5, "b": 1.0}.get(anchor, 0.0) * max(0.0, box.h - box.inset_y - top)
    if shift:
        out = [replace(line, baseline=line.baseline + shift) for line in out]
    return out
