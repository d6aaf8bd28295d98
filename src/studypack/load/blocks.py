"""Blocks in a points list (table, code, math, image), read from pack.yaml with every problem located."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from studypack.errors import did_you_mean
from studypack.load.fields import clean_text, dropped_message
from studypack.load.nodes import NodeReader
from studypack.model import Code, Image, Math, Table

BLOCK_KEYS = ("table", "code", "math", "image")  # the key that names a block
TABLE_KEYS = ("caption", "header", "rows", "align")
CODE_KEYS = ("code", "language", "caption", "tab_size")
MATH_KEYS = ("math", "alt")
ALIGNS = ("left", "center", "right")
MAX_COLUMNS = 50


def block_kind(node: yaml.MappingNode) -> str | None:
    """Which block a mapping in a points list is, from its keys (None: it is none)."""
    keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
    return next((k for k in keys if k in BLOCK_KEYS), None)


class BlockReader:
    def __init__(self, r: NodeReader, read_image: Callable[[yaml.Node | None, str], Image | None]):
        self.r = r
        self.read_image = read_image  # the pack reader's, so a figure checks its file as a section image does

    def block(self, node: yaml.MappingNode, where: str) -> Table | Code | Math | Image | None:
        """The block a mapping in a points list holds; a mapping that is none was meant as text."""
        kind = block_kind(node)
        if kind is None:
            key, value = node.value[0] if node.value else (None, None)
            if isinstance(value, yaml.ScalarNode) or not isinstance(key, yaml.ScalarNode):
                self.r.expect(node, where, "text")  # `- Note: …`, text with a ': ' in it
            else:
                hint = did_you_mean(key.value, BLOCK_KEYS)
                self.r.error(node, where, f"expected text or a block ({', '.join(BLOCK_KEYS)}), got '{key.value}'{hint}")
            return None
        here = f"{where}.{kind}"
        if kind == "table":
            return self.table(node, here)
        if kind == "code":
            return self.code(node, here)
        if kind == "math":
            return self.math(node, here)
        m = self.r.mapping(node, where, ("image",), required=("image",))
        return self.read_image(m.get("image"), here) if m is not None else None

    def table(self, node: yaml.MappingNode, where: str) -> Table | None:
        r = self.r
        outer = r.mapping(node, where.rsplit(".", 1)[0], ("table",), required=("table",))
        if outer is None:
            return None
        m = r.mapping(outer["table"], where, TABLE_KEYS, required=("header", "rows"))
        if m is None:
            return None
        header = self._row(m.get("header"), f"{where}.header", None)
        if header is not None and not header:
            r.error(m["header"], f"{where}.header", "needs at least one column")
            return None
        if header is not None and len(header) > MAX_COLUMNS:
            r.error(m["header"], f"{where}.header", f"{len(header)} columns; at most {MAX_COLUMNS} fit a page")
            return None
        width = len(header) if header is not None else None
        rows: list[tuple[str, ...]] = []
        items = r.items(m["rows"], f"{where}.rows") if "rows" in m else None
        for i, item in enumerate(items or ()):
            row = self._row(item, f"{where}.rows[{i}]", width)
            if row is not None:
                rows.append(row)
        if items is not None and not items:
            r.error(m["rows"], f"{where}.rows", "needs at least one row")
        align = self._align(m.get("align"), f"{where}.align", width)
        caption = r.text(m.get("caption"), f"{where}.caption")
        if header is None or items is None or len(rows) != len(items) or not rows or align is None:
            return None
        return Table(header, tuple(rows), caption, align, r.span(node))

    def _row(self, node: yaml.Node | None, where: str, width: int | None) -> tuple[str, ...] | None:
        r = self.r
        if node is None:
            return None
        items = r.items(node, where)
        if items is None:
            return None
        cells = [self._cell(item, f"{where}[{j}]") for j, item in enumerate(items)]
        if any(c is None for c in cells):
            return None
        if width is not None and len(cells) != width:
            r.error(node, where, f"has {len(cells)} cell(s); the header has {width}")
            return None
        return tuple(c for c in cells if c is not None)

    def _cell(self, node: yaml.Node, where: str) -> str | None:
        """A cell's inline Markdown; an empty cell (``, ~) is allowed, a nested list or mapping not."""
        if isinstance(node, yaml.ScalarNode) and (node.tag == "tag:yaml.org,2002:null" or not node.value.strip()):
            return ""
        return self.r.text(node, where)

    def _align(self, node: yaml.Node | None, where: str, width: int | None) -> tuple[str, ...] | None:
        r = self.r
        if node is None:
            return ()
        items = r.items(node, where)
        if items is None:
            return None
        out = []
        for j, item in enumerate(items):
            value = r.choice(item, f"{where}[{j}]", ALIGNS)
            if value is None:
                return None
            out.append(value)
        if width is not None and len(out) != width:
            r.error(node, where, f"has {len(out)} value(s); the header has {width} column(s)")
            return None
        return tuple(out)

    def code(self, node: yaml.MappingNode, where: str) -> Code | None:
        r = self.r
        m = r.mapping(node, where.rsplit(".", 1)[0], CODE_KEYS, required=("code",))
        if m is None:
            return None
        source = m["code"]
        if not isinstance(source, yaml.ScalarNode) or source.tag == "tag:yaml.org,2002:null":
            if isinstance(source, yaml.ScalarNode):
                r.error(source, where, "must not be empty")
            else:
                r.expect(source, where, "text")
            return None
        tab_size = r.number(m.get("tab_size"), where.replace(".code", ".tab_size"), 1, 16) if "tab_size" in m else 4
        text, dropped = clean_text(source.value)
        if dropped:
            r.warning(source, where, dropped_message(dropped))
        lines = [line.rstrip().expandtabs(int(tab_size or 4)) for line in text.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        if not lines:
            r.error(source, where, "must not be empty")
            return None
        language = self._language(m.get("language"), where.replace(".code", ".language"))
        caption = r.text(m.get("caption"), where.replace(".code", ".caption"))
        return Code("\n".join(lines), language, caption, r.span(node))

    def _language(self, node: yaml.Node | None, where: str) -> str | None:
        name = self.r.text(node, where)
        if name is None or node is None:
            return None
        from pygments.lexers import get_lexer_by_name  # only packs with code pay for Pygments
        from pygments.util import ClassNotFound

        try:
            get_lexer_by_name(name)
        except ClassNotFound:
            self.r.warning(node, where, f"unknown language '{name}'; the code is shown without highlighting")
            return None
        return name.lower()

    def math(self, node: yaml.MappingNode, where: str) -> Math | None:
        r = self.r
        m = r.mapping(node, where.rsplit(".", 1)[0], MATH_KEYS, required=("math",))
        if m is None:
            return None
        latex = r.text(m.get("math"), where, required=True)
        alt = r.text(m.get("alt"), where.replace(".math", ".alt"))
        if latex is None:
            return None
        return Math(latex, alt, r.span(m["math"]))
