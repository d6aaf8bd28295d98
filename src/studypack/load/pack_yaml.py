"""pack.yaml -> Pack, with every problem located."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from studypack.errors import Report, Span, did_you_mean
from studypack.load.blocks import BlockReader, block_kind
from studypack.load.fields import language_problem, parse_date
from studypack.load.images import check_image
from studypack.load.nodes import ExpansionLimit, NodeReader, compose_file, compose_text, kind_of
from studypack.model import Card, Image, Item, Pack, Point, Section, Term

PACK_KEYS = (
    "title", "subtitle", "course", "author", "date", "language", "theme", "overview",
    "sections", "glossary", "cards",
)  # fmt: skip
SECTION_KEYS = ("title", "summary", "points", "notes", "image", "sections")
IMAGE_KEYS = ("path", "alt", "caption")
TERM_KEYS = ("term", "definition", "see", "id")
CARD_KEYS = ("front", "back", "tags", "id")


def load_pack_yaml(path: Path, report: Report, slug: str | None = None) -> Pack | None:
    """Read a pack.yaml; returns None when any error was reported."""
    name = str(path)
    root = compose_file(path, report, name)
    return read_pack(root, path, report, slug) if root is not None else None


def load_pack_text(text: str, path: Path, report: Report, slug: str | None = None) -> Pack | None:
    """Read pack YAML held in memory (e.g. just imported), located as if it were `path`."""
    root = compose_text(text, str(path), report)
    return read_pack(root, path, report, slug) if root is not None else None


def read_pack(root: yaml.Node, path: Path, report: Report, slug: str | None) -> Pack | None:
    before = len(report.errors)
    before_all = len(report.diagnostics)
    reader = _PackReader(NodeReader(str(path), report), path.parent.resolve())
    try:
        pack = reader.pack(root, slug or path.resolve().parent.name)
    except ExpansionLimit:
        del report.diagnostics[before_all:]  # the walk's own complaints are noise here
        report.error(Span(str(path), 1, 1), "document expands to too many values (alias bomb?)")
        return None
    return pack if len(report.errors) == before else None


class _PackReader:
    def __init__(self, r: NodeReader, root: Path):
        self.r = r
        self.root = root
        self.blocks = BlockReader(r, self.image)

    def pack(self, node: yaml.Node, slug: str) -> Pack | None:
        r = self.r
        if not isinstance(node, yaml.MappingNode):
            r.error(node, "", f"expected a mapping of pack keys (title, sections, …), got {kind_of(node)}")
            return None
        m = r.mapping(node, "", PACK_KEYS, required=("title", "sections"))
        if m is None:
            return None
        title = r.text(m.get("title"), "title", required=True)
        sections = self.sections(m.get("sections"), "sections", required=True)
        glossary = self.glossary(m.get("glossary"))
        cards = self.cards(m.get("cards"))
        return Pack(
            slug=slug,
            root=self.root,
            source=Path(r.path),
            title=title or "",
            subtitle=r.text(m.get("subtitle"), "subtitle"),
            course=r.text(m.get("course"), "course"),
            author=r.text(m.get("author"), "author"),
            date=self.date(m.get("date")),
            language=self.language(m.get("language")),
            theme=r.text(m.get("theme"), "theme"),
            theme_span=r.span(m["theme"]) if "theme" in m else r.span(node),
            overview=r.text(m.get("overview"), "overview"),
            sections=sections,
            glossary=glossary,
            cards=cards,
            span=r.span(node),
        )

    def date(self, node: yaml.Node | None) -> dt.date | None:
        raw = self.r.text(node, "date")
        if raw is None or node is None:
            return None
        date, problem = parse_date(raw)
        if problem:
            self.r.error(node, "date", problem)
        return date

    def language(self, node: yaml.Node | None) -> str:
        raw = self.r.text(node, "language")
        if raw is None or node is None:
            return "en"
        problem = language_problem(raw)
        if problem:
            self.r.error(node, "language", problem)
        return raw

    def sections(self, node: yaml.Node | None, where: str, required: bool = False) -> tuple[Section, ...]:
        r = self.r
        if node is None:
            return ()
        items = r.items(node, where)
        if items is None:
            return ()
        if required and not items:
            r.error(node, where, "needs at least one section")
        out = []
        for i, item in enumerate(items):
            section = self.section(item, f"{where}[{i}]")
            if section is not None:
                out.append(section)
        return tuple(out)

    def section(self, node: yaml.Node, where: str) -> Section | None:
        r = self.r
        m = r.mapping(node, where, SECTION_KEYS, required=("title",))
        if m is None:
            return None
        title = r.text(m.get("title"), f"{where}.title", required=True)
        return Section(
            title=title or "",
            summary=r.text(m.get("summary"), f"{where}.summary"),
            points=self.points(m.get("points"), f"{where}.points"),
            notes=r.text(m.get("notes"), f"{where}.notes"),
            image=self.image(m.get("image"), f"{where}.image"),
            sections=self.sections(m.get("sections"), f"{where}.sections"),
            span=r.span(node),
        )

    def points(self, node: yaml.Node | None, where: str, nested: bool = False) -> tuple[Item, ...]:
        """Text items are points; a nested list holds the sub-points of the point before it;
        a mapping is a block (table, code, math, image)."""
        r = self.r
        if node is None:
            return ()
        items = r.items(node, where)
        if items is None:
            return ()
        out: list[Item] = []
        for i, item in enumerate(items):
            here = f"{where}[{i}]"
            if isinstance(item, yaml.SequenceNode):
                children = self.points(item, here, nested=True)
                if not out or not isinstance(out[-1], Point):
                    r.error(item, here, "sub-points must follow the point they belong to")
                else:
                    parent = out[-1]
                    out[-1] = Point(parent.text, parent.children + children, parent.span)
                continue
            if isinstance(item, yaml.MappingNode):
                if nested and block_kind(item) is not None:
                    r.error(item, here, f"a {block_kind(item)} block stands in a section's points, not among sub-points")
                    continue
                block = self.blocks.block(item, here)
                if block is not None:
                    out.append(block)
                continue
            text = r.text(item, here, required=True)
            if text is not None:
                out.append(Point(text, (), r.span(item)))
        return tuple(out)

    def image(self, node: yaml.Node | None, where: str) -> Image | None:
        r = self.r
        if node is None:
            return None
        m = r.mapping(node, where, IMAGE_KEYS, required=("path", "alt"))
        if m is None:
            return None
        rel = r.text(m.get("path"), f"{where}.path", required=True)
        alt = r.text(m.get("alt"), f"{where}.alt", required=True)
        caption = r.text(m.get("caption"), f"{where}.caption")
        if rel is None or alt is None:
            return None
        path_node = m["path"]
        found = check_image(self.root, rel, r.span(path_node), f"{where}.path", r.report)
        if found is None:
            return None
        path, width, height, fmt = found
        return Image(path, alt, caption, width, height, fmt, r.span(node))

    def glossary(self, node: yaml.Node | None) -> tuple[Term, ...]:
        r = self.r
        terms: list[tuple[Term, str, list[yaml.Node]]] = []
        seen: dict[str, Term] = {}
        for where, item, m in self._entries(node, "glossary", TERM_KEYS, ("term", "definition")):
            term = r.text(m.get("term"), f"{where}.term", required=True)
            definition = r.text(m.get("definition"), f"{where}.definition", required=True)
            see_nodes = self._see_nodes(m.get("see"), f"{where}.see")
            if term is None:
                continue
            key = term.casefold()
            if key in seen:
                first = seen[key].span
                r.error(m["term"], f"{where}.term", f"duplicate term '{term}' (first defined at line {first.line})")
                continue
            # Kept even without a definition (already an error), so its duplicates and `see`
            # references are checked in the same run.
            t = Term(term, definition or "", (), r.span(item), r.text(m.get("id"), f"{where}.id"))
            seen[key] = t
            terms.append((t, where, see_nodes))
        return tuple(self._resolve_see(t, nodes, seen, where) for t, where, nodes in terms)

    def _entries(self, node: yaml.Node | None, name: str, keys: tuple[str, ...], required: tuple[str, ...]):
        """(where, node, mapping) for each well-shaped entry of a list of mappings."""
        items = self.r.items(node, name) if node is not None else None
        for i, item in enumerate(items or ()):
            where = f"{name}[{i}]"
            m = self.r.mapping(item, where, keys, required=required)
            if m is not None:
                yield where, item, m

    def _see_nodes(self, node: yaml.Node | None, where: str) -> list[yaml.Node]:
        if node is None:
            return []
        if isinstance(node, yaml.ScalarNode):  # `see: Article 9` reads as a one-item list
            return [node]
        return self.r.items(node, where) or []

    def _resolve_see(self, term: Term, nodes: list[yaml.Node], seen: dict[str, Term], entry: str) -> Term:
        r = self.r
        names: list[str] = []
        for j, node in enumerate(nodes):
            where = f"{entry}.see[{j}]"
            name = r.text(node, where, required=True)
            if name is None:
                continue
            target = seen.get(name.casefold())
            if target is None:
                hint = did_you_mean(name, [t.term for t in seen.values()])
                r.error(node, where, f"'{name}' is not a glossary term{hint}")
            elif target.term == term.term:
                r.error(node, where, f"'{name}' refers to itself")
            elif target.term not in names:
                names.append(target.term)
        return Term(term.term, term.definition, tuple(names), term.span, term.id)

    def cards(self, node: yaml.Node | None) -> tuple[Card, ...]:
        r = self.r
        out = []
        for where, item, m in self._entries(node, "cards", CARD_KEYS, ("front", "back")):
            front = r.text(m.get("front"), f"{where}.front", required=True)
            back = r.text(m.get("back"), f"{where}.back", required=True)
            tags = self._tags(m.get("tags"), f"{where}.tags")
            ident = r.text(m.get("id"), f"{where}.id")
            if front is not None and back is not None:
                out.append(Card(front, back, None, tags, r.span(item), ident))
        return tuple(out)

    def _tags(self, node: yaml.Node | None, where: str) -> tuple[str, ...]:
        if node is None:
            return ()
        items = self.r.items(node, where) or []
        tags = (self.r.text(t, f"{where}[{i}]", required=True) for i, t in enumerate(items))
        return tuple(t.replace(" ", "_") for t in tags if t)
