"""Reading a theme's files: the chain of `extends` (theme.yaml or brand files), merged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from studypack.errors import Report, Span, did_you_mean
from studypack.load.nodes import ExpansionLimit, NodeReader, compose_file
from studypack.theme.brand import read_brand
from studypack.theme.find import default_theme_file, find_theme, theme_file, theme_names
from studypack.theme.model import BRAND_FILES, THEME_FILE, Layer, Setting
from studypack.theme.schema import SECTIONS, read_value

_BRAND_ONLY_KEYS = {"meta", "color", "typography", "defaults"}  # brand.yml's, never ours


def read_chain(path: Path, report: Report) -> list[Layer] | None:
    """The file and its ancestors, most specific first; cycles are errors.

    A theme without `extends` extends the built-in default, so a rebrand sets only what differs.
    """
    chain: list[Layer] = []
    seen: list[Path] = []
    current: Path | None = path
    while current is not None:
        resolved = current.resolve()
        if resolved in seen:
            names = " -> ".join(_short(p) for p in seen + [resolved])
            report.error(
                Span(str(chain[-1].path), *_pos(chain[-1].values.get("extends"))),
                f"extends: cycle {names}",
            )
            return None
        seen.append(resolved)
        layer = (
            read_brand(current, report) if is_brand(current) else read_theme_file(current, report)
        )
        if layer is None:
            return None
        chain.append(layer)
        parent = layer.values.get("extends")
        if parent is not None:
            ref = parent[0]
            # A sibling theme folder is found too, so a set of themes can live anywhere.
            current = find_theme(ref, current.parent, skip=current) or theme_file(
                current.parent.parent / ref
            )
            if current is None:
                report.error(
                    Span(str(layer.path), *_pos(parent)),
                    f"extends: theme '{ref}' not found{did_you_mean(ref, theme_names())}",
                )
                return None
        elif resolved != default_theme_file().resolve():
            current = default_theme_file()
        else:
            current = None
    return chain


def merge(chain: list[Layer]) -> dict[str, Setting]:
    """Every key's value from the most specific file that sets it."""
    merged: dict[str, Setting] = {}
    for depth in reversed(range(len(chain))):
        layer = chain[depth]
        for key, (value, node) in layer.values.items():
            merged[key] = Setting(value, node, layer.path, depth)
    return merged


def is_brand(path: Path) -> bool:
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
    return bool(keys & _BRAND_ONLY_KEYS) and not keys & (set(SECTIONS) - {"logo"})


def read_theme_file(path: Path, report: Report) -> Layer | None:
    """One theme.yaml's settings, each in the shape the schema gives it."""
    root = compose_file(path, report)
    if root is None:
        return None
    r = NodeReader(str(path), report)
    try:
        m = r.mapping(root, "", tuple(SECTIONS))
    except ExpansionLimit:
        report.error(Span(str(path), 1, 1), "document expands to too many values (alias bomb?)")
        return None
    if m is None:
        return None
    values: dict[str, tuple[Any, yaml.Node]] = {}
    for key, node in m.items():
        subkeys = SECTIONS[key]
        found = (
            {key: node}
            if subkeys is None
            else {f"{key}.{sub}": n for sub, n in (r.mapping(node, key, subkeys) or {}).items()}
        )
        for name, value_node in found.items():
            value = read_value(r, name, value_node)
            if value is not None:
                values[name] = (value, value_node)
    return Layer(path, values)


def _short(path: Path) -> str:
    """How a theme is named in a cycle message: its folder, or the file for a loose yaml."""
    return path.parent.name if path.name in (THEME_FILE, *BRAND_FILES) else path.name


def _pos(entry: tuple[Any, yaml.Node] | None) -> tuple[int, int]:
    if entry is None:
        return (1, 1)
    mark = entry[1].start_mark
    return (mark.line + 1, mark.column + 1)
