"""The keys a theme file may set, with their types, choices and ranges, checked where each was set."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from studypack import inputs
from studypack.errors import Report, did_you_mean, match_choice
from studypack.fonts import OFFICE_FONTS, PDF_FAMILIES, family_files
from studypack.load.nodes import NodeReader
from studypack.paths import confined_file
from studypack.template_check import package_problem
from studypack.theme.model import (
    ASPECTS,
    CARD_SIZES,
    COLOR_KEYS,
    DUPLEX,
    LOGO_FORMATS,
    PAPERS,
    Setting,
)

TRUE_WORDS = ("true", "yes", "on")
FALSE_WORDS = ("false", "no", "off")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Key:
    """One setting a theme file may make ('a.b' for subkey b of section a)."""

    name: str
    kind: str = "text"  # how it is read and checked: a name in CHECKS
    choices: tuple[str, ...] = ()
    low: float = 0.0
    high: float = 0.0


KEYS: tuple[Key, ...] = (
    Key("name"),
    Key("extends"),
    *(Key(f"colors.{c}", "color") for c in COLOR_KEYS),
    Key("fonts.heading", "pdf_font"),
    Key("fonts.body", "pdf_font"),
    Key("logo", "image"),
    Key("paper", "choice", PAPERS),
    Key("slides.aspect", "choice", ASPECTS),
    Key("slides.template", "pptx"),
    Key("slides.heading_font", "office_font"),
    Key("slides.body_font", "office_font"),
    Key("cards.size", "choice", CARD_SIZES),
    Key("cards.duplex", "choice", DUPLEX),
    Key("cards.offset", "offset"),
    Key("cards.min_font", "font_size", low=4, high=72),  # points
    Key("cards.max_font", "font_size", low=4, high=72),
    Key("style.fills", "bool"),
    Key("footer", "jinja"),
    Key("header", "jinja"),
)
KEY = {key.name: key for key in KEYS}


def _sections() -> dict[str, tuple[str, ...] | None]:
    out: dict[str, tuple[str, ...] | None] = {}
    for key in KEYS:
        top, _, sub = key.name.partition(".")
        out[top] = (*(out.get(top) or ()), sub) if sub else None
    return out


# top-level key -> its subkeys (None: a scalar)
SECTIONS = _sections()


def read_value(r: NodeReader, name: str, node: yaml.Node) -> Any:
    """A key's raw value as a theme file gives it; None (reported) when it has the wrong shape."""
    kind = KEY[name].kind
    if kind == "offset":
        return _read_offset(r, node, name)
    text = r.text(node, name)
    if text is None and kind == "jinja" and isinstance(node, yaml.ScalarNode):
        return ""  # `footer: ""` (or nothing) asks for no footer, not for the inherited one
    return text


def check_values(merged: dict[str, Setting], report: Report) -> dict[str, Any]:
    """Every set value checked and converted; each problem reported where the value was set."""
    values: dict[str, Any] = {}
    for key in KEYS:
        setting = merged.get(key.name)
        if setting is None:
            continue
        value, problem = CHECKS[key.kind](setting.value, key, setting.path.parent)
        if problem is None:
            values[key.name] = value
        else:
            report.error(setting.span, f"{key.name}: {problem}")
    return values


Checker = Callable[[Any, Key, Path], tuple[Any, str | None]]


def _as_is(value: Any, key: Key, folder: Path) -> tuple[Any, str | None]:
    return value, None


def _color(value: str, key: Key, folder: Path) -> tuple[Any, str | None]:
    return value.upper(), None if _COLOR.match(value) else f"'{value}' is not a colour (#RRGGBB)"


def _choice(value: str, key: Key, folder: Path) -> tuple[Any, str | None]:
    chosen = match_choice(value, key.choices)
    if chosen is not None:
        return chosen, None
    return (
        value,
        f"'{value}' is not one of: {', '.join(key.choices)}{did_you_mean(value, key.choices)}",
    )


def _font_size(value: str, key: Key, folder: Path) -> tuple[Any, str | None]:
    try:
        size = float(value)
    except ValueError:
        size = float("nan")
    if key.low <= size <= key.high:
        return size, None
    return value, f"'{value}' is not a font size ({key.low:g} to {key.high:g} pt)"


def _bool(value: str, key: Key, folder: Path) -> tuple[Any, str | None]:
    word = value.lower()
    if word in TRUE_WORDS + FALSE_WORDS:
        return word in TRUE_WORDS, None
    return value, f"expected true or false, got '{value}'"


def _jinja(value: str, key: Key, folder: Path) -> tuple[Any, str | None]:
    from studypack.templating import check_template  # Jinja2 only once a theme is read

    problem = check_template(value)
    return value, f"template error: {problem}" if problem else None


