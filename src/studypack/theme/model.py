"""What a resolved theme is: frozen settings, the names a theme file may use, one file's layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from studypack.errors import Span

THEME_FILE = "theme.yaml"
BRAND_FILES = ("_brand.yml", "_brand.yaml")
DEFAULT_THEME = "default"

COLOR_KEYS = ("primary", "accent", "text", "muted", "background")
CARD_SIZES = ("3x5in", "A7", "2x3.5in")
DUPLEX = ("long-edge", "short-edge", "fold")
PAPERS = ("letter", "a4")
ASPECTS = ("16:9", "4:3")
LOGO_FORMATS = ("PNG", "JPEG")  # what both reportlab and python-pptx draw


@dataclass(frozen=True)
class Colors:
    primary: str  # '#RRGGBB', upper case
    accent: str
    text: str
    muted: str
    background: str


@dataclass(frozen=True)
class Fonts:
    heading: str  # a PDF family from fonts.PDF_FAMILIES, or an absolute path to a TTF file
    body: str


@dataclass(frozen=True)
class SlideStyle:
    aspect: str
    template: Path | None
    heading_font: str  # an Office font from fonts.OFFICE_FONTS
    body_font: str


@dataclass(frozen=True)
class CardStyle:
    size: str
    duplex: str
    offset: tuple[float, float]  # mm, applied to back sheets
    min_font: float
    max_font: float


@dataclass(frozen=True)
class Style:
    # False = ink-saving: no filled areas anywhere (title slide, section band, cover band, card
    # headers, table shading); what would be white on primary is drawn in primary on the
    # background, and the section band becomes a rule.
    fills: bool = True


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path  # the folder of the most specific theme file
    files: tuple[Path, ...]  # every file the theme was read from (for change detection)
    colors: Colors
    fonts: Fonts
    logo: Path | None
    paper: str
    slides: SlideStyle
    cards: CardStyle
    footer: str  # Jinja2 source, rendered sandboxed
    header: str
    style: Style = Style()
    # Where each colour, header and footer was set (theme file line, or the template a colour
    # came from), for warnings.
    spans: tuple[tuple[str, Span], ...] = field(default=(), compare=False, repr=False)

    def span(self, key: str) -> Span:
        """Where a setting ('text', 'primary', … for colours; 'header', 'footer') was made."""
        return dict(self.spans).get(key, Span(str(self.files[0]) if self.files else ""))


@dataclass
class Layer:
    """One theme or brand file's settings: {key: (value, node)}, subkeys flattened as 'a.b'."""

    path: Path
    values: dict[str, tuple[Any, yaml.Node]]


class Setting(NamedTuple):
    """A value after merging layers: what it is, where it was set, and how far up the chain."""

    value: Any
    node: yaml.Node
    path: Path  # the theme or brand file that set it
    depth: int  # 0: the most specific file; larger: set by what it extends

    @property
    def span(self) -> Span:
        mark = self.node.start_mark
        return Span(str(self.path), mark.line + 1, mark.column + 1)
