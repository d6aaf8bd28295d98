"""Typesetting with ziamath (STIX Two Math, shipped in its wheel): SVG, size, PNG (the reportlab
drawings of the handout and flashcards are in studypack.math.drawing).

One unit of ziamath's SVG is one point here: equations are typeset at the font size in points.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib.metadata
import json
import re
import sys
import types
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from lxml import etree

import studypack.math.cache as cache
from studypack.math.formula import Formula, extensible_arrow
from studypack.math.outlines import painted

# Scripts shrink to at most this fraction of the size asked for. ziamath applies its own
# fraction to its font's fixed 24 pt base size, so equations are typeset at that size only
# (where the two agree) and scaled: deep scripts and tiny equations keep shrinking.
MIN_SCRIPT_FRACTION = 0.3
BASE_SIZE = 24.0  # ziamath's MathFont basesize, which its minimum script size is a fraction of
_SVG_FORM = 2  # of the SVGs kept in the math cache: raise when _ziamath writes them differently
_VIEWBOX = re.compile(r'viewBox="([-\d.e]+) ([-\d.e]+) ([-\d.e]+) ([-\d.e]+)"')


@lru_cache(maxsize=1)
def ziamath_version() -> str:
    """ziamath's version, read without importing it (the import loads its font: ~0.2 s a
    process that finds every equation in the math cache does not spend)."""
    return importlib.metadata.version("ziamath")


@lru_cache(maxsize=1)
def _ziamath_module() -> Any:
    if ziamath_version() == "0.13":
        _escapes_when_needed()
    with warnings.catch_warnings():  # ziamath 0.13 finds its font through a deprecated call
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziamath
        import ziamath.styles

    # parse_style copies its parent's style with dataclasses.asdict, a deep copy, for every
    # node, only to read a few plain fields from it: a shallow copy reads the same and saves
    # about a fifth of the typesetting time. Only the version whose code was read is changed.
    if ziamath.__version__ == "0.13" and ziamath.styles.asdict is dataclasses.asdict:
        _replace(ziamath.styles, "asdict", _shallow_fields)
        # parse_style reads an element's attributes over its parent's style through a ChainMap,
        # a dozen lookups a node: one merged dict answers them the same, faster
        _replace(ziamath.styles, "ChainMap", _merged)
        _measure_rows_only_to_stretch()
        _remember_sizes()
        _quicker_numbers()
        _glyphs_outlined_once()
        _arrows_stretched_under_labels()
    ziamath.config.svg2 = False  # plain <path> elements: outlines.read and any SVG reader take them
    return ziamath


# ziamath's and ziafont's own functions where _ziamath_module replaced them for speed, drawing
# the same: (owner, name) -> function. FIXED: those replaced to draw better (a test checks both).
STOCK: dict[tuple[Any, str], Any] = {}
FIXED: dict[tuple[Any, str], Any] = {}


def _replace(owner: Any, name: str, new: Any, registry: dict[tuple[Any, str], Any] = STOCK) -> None:
    registry[(owner, name)] = getattr(owner, name)
    setattr(owner, name, new)


def _arrows_stretched_under_labels() -> None:
    """ziamath stretches an arrow set over or under something (`\\overrightarrow{AB}`) but not an
    arrow that labels are set over and under (`\\xrightarrow{heat}`, `\\xleftarrow[n]{f}`): it
    stayed one character wide beneath a long label. An arrow base is laid out again as wide as
    its widest label, as TeX's extensible arrows are."""
    from ziamath.nodes.mnode import Mnode
    from ziamath.nodes.munderover import Mover, Munder, Munderover

    for kind in (Mover, Munder, Munderover):
        laid_out = kind.__init__

        def stretched(self: Any, element: Any, parent: Any, *, _stock: Any = laid_out, **kwargs: Any) -> None:
            _stock(self, element, parent, **kwargs)
            if not extensible_arrow(element[0]):
                return
            labels = [n for n in (getattr(self, "over", None), getattr(self, "under", None)) if n is not None]
            wide = max((n.bbox.xmax - n.bbox.xmin for n in labels), default=0.0)
            if wide <= self.base.bbox.xmax - self.base.bbox.xmin:
                return
            self.base = Mnode.fromelement(element[0], parent=self, **{**kwargs, "width": wide})
            self.nodes, self.nodexy = [], []
            self._setup(**kwargs)

        _replace(kind, "__init__", stretched, FIXED)