def _pdf_font(family: str, key: Key, folder: Path) -> tuple[Any, str | None]:
    """A shipped family, or a theme's own TrueType file (as an absolute path)."""
    if family in PDF_FAMILIES:
        return family, None
    path, where = confined_file(folder, family, "theme")
    if family.lower().endswith((".ttf", ".otf")) and where not in ("not found", None):
        return family, f"'{family}' {where}"
    if family.lower().endswith((".ttf", ".otf")) and where is None:
        files = family_files(family, folder)
        for style in files.styles():  # the bold and italic siblings too
            problem = _font_problem(style, validate=style == files.regular)
            if problem:
                return (
                    family,
                    f"'{style.name}' cannot be embedded in PDFs ({problem}); use a TrueType .ttf file",
                )
        return str(path), None
    choices = list(PDF_FAMILIES)
    return (
        family,
        f"unknown font '{family}'{did_you_mean(family, choices)}; use one of {', '.join(choices)} or a .ttf file in the theme folder",
    )


def _office_font(font: str, key: Key, folder: Path) -> tuple[Any, str | None]:
    if font in OFFICE_FONTS:
        return font, None
    options = list(OFFICE_FONTS)
    return font, (
        f"'{font}' is not a font we can measure{did_you_mean(font, options)}; use one of {', '.join(options)}"
        " (decks name fonts every PowerPoint user has; fonts.heading and fonts.body set the PDFs' fonts)"
    )


def _image(name: str, key: Key, folder: Path) -> tuple[Any, str | None]:
    path, problem = confined_file(folder, name, "theme")
    problem = problem or _image_problem(path)
    return path, f"file '{name}' {problem}" if problem else None


def _pptx(name: str, key: Key, folder: Path) -> tuple[Any, str | None]:
    path, problem = confined_file(folder, name, "theme")
    if problem:
        return path, f"file '{name}' {problem}"
    problem = package_problem(path)
    if problem is None:
        return path, None
    return path, f"file '{name}'{': ' if problem.startswith('part ') else ' '}{problem}"


CHECKS: dict[str, Checker] = {
    "text": _as_is,
    "offset": _as_is,  # checked as it is read
    "color": _color,
    "choice": _choice,
    "font_size": _font_size,
    "bool": _bool,
    "jinja": _jinja,
    "pdf_font": _pdf_font,
    "office_font": _office_font,
    "image": _image,
    "pptx": _pptx,
}


def _read_offset(r: NodeReader, node: yaml.Node, where: str) -> tuple[float, float] | None:
    items = r.items(node, where) if isinstance(node, yaml.SequenceNode) else None
    if items is None:
        raw = r.text(node, where) or ""
        parts = [p for p in re.split(r"[,\s]+", raw) if p]
        try:
            x, y = (float(p) for p in parts)
        except ValueError:
            r.error(node, where, f"expected 'X,Y' in millimetres, got '{raw}'")
            return None
        if not (-20 <= x <= 20 and -20 <= y <= 20):  # written so that nan fails too
            r.error(node, where, f"'{raw}' is out of range (-20 to 20 mm)")
            return None
        return (x, y)
    if len(items) != 2:
        r.error(node, where, "expected two numbers [X, Y] in millimetres")
        return None
    nums = [r.number(i, where, -20, 20) for i in items]
    return (nums[0], nums[1]) if None not in nums else None  # type: ignore[return-value]


def _font_problem(path: Path, validate: bool = True) -> str | None:
    """Why reportlab cannot embed a font file, or None (checksums are checked when validating:
    some fonts reportlab itself ships fail them, so siblings are only parsed, as embedding does)."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        TTFontFile(str(path), validate=int(validate))
    except (TTFError, OSError, ValueError) as e:  # OTF with CFF outlines, corrupt files
        # The path is in the diagnostic's location already.
        return re.sub(r'^TTF file ".*?": ', "", str(e).split("\n")[0])
    except Exception as e:  # noqa: BLE001 - a truncated file breaks the parser in any way
        return f"corrupt or truncated ({type(e).__name__})"
    return None


def _image_problem(path: Path) -> str | None:
    import warnings

    from PIL import Image, UnidentifiedImageError

    from studypack.load.images import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS

    try:
        data = inputs.read(path, MAX_IMAGE_BYTES)
    except inputs.TooLarge:
        return f"is too large (over {MAX_IMAGE_BYTES} bytes)"
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"
    try:
        with warnings.catch_warnings():  # the pixel count is checked by us, below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
        with im:
            if im.format not in LOGO_FORMATS:
                return f"is {im.format or 'an unknown format'}; use a PNG or JPEG image"
            if im.width * im.height > MAX_IMAGE_PIXELS:
                return f"is {im.width}x{im.height} pixels, over the limit of {MAX_IMAGE_PIXELS} (decompression bomb?)"
            im.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError):
        return "is not a PNG or JPEG image (or is too large)"
    except (OSError, SyntaxError, ValueError) as e:
        return f"cannot be read: corrupt or truncated ({e})"
    return None
