"""Transparent PNG pictures drawn from text, filled outlines and rectangles: the deck's fallback
pictures of equations and of text shapes and tables that hold equations.

Outlines are drawn by aggdraw (Anti-Grain Geometry: antialiased), text by Pillow's FreeType,
each colour's coverage into an 8-bit mask of its own. Without filled rectangles the colours never
overlap, and the masks are written as one palette PNG (a colour's coverage levels are its palette
entries, with their alpha): nothing to quantise, a quarter of RGBA's bytes to compress. With
rectangles (a table's fills and rules) the masks are composited in RGBA, fills first.
resvg drew the same pictures 4-6x slower: its time grows with the pixels, and most of a text
box is empty.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

FORMAT = 1  # raise when the same items are drawn differently (keys the pictures in the math cache)
Matrix = tuple[float, float, float, float, float, float]  # x' = a x + b y + c, y' = d x + e y + f
_UNDERLINE = (0.106, 0.073)  # position below the baseline and thickness, in em (Arial's and its clones')


@dataclass(frozen=True)
class Text:
    """A run of text on a baseline, in points from the picture's top left."""

    x: float
    baseline: float
    size: float
    font: str  # the font file
    color: str  # RRGGBB
    text: str
    underline: bool = False


@dataclass(frozen=True)
class Path:
    """SVG path data, drawn moved by (dx, dy)."""

    d: str
    dx: float = 0.0
    dy: float = 0.0


@dataclass(frozen=True)
class Outlines:
    """Filled outlines: (colour, a Path or an (x, y, w, h) rectangle) in their own units,
    `matrix` taking those units to points (y down)."""

    paths: tuple[tuple[str, Path | tuple[float, float, float, float]], ...]
    matrix: Matrix


@dataclass(frozen=True)
class Rect:
    """A filled rectangle behind everything else (a table's fill or rule), in points."""

    x: float
    y: float
    w: float
    h: float
    color: str


@dataclass(frozen=True)
class Mask:
    """A picture (PNG bytes) whose alpha is painted in `color` over the box x, y, w, h (points):
    for the rare equation whose outlines only a general SVG renderer draws."""

    x: float
    y: float
    w: float
    h: float
    png: bytes
    color: str


Item = Text | Outlines | Rect | Mask


@dataclass(frozen=True)
class Picture:
    """A PNG and where it lies on its canvas, in points (the whole canvas unless cropped)."""

    png: bytes
    box: tuple[float, float, float, float]  # x, y, width, height