def _escapes_when_needed() -> None:
    """ziamath's escapes module compiles one regex of 2,000 MathML entity names as it is
    imported (0.07 s, a third of ziamath's import, in every process that typesets) for
    `unescape`, which only MathML given as text reads: _ziamath gives equations parsed where
    unescaping would change nothing, so the module loads when an equation first needs it."""
    if "ziamath.escapes" in sys.modules:
        return
    stand_in = types.ModuleType("ziamath.escapes")
    stand_in.unescape = lambda xmlstr: real_unescape()(xmlstr)  # type: ignore[attr-defined]
    sys.modules["ziamath.escapes"] = stand_in


def real_unescape() -> Any:
    """ziamath's own unescape, its module loaded in place of the stand-in if need be."""
    import ziamath.zmath

    module = sys.modules["ziamath.escapes"]
    if not hasattr(module, "ESCAPES"):  # the stand-in
        import importlib.machinery
        import importlib.util

        spec = importlib.machinery.PathFinder.find_spec("ziamath.escapes", ziamath.__path__)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["ziamath.escapes"] = module
        ziamath.zmath.unescape = module.unescape
    return module.unescape


# What ziamath's unescape replaces in MathML text besides named entities (lxml writes none but
# &lt; &gt; &amp; &quot;): four operator pairs, &quot; and &apos;, and hyphens (as minus signs).
_UNESCAPED = (":=", "*=", "==", "!=", "&quot;", "&apos;", "-")


def _as_given(mathml: str) -> str | ElementTree.Element:
    """The MathML as ziamath.Math reads it the same: parsed where unescaping changes nothing."""
    if any(found in mathml for found in _UNESCAPED):
        return mathml
    return ElementTree.fromstring(mathml)


def _shallow_fields(style: Any) -> dict[str, Any]:
    return dict(vars(style))


def _merged(own: Any, inherited: Any) -> dict[str, Any]:
    return {**inherited, **own}


def _remember_sizes() -> None:
    """A node's size_px turns a length ("0.2em", "thinmathspace") into points from the text and
    the font size alone, building its tables anew each call: remembered, a tenth less time."""
    from ziamath.nodes.mnode import Mnode

    size_px = Mnode.size_px
    size_of = lru_cache(maxsize=4096)(lambda size, fontsize: size_px(None, size, fontsize))

    def remembered(self: Any, size: str, fontsize: float | None = None) -> float:
        return size_of(size, self.glyphsize if fontsize is None else fontsize)

    _replace(Mnode, "size_px", remembered)


def _quicker_numbers() -> None:
    """ziafont writes every outline coordinate through fmt, which re-reads its precision and
    re-builds its format each call (a third of a million calls for 350 equations): the same
    text from a format made once."""
    import ziafont.svgpath
    from ziafont.config import config

    spec = f".{config.precision}f"

    def fmt(f: float) -> str:
        return format(float(f), spec).rstrip("0").rstrip(".")

    _replace(ziafont.svgpath, "fmt", fmt)


def _glyphs_outlined_once() -> None:
    """ziafont writes a glyph's outline anew each time the glyph is placed, every coordinate
    moved and formatted (a quarter of the typesetting time): written once per glyph and size,
    at the origin, it is placed by a translation (studypack.math.outlines reads those)."""
    import ziafont.svgpath
    from ziafont.glyph import SimpleGlyph

    at_origin = SimpleGlyph.svgpath

    def placed(self: Any, x0: float = 0, y0: float = 0, scale_factor: float = 1) -> Any:
        outlines = self.__dict__.setdefault("_outline_at_origin", {})
        if scale_factor not in outlines:
            path = at_origin(self, 0, 0, scale_factor)
            outlines[scale_factor] = None if path is None else path.get("d")
        d = outlines[scale_factor]
        if d is None:  # a glyph without contours (a space)
            return None
        return ElementTree.Element("path", {"d": d, "transform": f"translate({ziafont.svgpath.fmt(x0)} {ziafont.svgpath.fmt(y0)})"})

    _replace(SimpleGlyph, "svgpath", placed)


def _measure_rows_only_to_stretch() -> None:
    """ziamath lays a row's children out twice: first without stretchy operators, only to learn
    the height its fences and bars stretch to, then for real; each nested row does the same, so
    deep equations are laid out many times over. A row with nothing that could stretch anywhere
    below it skips the first pass (its result is read by stretchy operators only): the SVGs are
    byte-identical, a third of the typesetting time is saved."""
    from ziamath import operators
    from ziamath.nodes.mrow import Mrow
    from ziamath.nodes.nodetools import elementtext

    stretchy = frozenset(
        name for (name, _form), params in operators.operators.items()
        if params.get("stretchy", "false") != "false"
    )  # fmt: skip
    def may_stretch(element: Any) -> bool:
        for e in element.iter():
            if e.get("stretchy", "false") != "false" or e.get("minsize") or e.get("maxsize"):
                return True
            if e.tag == "mfenced" or (e.tag in ("mo", "mi") and elementtext(e) in stretchy):
                return True
        return False

    def height_to_stretch_to(self: Any, line: list[Any], **kwargs: Any) -> tuple[float, float]:
        if any(may_stretch(child) for child in line):
            return unstretched_height(self, line, **kwargs)
        return 0.0, 0.0  # nothing in the row reads it

    _replace(Mrow, "_get_height_nostretch", height_to_stretch_to)


