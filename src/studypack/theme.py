"""Themes: find, load, follow `extends`, validate (SPEC §5).

Lookup order for a name: an explicit path (folder, theme.yaml or _brand.yml), then
./themes/<name>, then the built-in themes. A theme without `extends` extends the built-in
`default`, so a rebrand sets only what differs. Every problem is reported at the line of
the file that set the value.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from studypack import inputs
from studypack.errors import Report, Span, did_you_mean
from studypack.fonts import OFFICE_FONTS, PDF_FAMILIES
from studypack.load.nodes import ExpansionLimit, NodeReader, compose_file

THEME_FILE = "theme.yaml"
BRAND_FILES = ("_brand.yml", "_brand.yaml")
DEFAULT_THEME = "default"

COLOR_KEYS = ("primary", "accent", "text", "muted", "background")
CARD_SIZES = ("3x5in", "A7", "2x3.5in")
DUPLEX = ("long-edge", "short-edge", "fold")
PAPERS = ("letter", "a4")
ASPECTS = ("16:9", "4:3")
LOGO_FORMATS = ("PNG", "JPEG")  # what both reportlab and python-pptx draw
_TRUE = ("true", "yes", "on")
_FALSE = ("false", "no", "off")

# key -> allowed subkeys (None: a scalar)
SCHEMA: dict[str, tuple[str, ...] | None] = {
    "name": None,
    "extends": None,
    "colors": COLOR_KEYS,
    "fonts": ("heading", "body"),
    "logo": None,
    "paper": None,
    "slides": ("aspect", "template", "heading_font", "body_font"),
    "cards": ("size", "duplex", "offset", "min_font", "max_font"),
    "style": ("fills",),
    "footer": None,
    "header": None,
}

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


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
    # False = ink-saving: no filled areas anywhere (title slides, cover band, card headers,
    # table shading); what would be white on primary is drawn in primary on the background.
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


def builtin_themes_dir() -> Path:
    """Installed: studypack/themes inside the wheel; from a checkout: the top-level themes/."""
    here = Path(__file__).resolve().parent
    packaged = here / "themes"
    return packaged if packaged.is_dir() else here.parents[1] / "themes"


def list_themes() -> list[tuple[str, Path]]:
    """(name, theme file) of built-in themes and ./themes/<name> (which win on equal names)."""
    found: dict[str, Path] = {}
    for base in (builtin_themes_dir(), Path.cwd() / "themes"):
        if base.is_dir():
            for d in sorted(base.iterdir()):
                if (d / THEME_FILE).is_file():
                    found[d.name] = d / THEME_FILE
    return sorted(found.items())


def _theme_file(candidate: Path) -> Path | None:
    if candidate.is_file() and candidate.suffix in (".yaml", ".yml"):
        return candidate
    if candidate.is_dir():
        for name in (THEME_FILE, *BRAND_FILES):
            if (candidate / name).is_file():
                return candidate / name
    return None


def find_theme(ref: str, relative_to: Path | None = None, skip: Path | None = None) -> Path | None:
    """The theme file a name or path refers to, or None.

    Order: a path (relative to `relative_to` first, then to the cwd), ./themes/<ref>, built-ins.
    `skip` is a file that must not be the answer: ./themes/default/theme.yaml saying
    `extends: default` means the built-in one, not itself.
    """
    as_path = Path(ref).expanduser()
    candidates: list[Path] = []
    if relative_to is not None and not as_path.is_absolute():
        candidates.append(relative_to / as_path)
    candidates += [as_path, Path.cwd() / "themes" / ref, builtin_themes_dir() / ref]
    for c in candidates:
        found = _theme_file(c)
        if found is not None and (skip is None or found.resolve() != skip.resolve()):
            return found
    return None


def load_theme(ref: str, report: Report, span: Span | None = None, relative_to: Path | None = None) -> Theme | None:
    """Resolve and validate a theme; None (with errors reported) when unusable."""
    path = find_theme(ref, relative_to)
    if path is None:
        names = [n for n, _ in list_themes()]
        report.error(span or Span(ref), f"theme '{ref}' not found{did_you_mean(ref, names)}")
        return None
    before = len(report.errors)
    chain = _read_chain(path, report)
    if chain is None:
        return None
    theme = _resolve(chain, report)
    return theme if len(report.errors) == before else None


@dataclass
class _Layer:
    """One theme file's settings: {key: (value, node)} with subkeys flattened as 'a.b'."""

    path: Path
    values: dict[str, tuple[Any, yaml.Node]]