def png(width: float, height: float, dpi: float, items: Sequence[Item], crop: bool = False) -> Picture:
    """The items drawn on a transparent canvas of width x height points at `dpi`; with `crop`,
    only the part they ink (the PNG's pixels keep their size: placed at `box`, it matches)."""
    zoom = dpi / 72
    size = (max(1, round(width * zoom)), max(1, round(height * zoom)))
    fills: dict[str, list[Item]] = {}
    inks: dict[str, list[Item]] = {}
    for item in items:
        if isinstance(item, Outlines):  # drawn into the mask of each colour it holds
            for color in dict.fromkeys(c for c, _ in item.paths):
                inks.setdefault(color, []).append(item)
        else:
            (fills if isinstance(item, Rect) else inks).setdefault(item.color, []).append(item)
    layers = [(c, _mask(size, zoom, c, found)) for c, found in fills.items()]
    layers += [(c, _mask(size, zoom, c, found)) for c, found in inks.items()]
    area = (0, 0, *size)
    if crop:  # most of a text box is empty: smaller pixels to combine and compress
        boxes = [b for _, mask in layers if (b := mask.getbbox()) is not None]
        area = (
            (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            if boxes
            else (0, 0, 1, 1)
        )
        layers = [(c, mask.crop(area)) for c, mask in layers]
    size = (area[2] - area[0], area[3] - area[1])
    out = io.BytesIO()
    if fills:
        _composited(size, layers).save(out, "PNG", compress_level=1)
    else:
        image, alpha = _paletted(size, layers)
        image.save(out, "PNG", compress_level=1, transparency=alpha)
    box = (area[0] / zoom, area[1] / zoom, size[0] / zoom, size[1] / zoom)
    return Picture(out.getvalue(), box)


def _mask(size: tuple[int, int], zoom: float, color: str, items: Sequence[Item]) -> Image.Image:
    """The coverage (0-255) of everything `items` paint in `color`."""
    import aggdraw

    mask = Image.new("L", size, 0)
    shapes = [i for i in items if isinstance(i, Outlines | Rect)]
    if shapes:
        draw = aggdraw.Draw(mask)
        brush = aggdraw.Brush(255)
        for item in shapes:
            if isinstance(item, Rect):
                draw.settransform((zoom, 0, 0, 0, zoom, 0))
                draw.symbol((0, 0), aggdraw.Symbol(_rect_path((item.x, item.y, item.w, item.h))), None, brush)
                continue
            a, b, c, d, e, f = item.matrix
            for own, shape in item.paths:
                if own != color:
                    continue
                dx, dy = (shape.dx, shape.dy) if isinstance(shape, Path) else (0.0, 0.0)
                moved = (a, b, c + a * dx + b * dy, d, e, f + d * dx + e * dy)
                draw.settransform(tuple(v * zoom for v in moved))
                data = shape.d if isinstance(shape, Path) else _rect_path(shape)
                draw.symbol((0, 0), _symbol(data), None, brush)
        draw.flush()
    pen = ImageDraw.Draw(mask)
    for item in items:
        if isinstance(item, Text):
            font = _font(item.font, round(item.size * zoom, 2))
            x, y = item.x * zoom, item.baseline * zoom
            pen.text((x, y), item.text, fill=255, font=font, anchor="ls")
            if item.underline:
                top, thick = (v * item.size * zoom for v in _UNDERLINE)
                length = font.getlength(item.text)
                pen.rectangle((x, y + top - thick / 2, x + length, y + top + thick / 2), fill=255)
        elif isinstance(item, Mask):
            box = tuple(round(v * zoom) for v in (item.x, item.y, item.x + item.w, item.y + item.h))
            w, h = max(1, box[2] - box[0]), max(1, box[3] - box[1])
            alpha = Image.open(io.BytesIO(item.png)).convert("RGBA").getchannel("A").resize((w, h))
            mask.paste(Image.new("L", (w, h), 255), box[:2], alpha)
    return mask


@lru_cache(maxsize=4096)  # a glyph's outline recurs wherever the glyph is placed
def _symbol(data: str) -> Any:
    import aggdraw

    return aggdraw.Symbol(data)


def _rect_path(rect: tuple[float, float, float, float]) -> str:
    x, y, w, h = rect
    return f"M{x} {y}h{w}v{h}h{-w}Z"


@lru_cache(maxsize=64)
def _font(file: str, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(file, size_px)


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _paletted(size: tuple[int, int], layers: list[tuple[str, Image.Image]]) -> tuple[Image.Image, bytes]:
    """One palette image of all layers: entry 0 clear, then each colour's `levels` entries of
    rising alpha (256 levels for one colour, 127 for two...). Where two colours' edges meet,
    the later one is kept."""
    levels = max(1, 255 // max(1, len(layers)))
    if len(layers) == 1:  # one colour: each pixel's coverage is its palette index
        color, mask = layers[0]
        index = mask.copy()
        index.putpalette([0, 0, 0] + list(_rgb(color)) * 255)
        return index, bytes(range(256))
    index = Image.new("L", size, 0)
    palette: list[int] = [0, 0, 0]
    alpha = bytearray([0])
    for n, (color, mask) in enumerate(layers):
        first = 1 + n * levels
        lut = [0] + [first + min(levels - 1, (a * levels - 1) // 255) for a in range(1, 256)]
        index.paste(mask.point(lut), None, mask.point([0] + [255] * 255))
        palette += list(_rgb(color)) * levels
        alpha += bytes(round((k + 1) * 255 / levels) for k in range(levels))
    index.putpalette(palette)
    return index, bytes(alpha)


def _composited(size: tuple[int, int], layers: list[tuple[str, Image.Image]]) -> Image.Image:
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    for color, mask in layers:
        paint = Image.new("RGBA", size, (*_rgb(color), 255))
        paint.putalpha(mask)
        canvas = Image.alpha_composite(canvas, paint)
    return canvas