def unstretched_height(row: Any, line: list[Any], **kwargs: Any) -> tuple[float, float]:
    """ziamath's own first pass (Mrow._get_height_nostretch: each child laid out, stretchy
    operators left out, on a copy of its element), the copy made by copying the element, not
    by writing and parsing it again: a sixth of the typesetting time."""
    from ziamath.nodes.mnode import Mnode
    from ziamath.nodes.nodetools import elementtext

    ymax, ymin = -9999.0, 9999.0
    kwargs["nostretch"] = True  # the children leave stretchy operators out of their boxes
    for child in line:
        if child.tag == "mo" and elementtext(child) == "":
            continue
        element = copy.deepcopy(child)
        element.tail = None  # as written alone and parsed again
        node = Mnode.fromelement(element, parent=row, **kwargs)
        ymax, ymin = max(ymax, node.bbox.ymax), min(ymin, node.bbox.ymin)
    return ymin, ymax


@dataclass(frozen=True)
class Box:
    """A typeset equation's extent in points: width, height above and depth below the baseline."""

    width: float
    height: float
    depth: float


@dataclass(frozen=True)
class Typeset:
    svg: str
    box: Box


def typeset(
    formula: Formula, size_pt: float, color: str = "#000000", display: bool = False
) -> Typeset:
    """The equation as an SVG (baseline at y=0) with its box; cached per arguments."""
    mathml = formula.display_mathml if display else formula.mathml
    black = _typeset(mathml, float(size_pt), display)
    if color.lower() in ("#000", "#000000", "black"):
        return black
    return _colored(black, color)


@lru_cache(maxsize=1024)
def _colored(black: Typeset, color: str) -> Typeset:
    # ziamath paints everything the equation does not colour itself (\color) fill="black":
    # one typesetting serves measuring and drawing in any colour.
    return Typeset(black.svg.replace('fill="black"', f'fill="{color}"'), black.box)


@lru_cache(maxsize=1024)
def _typeset(mathml: str, size_pt: float, display: bool) -> Typeset:
    # With the smallest script size proportional, ziamath's layout is linear in the size: one
    # typesetting at the base size serves every size, scaled (ziamath is most of math's cost).
    base = _typeset_at_base(mathml, display)
    if size_pt == BASE_SIZE:
        return base
    k = size_pt / BASE_SIZE
    box = Box(base.box.width * k, base.box.height * k, base.box.depth * k)
    return Typeset(_scaled_svg(base.svg, k), box)


@lru_cache(maxsize=1024)
def _typeset_at_base(mathml: str, display: bool) -> Typeset:
    # ziamath is most of math's cost: its results are kept on disk between builds
    stored = _AHEAD.get((mathml, display)) or _stored(mathml, display)
    if stored is not None:
        return stored
    result = _ziamath(mathml, display)
    data = {"svg": result.svg, "box": [result.box.width, result.box.height, result.box.depth]}
    cache.put(_cache_name(mathml, display), ".json", json.dumps(data).encode("utf-8"))
    return result


def _cache_name(mathml: str, display: bool) -> str:
    return cache.key("typeset", ziamath_version(), _SVG_FORM, BASE_SIZE, MIN_SCRIPT_FRACTION, display, mathml)


def _stored(mathml: str, display: bool) -> Typeset | None:
    return _from_json(cache.get(_cache_name(mathml, display), ".json"))


# Equations typeset ahead of the outputs (studypack.build), read by every output process forked
# after them: the handout, the deck and the flashcards need the same equations.
_AHEAD: dict[tuple[str, bool], Typeset] = {}
Key = tuple[str, bool]  # (MathML, display)


def untypeset(wanted: Iterable[tuple[Formula, bool]]) -> list[Key]:
    """The (formula, display) pairs neither in memory nor in the disk cache, as keys."""
    keys = dict.fromkeys((f.display_mathml if display else f.mathml, display) for f, display in wanted)
    return [k for k in keys if k not in _AHEAD and _stored(*k) is None]


