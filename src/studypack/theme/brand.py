"""A Quarto/Posit `_brand.yml` read with brand-yml and mapped onto theme keys.

Mapping (anything unmapped is inherited from the built-in default theme):
  meta.name                      -> name
  color.primary / secondary      -> colors.primary / colors.accent
  color.foreground / background  -> colors.text / colors.background   (palette names resolved)
  logo.large, else medium, else small (or `logo: file`; light variant) -> logo (PNG/JPEG only)
  typography.base / headings     -> fonts.body / fonts.heading when the family ships with
                                    studypack or is a local .ttf in typography.fonts;
                                    an Office font name (Arial, ...) also sets the deck's font.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from studypack.errors import Report, Span, did_you_mean
from studypack.fonts import OFFICE_FONTS, PDF_FAMILIES
from studypack.load.nodes import compose_file
from studypack.theme.model import Layer

COLOR_MAP = (
    ("primary", "primary"),
    ("secondary", "accent"),
    ("foreground", "text"),
    ("background", "background"),
)
LOGO_SIZES = ("large", "medium", "small")  # print outputs want the largest
MAX_NODES = 100_000  # bounds alias expansion before brand-yml (which expands everything) sees it
# Other names the shipped families go by.
_ALIASES = {"sourcesans3": "Source Sans Pro", "sourceserif4": "Source Serif Pro", "bitstreamvera": "Vera",
            "bitstreamverasans": "Vera", "verasans": "Vera"}  # fmt: skip


def read_brand(path: Path, report: Report) -> Layer | None:
    """The theme layer a `_brand.yml` amounts to; None (errors reported) when unreadable."""
    root = compose_file(path, report)  # located syntax errors, before brand-yml sees the file
    if root is None:
        return None
    where = str(path)
    if not isinstance(root, yaml.MappingNode):
        report.error(
            Span(where, 1, 1), "expected a _brand.yml mapping (meta, color, logo, typography)"
        )
        return None
    if _count(root, MAX_NODES) >= MAX_NODES:
        report.error(Span(where, 1, 1), "document expands to too many values (alias bomb?)")
        return None
    brand = _load(path, root, report)
    if brand is None:
        return None
    values: dict[str, tuple[Any, yaml.Node]] = {}
    name = brand.meta.name if brand.meta is not None else None
    if name is not None and (name.full or name.short):
        values["name"] = (name.full or name.short, _node_at(root, ("meta", "name")))
    if brand.color is not None:
        _map_colors(brand.color, root, where, report, values)
    if brand.logo is not None:
        _map_logo(brand.logo, root, where, report, values)
    if brand.typography is not None:
        _map_typography(brand.typography, path.parent, root, where, report, values)
    return Layer(path, values)


def _load(path: Path, root: yaml.Node, report: Report) -> Any:
    from brand_yml import Brand
    from pydantic import ValidationError

    try:
        with warnings.catch_warnings():
            # brand-yml's own advice (e.g. about web fonts) is not ours
            warnings.simplefilter("ignore")
            return Brand.from_yaml(path)
    except ValidationError as e:
        for problem in e.errors():
            loc = tuple(problem.get("loc", ()))
            node = _node_at(root, loc, at_key=problem.get("type") == "extra_forbidden")
            report.error(_span(str(path), node), _message(loc, problem))
    except Exception as e:  # noqa: BLE001 - brand-yml raises ValueError, ruamel errors, ...
        text = _plain_types(str(e).splitlines()[0] if str(e) else type(e).__name__)
        # brand-yml's own checks name no position: the top-level key they name, else the start.
        node = next(
            (value for key, value in getattr(root, "value", ())
             if isinstance(key, yaml.ScalarNode) and re.search(rf"\b{re.escape(key.value)}\b", text)),
            None,
        )  # fmt: skip
        span = _span(str(path), node) if node is not None else Span(str(path), 1, 1)
        report.error(span, f"cannot read brand file: {text}")
    return None


_TYPE_WORDS = {"CommentedSeq": "a list", "CommentedMap": "a mapping", "int": "a number", "float": "a number",
               "str": "text", "bool": "true/false", "NoneType": "nothing"}  # fmt: skip


def _plain_types(message: str) -> str:
    """brand-yml's messages in a user's words: "<class '…CommentedSeq'>" -> "a list"."""
    message = re.sub(
        r"<class '(?:[\w.]+\.)?(\w+)'>", lambda m: _TYPE_WORDS.get(m.group(1), m.group(1)), message
    )
    return re.sub(r"'(\w+)' object", lambda m: _TYPE_WORDS.get(m.group(1), m.group(1)), message)


def _message(loc: tuple[Any, ...], problem: dict[str, Any]) -> str:
    keys = [str(k) for k in loc]
    msg = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
    if problem.get("type") == "extra_forbidden" and keys:
        parent = ".".join(keys[:-1])
        text = f"unknown key '{keys[-1]}'{did_you_mean(keys[-1], _known_keys(parent))}"
        return f"{parent}: {text}" if parent else text
    msg = msg[:1].lower() + msg[1:]
    return f"{'.'.join(keys)}: {msg}" if keys else msg


def _known_keys(parent: str) -> list[str]:
    import brand_yml as b

    models = {
        "": b.Brand,
        "color": b.BrandColor,
        "logo": b.BrandLogo,
        "meta": b.BrandMeta,
        "typography": b.BrandTypography,
    }
    model = models.get(parent)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _map_colors(color: Any, root: yaml.Node, where: str, report: Report, values: dict) -> None:
    from PIL import ImageColor

    for brand_key, theme_key in COLOR_MAP:
        value = getattr(color, brand_key, None)
        if value is None:
            continue
        node = _node_at(root, ("color", brand_key))
        try:
            # Brand files use CSS colours: '#abc', 'navy', 'rgb(…)' all become #RRGGBB.
            rgb = ImageColor.getrgb(str(value))
        except ValueError:
            report.error(
                _span(where, node), f"color.{brand_key}: '{value}' is not a colour (#RRGGBB)"
            )
            continue
        values[f"colors.{theme_key}"] = ("#{:02X}{:02X}{:02X}".format(*rgb[:3]), node)


def _map_logo(logo: Any, root: yaml.Node, where: str, report: Report, values: dict) -> None:
    from brand_yml import BrandLogo

    if isinstance(logo, BrandLogo):
        options = [
            (size, getattr(logo, size)) for size in LOGO_SIZES if getattr(logo, size) is not None
        ]
    else:
        options = [("", logo)]
    rejected: list[tuple[yaml.Node, str]] = []
    for size, resource in options:
        node = _node_at(root, ("logo", size) if size else ("logo",))
        resource = getattr(resource, "light", None) or getattr(resource, "dark", None) or resource
        location = getattr(resource, "path", None)
        raw = str(getattr(location, "root", location))
        if "://" in raw:
            rejected.append(
                (node, f"'{raw}' is a URL; builds never download (use a local PNG or JPEG)")
            )
        elif Path(raw).suffix.lower() not in (".png", ".jpg", ".jpeg"):
            rejected.append((node, f"'{raw}' is not a PNG or JPEG image"))
        else:
            values["logo"] = (raw, node)  # relative to the brand file; the schema checks it exists
            return
    for node, message in rejected[:1]:
        report.warning(_span(where, node), f"logo: {message}; the outputs have no logo")


def _map_typography(
    typo: Any, folder: Path, root: yaml.Node, where: str, report: Report, values: dict
) -> None:
    for part, theme_key, slide_key in (
        ("base", "fonts.body", "slides.body_font"),
        ("headings", "fonts.heading", "slides.heading_font"),
    ):
        family = getattr(getattr(typo, part, None), "family", None)
        if not family:
            continue
        node = _node_at(root, ("typography", part, "family"))
        office = _match(family, OFFICE_FONTS)
        if office:
            values[slide_key] = (office, node)
        shipped = _match(family, PDF_FAMILIES) or _ALIASES.get(_norm(family))
        local = None if shipped else _local_ttf(typo, family, folder)
        if shipped or local:
            values[theme_key] = (shipped or local, node)
        else:
            outputs = "the PDFs" if office else "the outputs"
            report.warning(
                _span(where, node),
                f"typography.{part}: font '{family}' does not ship with studypack and has no local .ttf "
                f"in typography.fonts; {outputs} keep the default font (shipped: {', '.join(PDF_FAMILIES)})",
            )


def _norm(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalnum())


def _match(family: str, names: Iterable[str]) -> str | None:
    return next((n for n in names if _norm(n) == _norm(family)), None)


def _local_ttf(typo: Any, family: str, folder: Path) -> str | None:
    """The upright regular local .ttf that typography.fonts gives for a family, relative to folder."""
    for font in getattr(typo, "fonts", None) or ():
        if getattr(font, "source", None) != "file" or _norm(font.family) != _norm(family):
            continue
        files = [
            f
            for f in font.files
            if str(f.path.root).lower().endswith(".ttf") and "://" not in str(f.path.root)
        ]
        files.sort(
            key=lambda f: (f.style != "normal", str(f.weight.root) not in ("400", "normal", "auto"))
        )
        if files and (folder / str(files[0].path.root)).is_file():
            return str(files[0].path.root)
    return None


def _node_at(root: yaml.Node, loc: tuple[Any, ...], at_key: bool = False) -> yaml.Node:
    """The deepest node along a key path (unknown steps, like pydantic's union tags, skipped).

    With at_key, a last step that names a mapping key gives the key's node (for unknown keys).
    """
    node = root
    for i, step in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                    node = key if at_key and i == len(loc) - 1 else value
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            node = node.value[step]
    return node


def _span(where: str, node: yaml.Node) -> Span:
    return Span(where, node.start_mark.line + 1, node.start_mark.column + 1)


def _count(node: yaml.Node, limit: int) -> int:
    """Nodes visited with aliases expanded, stopping at limit."""
    seen, stack = 0, [node]
    while stack and seen < limit:
        n = stack.pop()
        seen += 1
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack += (k, v)
        elif isinstance(n, yaml.SequenceNode):
            stack += n.value
    return seen
