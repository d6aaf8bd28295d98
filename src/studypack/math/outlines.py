"""ziamath's SVG read straight into PDF path operators (and reportlab shapes), without svglib.

ziamath draws an equation as filled `<path>` outlines (M, L, Q, C, Z) and `<rect>` bars,
grouped under `<g fill=…>`. Those are read here once per equation and colour into a PDF
content-stream fragment at the SVG's own size, origin at the box's bottom left, y up; a
drawing places it with one `cm`. Anything else (strokes, transforms, other elements: rare
`menclose` notations, arrows) is not read here: `read` returns None and the caller keeps the
general SVG reader for that equation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

SVG_NS = "{http://www.w3.org/2000/svg}"
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"([MLQCZmlqcz])|({_NUMBER})")
_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}
_PAINT_ATTRS = frozenset({"d", "fill", "x", "y", "width", "height"})


class Unreadable(ValueError):
    """Something in the SVG this reader does not draw."""


@dataclass(frozen=True)
class Outlines:
    """Filled outlines: `ops` a PDF content fragment (paths in points, origin at the box's
    bottom left, y up); `paths` the same as (rgb, segments) for reportlab shapes."""

    ops: str
    paths: tuple[tuple[tuple[float, float, float], tuple[tuple[str, tuple[float, ...]], ...]], ...]


def read(svg: str) -> Outlines | None:
    """The SVG's outlines, or None when it holds anything but filled paths and rectangles."""
    try:
        return _read(svg)
    except (Unreadable, etree.XMLSyntaxError, ValueError):
        return None


def _read(svg: str) -> Outlines:
    root = etree.fromstring(svg.encode("utf-8"))
    min_x, top, _width, total = (float(v) for v in root.get("viewBox", "").split())
    bottom = top + total  # the box's bottom edge, in SVG y (down)
    paths: list[Any] = []

    def walk(el: Any, fill: str) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.removeprefix(SVG_NS)
            if set(child.attrib) - _PAINT_ATTRS:
                raise Unreadable(f"{tag} with {sorted(set(child.attrib) - _PAINT_ATTRS)}")
            own = child.get("fill", fill)
            if tag == "g":
                walk(child, own)
            elif tag == "path":
                paths.append((_rgb(own), _segments(child.get("d", ""), min_x, bottom)))
            elif tag == "rect":
                x, y = float(child.get("x", 0)) - min_x, bottom - float(child.get("y", 0))
                w, h = float(child.get("width", 0)), float(child.get("height", 0))
                rect = (
                    ("M", (x, y)),
                    ("L", (x + w, y)),
                    ("L", (x + w, y - h)),
                    ("L", (x, y - h)),
                    ("Z", ()),
                )
                paths.append((_rgb(own), rect))
            else:
                raise Unreadable(tag)

    walk(root, root.get("fill", "black"))
    return Outlines(_pdf_ops(paths), tuple(paths))


def _segments(d: str, min_x: float, bottom: float) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """Absolute M/L/Q/C/Z commands, flipped to y up; quadratic curves become cubic ones."""
    out: list[tuple[str, tuple[float, ...]]] = []
    command, numbers = "", []
    current = start = (0.0, 0.0)

    def emit() -> None:
        nonlocal current, start
        if not command:
            if numbers:
                raise Unreadable("numbers before a command")
            return
        arity = _ARITY[command]
        if arity == 0:
            if numbers:
                raise Unreadable("numbers after Z")
            out.append(("Z", ()))
            current = start
            return
        if not numbers or len(numbers) % arity:
            raise Unreadable(f"{command} with {len(numbers)} numbers")
        for i in range(0, len(numbers), arity):
            pts = [(numbers[j] - min_x, bottom - numbers[j + 1]) for j in range(i, i + arity, 2)]
            kind = command if command != "M" or i == 0 else "L"  # extra pairs after M are lines
            if kind == "Q":  # the cubic with the same shape
                (qx, qy), (ex, ey) = pts
                cx, cy = current
                pts = [(cx + 2 / 3 * (qx - cx), cy + 2 / 3 * (qy - cy)),
                       (ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey)), (ex, ey)]  # fmt: skip
                kind = "C"
            out.append((kind, tuple(v for p in pts for v in p)))
            current = pts[-1]
            if kind == "M":
                start = current

    for m in _TOKEN.finditer(d):
        if m.group(1):
            emit()
            command, numbers = m.group(1), []
            if command.islower():
                raise Unreadable("relative path commands")
        else:
            numbers.append(float(m.group(2)))
    emit()
    if _TOKEN.sub("", d).strip(" ,\t\n"):
        raise Unreadable("path data this reader does not know")
    return tuple(out)


_OPERATOR = {"M": "m", "L": "l", "C": "c", "Z": "h"}


def _pdf_ops(paths: list[Any]) -> str:
    parts: list[str] = []
    color = None
    for rgb, segments in paths:
        if rgb != color:
            parts.append(f"{_num(rgb[0])} {_num(rgb[1])} {_num(rgb[2])} rg")
            color = rgb
        for kind, values in segments:
            parts.append(" ".join([*(_num(v) for v in values), _OPERATOR[kind]]))
        parts.append("f")
    return "\n".join(parts)


def _num(v: float) -> str:
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _rgb(fill: str) -> tuple[float, float, float]:
    fill = fill.strip().lower()
    if fill == "black":
        return (0.0, 0.0, 0.0)
    if fill == "none":
        raise Unreadable("an unfilled shape")
    if re.fullmatch(r"#[0-9a-f]{6}", fill):
        return tuple(int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]
    if re.fullmatch(r"#[0-9a-f]{3}", fill):
        return tuple(int(c * 2, 16) / 255 for c in fill[1:])  # type: ignore[return-value]
    from reportlab.lib import colors

    try:
        color = colors.toColor(fill)
    except ValueError as exc:
        raise Unreadable(f"fill {fill!r}") from exc
    return (color.red, color.green, color.blue)


def shapes(outlines: Outlines) -> list[Any]:
    """The outlines as reportlab Path shapes (for renderers that walk a Drawing)."""
    from reportlab.graphics.shapes import Path
    from reportlab.lib.colors import Color

    out = []
    for rgb, segments in outlines.paths:
        path = Path(fillColor=Color(*rgb), strokeColor=None, strokeWidth=0, fillMode=1)
        for kind, v in segments:
            if kind == "M":
                path.moveTo(*v)
            elif kind == "L":
                path.lineTo(*v)
            elif kind == "C":
                path.curveTo(*v)
            else:
                path.closePath()
        out.append(path)
    return out