def typeset_keys(keys: list[Key]) -> list[Typeset]:
    """Typesets the keys (in a process of its own: the results go back to `remember`)."""
    return [_typeset_at_base(mathml, display) for mathml, display in keys]


def remember(keys: list[Key], results: list[Typeset]) -> None:
    _AHEAD.update(zip(keys, results))


def _from_json(payload: bytes | None) -> Typeset | None:
    if payload is None:
        return None
    try:
        data = json.loads(payload)
        width, height, depth = (float(v) for v in data["box"])
        svg = data["svg"]
    except (ValueError, KeyError, TypeError):
        return None
    return Typeset(svg, Box(width, height, depth)) if isinstance(svg, str) else None


def _ziamath(mathml: str, display: bool) -> Typeset:
    root = etree.fromstring(mathml)
    root.set("display", "block" if display else "inline")
    ziamath = _ziamath_module()
    ziamath.config.minsizefraction = MIN_SCRIPT_FRACTION
    given = _as_given(etree.tostring(root, encoding="unicode"))
    svg = ziamath.Math(given, size=BASE_SIZE, margin=0).svg()
    m = _VIEWBOX.search(svg)
    if m is None:  # ziamath always writes one; a change of version would land here
        raise RuntimeError("ziamath wrote an SVG without a viewBox")
    _, top, width, total = (float(v) for v in m.groups())
    return Typeset(svg, Box(width, -top, total + top))


_SVG_HEAD = re.compile(r'<svg ([^>]*?)width="([-\d.e]+)" height="([-\d.e]+)" viewBox="([^"]+)"\s*(/?)>')


def _scaled_svg(svg: str, k: float) -> str:
    """The SVG drawn k times as large: its frame scaled and its content in a scaling group."""
    m = _SVG_HEAD.match(svg)
    if m is None:  # ziamath's own header, as _typeset_at_base read it
        raise RuntimeError("ziamath wrote an SVG header of another form")
    box = " ".join(f"{float(v) * k:.4f}" for v in m.group(4).split())
    head = f'<svg {m.group(1)}width="{float(m.group(2)) * k:.4f}" height="{float(m.group(3)) * k:.4f}" viewBox="{box}">'
    content = "" if m.group(5) else svg[m.end() : -len("</svg>")]  # "/>": an SVG with nothing drawn
    return f'{head}<g transform="scale({k:.6f})">{content}</g></svg>'


def measure(formula: Formula, size_pt: float, display: bool = False) -> Box:
    """Width, height and depth in points of the real typeset equation."""
    return typeset(formula, size_pt, display=display).box


def to_png(
    formula: Formula,
    size_pt: float,
    color: str = "#000000",
    display: bool = False,
    dpi: float = 300,
) -> bytes:
    """A transparent PNG of the equation at `dpi` (its size in points is measure()'s box)."""
    box = typeset(formula, size_pt, color, display).box
    item = picture_item(formula, size_pt, color, display, 0.0, box.height)
    return _png(item, box.width, box.height + box.depth, dpi)


@lru_cache(maxsize=256)
def _png(item: Any, width: float, height: float, dpi: float) -> bytes:
    return cache.picture(width, height, dpi, (item,)).png


def picture_item(
    formula: Formula, size_pt: float, color: str, display: bool, x: float, baseline: float
) -> Any:
    """The equation as an item of a studypack.picture (points, y down), the left of its box at
    `x` on `baseline`: its outlines, or a rendered picture where they are not plain fills."""
    from studypack.picture import Mask, Outlines

    mathml = formula.display_mathml if display else formula.mathml
    found = _painted(mathml, display, color.lower())
    if found is None:  # rare notations drawn with strokes: resvg renders them
        result = typeset(formula, size_pt, color, display)
        box = result.box
        png = cache.rasterise(result.svg, 4.0)
        return Mask(x, baseline - box.height, box.width, box.height + box.depth, png, color.lstrip("#").upper())
    paths, min_x = found
    k = size_pt / BASE_SIZE
    return Outlines(paths, (k, 0.0, x - min_x * k, 0.0, k, baseline))


@lru_cache(maxsize=512)
def _painted(mathml: str, display: bool, color: str) -> tuple[tuple[tuple[str, Any], ...], float] | None:
    return painted(base_svg(mathml, display, color))


def base_svg(mathml: str, display: bool, color: str) -> str:
    """The equation's SVG at the base size (a drawing scales it) in `color`."""
    black = _typeset_at_base(mathml, display)
    return black.svg if color in ("#000", "#000000", "black") else _colored(black, color).svg
