"""ziamath's SVG read straight into PDF path operators (and reportlab shapes), without svglib.

ziamath draws an equation as filled `<path>` outlines (M, L, Q, C, Z; a glyph's drawn at the
origin and placed by a `translate`, studypack.math.typeset) and `<rect>` bars, grouped under
`<g fill=…>`. Those become a PDF content-stream fragment that keeps ziamath's numbers as written
(one matrix flips y and moves the origin to the box's bottom left, one more places each glyph;
only quadratic curves are computed, as cubic ones, once per glyph outline), read once per
equation and colour and kept in the math cache; a drawing places it with one more `cm`.
Anything else (strokes, other transforms, other elements: rare `menclose` notations) is not
read here: `read` returns None and the caller keeps the general SVG reader for that equation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree

import studypack.math.cache as cache
from studypack.picture import Path

SVG_NS = "{http://www.w3.org/2000/svg}"
_FORMAT = 2  # of the operators kept in the cache: raise when _read writes them differently
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"([MLQCZmlqcz])|({_NUMBER})")
_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}
_OPERATOR = {"M": "m", "L": "l", "C": "c", "Z": "h"}
_PAINT_ATTRS = frozenset({"d", "fill", "x", "y", "width", "height", "transform"})
_TRANSLATE = re.compile(rf"\s*translate\(\s*({_NUMBER})(?:[\s,]+({_NUMBER}))?\s*\)\s*")


class Unreadable(ValueError):
    """Something in the SVG this reader does not draw."""


@dataclass(frozen=True)
class Outlines:
    """Filled outlines: `ops` a PDF content fragment drawing them in points, origin at the box's
    bottom left, y up; `svg` what they were read from."""

    ops: str
    svg: str


def read(svg: str) -> Outlines | None:
    """The SVG's outlines, or None when it holds anything but filled paths and rectangles.
    Kept in the math cache: an empty entry means unreadable."""
    name = cache.key("pdf-ops", _FORMAT, svg)
    stored = cache.get(name, ".ops")
    if stored is not None:
        return Outlines(stored.decode("utf-8"), svg) if stored else None
    try:
        ops: str | None = _read(svg)[0]
    except (Unreadable, etree.XMLSyntaxError, ValueError):
        ops = None
    cache.put(name, ".ops", ops.encode("utf-8") if ops else b"")
    return Outlines(ops, svg) if ops else None


def painted(svg: str) -> tuple[tuple[tuple[str, Any], ...], float] | None:
    """((RRGGBB colour, a studypack.picture.Path or an (x, y, w, h) rectangle) for everything
    the SVG fills, the viewBox's left x), or None when it holds anything else."""
    try:
        items, min_x, _bottom = _items(svg)
    except (Unreadable, etree.XMLSyntaxError, ValueError):
        return None
    hexed = lambda rgb: "".join(f"{round(v * 255):02X}" for v in rgb)  # noqa: E731
    return tuple((hexed(rgb), item) for rgb, item in items), min_x


def _read(svg: str) -> tuple[str, list[Any], float, float]:
    """(PDF operators, [(rgb, Path or rectangle)], the viewBox's left x and bottom y)."""
    items, min_x, bottom = _items(svg)
    # The paths keep ziamath's own coordinates (y down): one matrix flips and shifts them.
    ops = [f"1 0 0 -1 {_num(-min_x)} {_num(bottom)} cm"]
    color = None
    for rgb, item in items:
        if rgb != color:
            ops.append(f"{_num(rgb[0])} {_num(rgb[1])} {_num(rgb[2])} rg")
            color = rgb
        if isinstance(item, Path):
            if item.dx or item.dy:  # one path object: moved by a matrix of its own
                ops.append(f"q 1 0 0 1 {_num(item.dx)} {_num(item.dy)} cm\n{_path_ops(item.d)}\nQ")
            else:
                ops.append(_path_ops(item.d))
        else:
            ops.append(" ".join(_num(v) for v in item) + " re f")
    return "\n".join(ops), items, min_x, bottom


def _items(svg: str) -> tuple[list[Any], float, float]:
    """([(rgb, Path or (x, y, w, h))] in drawing order, the viewBox's left x and bottom y)."""
    root = etree.fromstring(svg.encode("utf-8"))
    min_x, top, _width, total = (float(v) for v in root.get("viewBox", "").split())
    bottom = top + total  # the box's bottom edge, in SVG y (down)
    items: list[Any] = []

    def walk(el: Any, fill: str) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.removeprefix(SVG_NS)
            if set(child.attrib) - _PAINT_ATTRS:
                raise Unreadable(f"{tag} with {sorted(set(child.attrib) - _PAINT_ATTRS)}")
            own = child.get("fill", fill)
            if "transform" in child.attrib and tag != "path":
                raise Unreadable(f"{tag} with a transform")
            if tag == "g":
                walk(child, own)
            elif tag == "path":
                items.append((_rgb(own), Path(child.get("d", ""), *_translation(child.get("transform")))))
            elif tag == "rect":
                items.append((_rgb(own), tuple(float(child.get(k, 0)) for k in ("x", "y", "width", "height"))))
            else:
                raise Unreadable(tag)

    walk(root, root.get("fill", "black"))
    return items, min_x, bottom


def _translation(transform: str | None) -> tuple[float, float]:
    if transform is None:
        return 0.0, 0.0
    m = _TRANSLATE.fullmatch(transform)
    if m is None:
        raise Unreadable(f"transform {transform!r}")
    return float(m.group(1)), float(m.group(2) or 0)


_PATH = re.compile(r"[MLQCZ\d. ,\t\n-]*")  # absolute commands, numbers as ziamath writes them
_COMMAND = re.compile(r"([MLQCZ])([^MLQCZ]*)")
_TWO_THIRDS = 2 / 3


@lru_cache(maxsize=4096)  # a glyph's outline recurs wherever the glyph is placed
def _path_ops(d: str) -> str:
    """SVG path data (absolute M, L, Q, C, Z) as PDF path operators, filled (nonzero)."""
    if not _PATH.fullmatch(d) or not d.lstrip(" ,\t\n").startswith(tuple(_ARITY)):
        raise Unreadable("path data this reader does not copy")
    out: list[str] = []
    cx = cy = sx = sy = 0.0  # the current point and the subpath's start
    for command, args in _COMMAND.findall(d.replace(",", " ")):
        v = args.split()
        arity = _ARITY[command]
        if arity == 0:
            if v:
                raise Unreadable("numbers after Z")
            out.append("h")
            cx, cy = sx, sy
            continue
        if not v or len(v) % arity:
            raise Unreadable(f"{command} with {len(v)} numbers")
        if command == "Q":  # the cubic curves of the same shape
            for i in range(0, len(v), 4):
                qx, qy, ex, ey = float(v[i]), float(v[i + 1]), float(v[i + 2]), float(v[i + 3])
                c1x, c1y = cx + _TWO_THIRDS * (qx - cx), cy + _TWO_THIRDS * (qy - cy)
                c2x, c2y = ex + _TWO_THIRDS * (qx - ex), ey + _TWO_THIRDS * (qy - ey)
                out.append(f"{c1x:.3f} {c1y:.3f} {c2x:.3f} {c2y:.3f} {v[i + 2]} {v[i + 3]} c")
                cx, cy = ex, ey
            continue
        for i in range(0, len(v), arity):  # pairs after an M's first are lines
            op = "l" if command == "M" and i else _OPERATOR[command]
            out.append(f"{' '.join(v[i : i + arity])} {op}")
        cx, cy = float(v[-2]), float(v[-1])
        if command == "M":
            sx, sy = float(v[0]), float(v[1])
    out.append("f")
    return "\n".join(out)


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


def _num(v: float) -> str:
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


_HEX6 = re.compile(r"#[0-9a-f]{6}")
_HEX3 = re.compile(r"#[0-9a-f]{3}")


@lru_cache(maxsize=64)  # an equation has one colour or a few, read for each of its glyphs
def _rgb(fill: str) -> tuple[float, float, float]:
    fill = fill.strip().lower()
    if fill == "black":
        return (0.0, 0.0, 0.0)
    if fill == "none":
        raise Unreadable("an unfilled shape")
    if _HEX6.fullmatch(fill):
        return tuple(int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]
    if _HEX3.fullmatch(fill):
        return tuple(int(c * 2, 16) / 255 for c in fill[1:])  # type: ignore[return-value]
    from reportlab.lib import colors

    try:
        color = colors.toColor(fill)
    except ValueError as exc:
        raise Unreadable(f"fill {fill!r}") from exc
    return (color.red, color.green, color.blue)


def shapes(outlines: Outlines) -> list[Any]:
    """The outlines as reportlab Path shapes, y up (for renderers that walk a Drawing)."""
    from reportlab.graphics.shapes import Path as Shape
    from reportlab.lib.colors import Color

    _, items, min_x, bottom = _read(outlines.svg)
    out = []
    for rgb, item in items:
        path = Shape(fillColor=Color(*rgb), strokeColor=None, strokeWidth=0, fillMode=1)
        if isinstance(item, Path):
            segments = _segments(item.d, min_x - item.dx, bottom - item.dy)
        else:
            x, y, w, h = item
            x, y = x - min_x, bottom - y
            segments = (
                ("M", (x, y)),
                ("L", (x + w, y)),
                ("L", (x + w, y - h)),
                ("L", (x, y - h)),
                ("Z", ()),
            )
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