def _default_file() -> Path:
    return builtin_themes_dir() / DEFAULT_THEME / THEME_FILE


def _read_chain(path: Path, report: Report) -> list[_Layer] | None:
    """The file and its ancestors, most specific first; cycles are errors."""
    chain: list[_Layer] = []
    seen: list[Path] = []
    current: Path | None = path
    while current is not None:
        resolved = current.resolve()
        if resolved in seen:
            names = " -> ".join(_short(p) for p in seen + [resolved])
            report.error(Span(str(chain[-1].path), *_pos(chain[-1].values.get("extends"))), f"extends: cycle {names}")
            return None
        seen.append(resolved)
        if _is_brand(current):
            from studypack.brand import read_brand

            layer = read_brand(current, report)
        else:
            layer = _read_layer(current, report)
        if layer is None:
            return None
        chain.append(layer)
        parent = layer.values.get("extends")
        if parent is not None:
            ref = parent[0]
            # A sibling theme folder is found too, so a set of themes can live anywhere.
            current = find_theme(ref, current.parent, skip=current) or _theme_file(current.parent.parent / ref)
            if current is None:
                names = [n for n, _ in list_themes()]
                report.error(Span(str(layer.path), *_pos(parent)), f"extends: theme '{ref}' not found{did_you_mean(ref, names)}")
                return None
        elif resolved != _default_file().resolve():
            current = _default_file()
        else:
            current = None
    return chain


_BRAND_ONLY_KEYS = {"meta", "color", "typography", "defaults"}  # brand.yml's, never ours


def _is_brand(path: Path) -> bool:
    """A Quarto/Posit brand file: `_brand.yml`, or a YAML file of another name whose top level
    is brand-shaped (Quarto lets a project point at a brand file of any name)."""
    if path.name in BRAND_FILES:
        return True
    if path.name == THEME_FILE:
        return False
    try:
        root = compose_file(path, Report())  # problems are reported when it is read for real
    except ExpansionLimit:
        return False
    if not isinstance(root, yaml.MappingNode):
        return False
    keys = {k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
    return bool(keys & _BRAND_ONLY_KEYS) and not keys & (set(SCHEMA) - {"logo"})


def _short(path: Path) -> str:
    """How a theme is named in a cycle message: its folder, or the file for a loose yaml."""
    return path.parent.name if path.name in (THEME_FILE, *BRAND_FILES) else path.name


def _pos(entry: tuple[Any, yaml.Node] | None) -> tuple[int, int]:
    if entry is None:
        return (1, 1)
    mark = entry[1].start_mark
    return (mark.line + 1, mark.column + 1)


def _read_layer(path: Path, report: Report) -> _Layer | None:
    root = compose_file(path, report)
    if root is None:
        return None
    r = NodeReader(str(path), report)
    try:
        m = r.mapping(root, "", tuple(SCHEMA))
    except ExpansionLimit:
        report.error(Span(str(path), 1, 1), "document expands to too many values (alias bomb?)")
        return None
    if m is None:
        return None
    values: dict[str, tuple[Any, yaml.Node]] = {}
    for key, node in m.items():
        sub = SCHEMA[key]
        if sub is None:
            text = r.text(node, key)
            if text is None and key in ("header", "footer") and isinstance(node, yaml.ScalarNode):
                text = ""  # `footer: ""` (or nothing) asks for no footer, not for the inherited one
            if text is not None:
                values[key] = (text, node)
            continue
        subs = r.mapping(node, key, sub)
        for subkey, subnode in (subs or {}).items():
            where = f"{key}.{subkey}"
            if key == "cards" and subkey == "offset":
                value = _offset(r, subnode, where)
            else:
                value = r.text(subnode, where)
            if value is not None:
                values[where] = (value, subnode)
    return _Layer(path, values)


def _offset(r: NodeReader, node: yaml.Node, where: str) -> tuple[float, float] | None:
    items = r.items(node, where) if isinstance(node, yaml.SequenceNode) else None
    if items is None:
        raw = r.text(node, where) or ""
        parts = [p for p in re.split(r"[,\s]+", raw) if p]
        try:
            x, y = (float(p) for p in parts)
        except ValueError:
            r.error(node, where, f"expected 'X,Y' in millimetres, got '{raw}'")
            return None
        return (x, y)
    if len(items) != 2:
        r.error(node, where, "expected two numbers [X, Y] in millimetres")
        return None
    nums = [r.number(i, where, -20, 20) for i in items]
    return (nums[0], nums[1]) if None not in nums else None  # type: ignore[return-value]


def _font_problem(path: Path) -> str | None:
    """Why reportlab cannot embed a font file, or None."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        TTFontFile(str(path), validate=1)
    except (TTFError, OSError, ValueError) as e:  # OTF with CFF outlines, corrupt files
        return re.sub(r'^TTF file ".*?": ', "", str(e).split("\n")[0])  # the path is in the location
    return None


def _image_problem(path: Path) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(inputs.read(path))) as im:
            if im.format not in LOGO_FORMATS:
                return f"is {im.format or 'an unknown format'}; use a PNG or JPEG image"
            im.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError):
        return "is not a PNG or JPEG image (or is too large)"
    except (OSError, SyntaxError, ValueError) as e:
        return f"cannot be read: {e}"
    return None


def _resolve(chain: list[_Layer], report: Report) -> Theme | None:
    """Merge layers (most specific wins) and check every value, located where it was set."""
    from studypack.templating import check_template

    before = len(report.errors)
    merged: dict[str, tuple[Any, yaml.Node, Path]] = {}
    for layer in reversed(chain):
        for key, (value, node) in layer.values.items():
            merged[key] = (value, node, layer.path)

    def get(key: str) -> Any:
        return merged[key][0]

    def span_of(key: str) -> Span:
        _, node, path = merged[key]
        return Span(str(path), node.start_mark.line + 1, node.start_mark.column + 1)

    def err(key: str, message: str) -> None:
        report.error(span_of(key), f"{key}: {message}")

    def folder_of(key: str) -> Path:
        return merged[key][2].parent

    for key in [f"colors.{c}" for c in COLOR_KEYS]:
        if not _COLOR.match(get(key)):
            err(key, f"'{get(key)}' is not a colour (#RRGGBB)")
    for key in ("fonts.heading", "fonts.body"):
        family = get(key)
        if family in PDF_FAMILIES:
            continue
        path = folder_of(key) / family
        if family.lower().endswith((".ttf", ".otf")) and path.is_file():
            problem = _font_problem(path)
            if problem:
                err(key, f"'{family}' cannot be embedded in PDFs ({problem}); use a TrueType .ttf file")
        else:
            choices = list(PDF_FAMILIES)
            err(key, f"unknown font '{family}'{did_you_mean(family, choices)}; use one of {', '.join(choices)} or a .ttf file in the theme folder")
    for key in ("slides.heading_font", "slides.body_font"):
        if get(key) not in OFFICE_FONTS:
            options = list(OFFICE_FONTS)
            err(
                key,
                f"'{get(key)}' is not a font we can measure{did_you_mean(get(key), options)}; use one of {', '.join(options)}"
                " (decks name fonts every PowerPoint user has; fonts.heading and fonts.body set the PDFs' fonts)",
            )
    choices = {"paper": PAPERS, "slides.aspect": ASPECTS, "cards.size": CARD_SIZES, "cards.duplex": DUPLEX}
    for key, options in choices.items():
        if get(key) not in options:
            err(key, f"'{get(key)}' is not one of: {', '.join(options)}{did_you_mean(get(key), options)}")
    sizes: dict[str, float] = {}
    for key in ("cards.min_font", "cards.max_font"):
        try:
            sizes[key] = float(get(key))
            if not 4 <= sizes[key] <= 72:
                raise ValueError
        except ValueError:
            err(key, f"'{get(key)}' is not a font size (4 to 72 pt)")
    if len(sizes) == 2 and sizes["cards.min_font"] > sizes["cards.max_font"]:
        err("cards.min_font", "is larger than cards.max_font")
    fills = str(get("style.fills")).lower()
    if fills not in _TRUE + _FALSE:
        err("style.fills", f"expected true or false, got '{get('style.fills')}'")
    for key in ("header", "footer"):
        problem = check_template(get(key))
        if problem:
            err(key, f"template error: {problem}")
    logo = template = None
    if "logo" in merged:
        logo = (folder_of("logo") / get("logo")).resolve()
        problem = None if logo.is_file() else "not found"
        problem = problem or _image_problem(logo)
        if problem:
            err("logo", f"file '{get('logo')}' {problem}")
    if "slides.template" in merged:
        template = (folder_of("slides.template") / get("slides.template")).resolve()
        if not template.is_file():
            err("slides.template", f"file '{get('slides.template')}' not found")
        elif not _is_pptx(template):
            err("slides.template", f"file '{get('slides.template')}' is not a PowerPoint .pptx file")
        else:
            _check_template_size(template, merged, [layer.path for layer in chain], report)
    if len(report.errors) > before:
        return None

    colors = {key: get(f"colors.{key}").upper() for key in COLOR_KEYS}
    spans = {key: span_of(f"colors.{key}") for key in COLOR_KEYS}
    if template is not None:
        from_template = _template_colors(template, merged, [layer.path for layer in chain])
        colors.update(from_template)
        spans.update({key: span_of("slides.template") for key in from_template})
    spans.update({key: span_of(key) for key in ("header", "footer")})

    def font(key: str) -> str:  # shipped family name, or the absolute path of a theme's TTF
        family = get(key)
        return family if family in PDF_FAMILIES else str((folder_of(key) / family).resolve())

    # A theme that does not name itself is called after its folder, not after what it extends.
    first = chain[0].path
    own = first.parent.name if first.name in (THEME_FILE, *BRAND_FILES) else first.stem
    name = chain[0].values["name"][0] if "name" in chain[0].values else own
    return Theme(
        name=name,
        folder=chain[0].path.parent.resolve(),
        files=tuple(layer.path.resolve() for layer in chain),
        colors=Colors(**colors),
        fonts=Fonts(font("fonts.heading"), font("fonts.body")),
        logo=logo,
        paper=get("paper"),
        slides=SlideStyle(get("slides.aspect"), template, get("slides.heading_font"), get("slides.body_font")),
        cards=CardStyle(
            get("cards.size"), get("cards.duplex"), tuple(get("cards.offset")),  # type: ignore[arg-type]
            sizes["cards.min_font"], sizes["cards.max_font"],
        ),
        footer=get("footer"),
        header=get("header"),
        style=Style(fills=fills in _TRUE),
        spans=tuple(spans.items()),
    )


# Our colours <-> the Office theme slots they live in: read from a template's master here,
# written into every deck's theme by render/deck_pptx.py.
SCHEME_SLOTS = {"text": "dk1", "background": "lt1", "primary": "accent1", "accent": "accent2", "muted": "dk2"}


def _template_colors(template: Path, merged: dict[str, tuple[Any, yaml.Node, Path]], chain: list[Path]) -> dict[str, str]:
    """A department template's own colours, for every colour the theme does not set itself.

    A colour set only by a less specific theme (what `extends` brings, e.g. default's blue) is
    not a request: the template's master is the department's brand, so all outputs follow it.
    """
    rank = chain.index(merged["slides.template"][2])
    inherited = [key for key in COLOR_KEYS if chain.index(merged[f"colors.{key}"][2]) > rank]
    scheme = _color_scheme(template) if inherited else {}
    return {key: scheme[SCHEME_SLOTS[key]] for key in inherited if SCHEME_SLOTS[key] in scheme}


def _color_scheme(path: Path) -> dict[str, str]:
    """{'dk1': '#000000', 'accent1': '#4472C4', …} from the first slide master's theme part."""
    from lxml import etree

    root = _template_part(path, "theme")
    scheme = root.find(".//a:clrScheme", _NS) if root is not None else None
    out: dict[str, str] = {}
    for slot in scheme if scheme is not None else ():
        colour = slot.find("a:srgbClr", _NS)
        value = colour.get("val") if colour is not None else None
        if colour is None and (system := slot.find("a:sysClr", _NS)) is not None:
            value = system.get("lastClr")  # windowText / window: the colour last resolved
        if value and _COLOR.match(f"#{value}"):
            out[etree.QName(slot).localname] = f"#{value.upper()}"
    return out


_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _template_part(path: Path, which: str) -> Any:
    """The parsed ppt/presentation.xml ('presentation') or first master's theme part ('theme')."""
    from lxml import etree  # only themes with a template need it

    try:
        with zipfile.ZipFile(io.BytesIO(inputs.read(path))) as z:
            if which == "presentation":
                return etree.fromstring(z.read("ppt/presentation.xml"))
            rels = etree.fromstring(z.read("ppt/slideMasters/_rels/slideMaster1.xml.rels"))
            target = next((r.get("Target") for r in rels if (r.get("Type") or "").endswith("/theme")), None)
            if target is None:
                return None
            return etree.fromstring(z.read("ppt/theme/" + target.rsplit("/", 1)[-1]))
    except (zipfile.BadZipFile, OSError, KeyError, etree.XMLSyntaxError):
        return None


def _check_template_size(template: Path, merged: dict[str, tuple[Any, yaml.Node, Path]], chain: list[Path], report: Report) -> None:
    """A template keeps its own slide size: say so when the theme asks for another aspect.

    Only when `slides.aspect` is set as specifically as the template (an inherited default
    aspect is not a request)."""
    aspect, node, path = merged["slides.aspect"]
    if chain.index(path) > chain.index(merged["slides.template"][2]):
        return
    size = _slide_size(template)
    if size is None or aspect not in ASPECTS:
        return
    ratio = size[0] / size[1]
    if abs(ratio - _ratio(aspect)) < 0.01:
        return
    named = next((a for a in ASPECTS if abs(ratio - _ratio(a)) < 0.01), None)
    shape = named or f"{size[0] / 360000:.1f} × {size[1] / 360000:.1f} cm"
    report.warning(
        Span(str(path), node.start_mark.line + 1, node.start_mark.column + 1),
        f"slides.aspect: '{aspect}' is not used: {template.name} is {shape}, and decks keep the template's slide size",
    )


def _ratio(aspect: str) -> float:
    wide, high = aspect.split(":")
    return int(wide) / int(high)


def _slide_size(path: Path) -> tuple[int, int] | None:
    """The template's slide size in EMU, from ppt/presentation.xml's p:sldSz."""
    root = _template_part(path, "presentation")
    size = root.find("p:sldSz", _NS) if root is not None else None
    try:
        cx, cy = int(size.get("cx")), int(size.get("cy"))  # type: ignore[union-attr,arg-type]
    except (AttributeError, TypeError, ValueError):
        return None
    return (cx, cy) if cx > 0 and cy > 0 else None


def _is_pptx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(inputs.read(path))) as z:
            return "ppt/presentation.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
