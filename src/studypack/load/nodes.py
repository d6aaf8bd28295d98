"""Safe YAML to located nodes, and a reader that checks shapes and reports every problem.

Shared by the pack loader and the theme loader. YAML is never constructed into Python
objects by PyYAML: we compose nodes ourselves from parser events, which lets us bound
nesting depth and alias expansion, and keep every scalar's literal text (so `title: 1960`
or `yes` stays text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from studypack.errors import Report, Span, did_you_mean, match_choice
from studypack.load.decode import decode_utf8, read_bounded
from studypack.load.fields import (
    clean_text,
    cut_long_text,
    cut_message,
    dropped_message,
    link_warnings,
)

try:  # libyaml's parser is ~10x faster; the pure one gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64  # deeper nesting is never content; it is an attack or an accident
MAX_NODES = 500_000  # visits beyond the document's own nodes; bounds alias ("billion laughs") expansion
MAX_BYTES = 64 * 1024 * 1024

STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:omap",
    "tag:yaml.org,2002:set",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}

class YamlProblem(Exception):
    def __init__(self, span: Span, message: str):
        self.span = span
        self.message = message
        super().__init__(message)


def _span(path: str, mark: yaml.Mark | None) -> Span:
    if mark is None:
        return Span(path, 1, 1)
    return Span(path, mark.line + 1, mark.column + 1)


def compose_file(path: Path, report: Report, display: str | None = None) -> yaml.Node | None:
    """Read one YAML document as a node tree, or report why not (returns None)."""
    name = display or str(path)
    data = read_bounded(path, name, report, MAX_BYTES)
    if data is None:
        return None
    return compose_text(data, name, report)


def compose_text(data: bytes | str, name: str, report: Report) -> yaml.Node | None:
    text = decode_utf8(data, name, report) if isinstance(data, bytes) else data
    if text is None:
        return None
    if not text.strip():
        report.error(Span(name, 1, 1), "file is empty: expected a YAML mapping")
        return None
    if "\0" in text:  # UTF-16 saved without its byte-order mark reads as text with NULs
        at = text.index("\0")
        utf16 = text.count("\0") * 3 > len(text)
        report.error(
            _text_span(name, text, at),
            "file is UTF-16 without a byte-order mark; save it as UTF-8"
            if utf16
            else "NUL character: YAML text cannot hold it (is this a binary file?)",
        )
        return None
    try:
        root = _compose(text, name)
        if root is None:
            report.error(Span(name, 1, 1), "file has no YAML content: expected a mapping")
        return root
    except YamlProblem as p:
        report.error(p.span, p.message)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        report.error(_span(name, mark), f"invalid YAML: {_in_plain_words(e, text)}")
    except yaml.reader.ReaderError as e:  # a character YAML does not allow, at a text offset
        what = f"character U+{e.character:04X} is not allowed in YAML" if isinstance(e.character, int) else e.reason
        report.error(_text_span(name, text, e.position), f"invalid YAML: {what}")
    except yaml.YAMLError as e:
        report.error(Span(name), f"invalid YAML: {str(e).splitlines()[0]}")
    return None


# PyYAML's wording of the common slips -> what the writer did and how to mend it. {at}: where
# the list, mapping or quote that the line breaks began.
_PLAIN = (
    ("did not find expected '-' indicator", "this line's indentation fits neither the list that began at "
     "{at} nor the item above it: keys of one item line up with its first key, and a list's '- ' marks "
     "stand in one column"),
    ("did not find expected key", "this line is indented unlike the keys around it "
     "(the mapping began at {at}): keys of one mapping start in the same column"),
    ("mapping values are not allowed", "a ': ' inside text starts a mapping here: put the whole text "
     "in quotes, or indent it under its key"),
    ("found character '\\t'", "a tab indents this line: YAML indents with spaces only"),
    ("found unexpected end of stream", "the quote opened at {at} is never closed"),
    ("could not find expected ':'", "a line without 'key: value' (the mapping began at {at}): text that "
     "runs over several lines needs quotes or '|'"),
)  # fmt: skip


def _in_plain_words(e: yaml.MarkedYAMLError, text: str) -> str:
    """The problem as a writer of pack.yaml would put it, with a hint; PyYAML's wording otherwise."""
    c, p = e.context_mark, e.problem_mark
    at = f"line {c.line + 1}, column {c.column + 1}" if c is not None else "the line above"
    problem = e.problem or e.context or "invalid YAML"
    if p is not None and text[p.index : p.index + 1] == "\t":  # the C scanner does not name the character
        problem = problem.replace("found character", "found character '\\t'")
    for theirs, ours in _PLAIN:
        if problem.startswith(theirs):
            return ours.format(at=at)
    if e.context and c is not None and e.problem_mark:  # say where the open construct began
        problem += f" ({e.context} that started at {at})"
    return problem


def _text_span(name: str, text: str, at: int) -> Span:
    """The line and column of offset `at` in text."""
    line_start = text.rfind("\n", 0, at) + 1
    return Span(name, text.count("\n", 0, at) + 1, at - line_start + 1)


def _compose(text: str, name: str) -> yaml.Node | None:
    """Iterative composer over parser events: bounded depth, aliases resolved by anchor."""
    anchors: dict[str, yaml.Node] = {}
    stack: list[tuple[yaml.Node, list]] = []
    documents: list[yaml.Node] = []
    pending_key: list[yaml.Node | None] = []
    composed = 0

    def attach(node: yaml.Node) -> None:
        if not stack:
            documents.append(node)
            return
        parent, items = stack[-1]
        if isinstance(parent, yaml.MappingNode):
            if pending_key[-1] is None:
                pending_key[-1] = node
            else:
                items.append((pending_key[-1], node))
                pending_key[-1] = None
        else:
            items.append(node)

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            composed += 1
        if isinstance(event, yaml.DocumentStartEvent) and documents:
            raise YamlProblem(_span(name, event.start_mark), "expected one YAML document, found more")
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise YamlProblem(_span(name, event.start_mark), f"unknown alias '*{event.anchor}'")
            target = anchors[event.anchor]
            if any(open_node is target for open_node, _ in stack):
                raise YamlProblem(
                    _span(name, event.start_mark),
                    f"alias '*{event.anchor}' refers to a value that contains it (endless nesting)",
                )
            attach(target)
        elif isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag in (None, "!"):
                tag = "tag:yaml.org,2002:str" if (event.style or tag == "!") else _plain_tag(event.value)
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            _remember(anchors, event.anchor, node)
            attach(node)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(
                    _span(name, event.start_mark), f"nesting deeper than {MAX_DEPTH} levels"
                )
            is_map = isinstance(event, yaml.MappingStartEvent)
            cls = yaml.MappingNode if is_map else yaml.SequenceNode
            default = "tag:yaml.org,2002:map" if is_map else "tag:yaml.org,2002:seq"
            tag = default if event.tag in (None, "!") else event.tag
            node = cls(tag, [], event.start_mark, event.end_mark, event.flow_style)
            _remember(anchors, event.anchor, node)
            stack.append((node, node.value))
            pending_key.append(None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node, _ = stack.pop()
            pending_key.pop()
            node.end_mark = event.end_mark
            attach(node)
    if not documents:
        return None
    documents[0].composed_nodes = composed  # what the document holds without its aliases
    return documents[0]


def _remember(anchors: dict[str, yaml.Node], anchor: str | None, node: yaml.Node) -> None:
    if anchor is not None:
        anchors[anchor] = node


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


def _plain_tag(value: str) -> str:
    # Only null matters to us: every other plain scalar is read as literal text.
    return "tag:yaml.org,2002:null" if _NULL.match(value) else "tag:yaml.org,2002:str"


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    return "text"


class ExpansionLimit(Exception):
    pass


class NodeReader:
    """Checks node shapes; every problem goes to the report with the node's position."""

    def __init__(self, path: str, report: Report):
        self.path = path
        self.report = report
        self.visits = 0
        self.limit = MAX_NODES

    def span(self, node: yaml.Node) -> Span:
        return _span(self.path, node.start_mark)

    def _visit(self, node: yaml.Node) -> bool:
        """Count the visit (bounding alias expansion); False for a node with a foreign tag."""
        if self.visits == 0:  # the root: a long plain document is no bomb
            self.limit = MAX_NODES + 4 * getattr(node, "composed_nodes", 0)
        self.visits += 1
        if self.visits > self.limit:
            raise ExpansionLimit()
        if node.tag not in STANDARD_TAGS and node.tag is not None:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.error(node, "", f"unsupported YAML tag '{tag}'")
            return False
        return True

    def error(self, node: yaml.Node, where: str, message: str) -> None:
        self.report.error(self.span(node), f"{where}: {message}" if where else message)

    def warning(self, node: yaml.Node, where: str, message: str) -> None:
        self.report.warning(self.span(node), f"{where}: {message}" if where else message)

    def expect(self, node: yaml.Node, where: str, expected: str) -> None:
        hint = ""
        if expected == "text" and isinstance(node, yaml.MappingNode) and len(node.value) == 1:
            # `- Propriété 1 : l'eau …` (French spacing) or `- Note: …` is a mapping in YAML.
            hint = "; a ': ' inside text starts a mapping, so put the whole text in quotes"
        self.error(node, where, f"expected {expected}, got {kind_of(node)}{hint}")

    def mapping(
        self,
        node: yaml.Node,
        where: str,
        allowed: Sequence[str],
        required: Iterable[str] = (),
    ) -> dict[str, yaml.Node] | None:
        """A mapping's values by key; unknown, duplicate and missing keys are reported."""
        if not self._visit(node):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.expect(node, where, "a mapping")
            return None
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            self._visit(key_node)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                self.error(key_node, where, "keys must be text")
            elif key not in allowed:
                self.error(
                    key_node, where, f"unknown key '{key}'{did_you_mean(key, allowed)}"
                )
            elif key in out:
                self.error(key_node, where, f"duplicate key '{key}'")
            else:
                out[key] = value
        for key in required:
            if key not in out:
                self.error(node, where, f"missing required key '{key}'")
        return out

    def items(self, node: yaml.Node, where: str) -> list[yaml.Node] | None:
        if not self._visit(node):
            return None
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        self.expect(node, where, "a list")
        return None

    def text(self, node: yaml.Node | None, where: str, required: bool = False) -> str | None:
        """Literal text of a scalar, stripped of outer white space and forbidden characters."""
        if node is None:
            return None
        if not self._visit(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.expect(node, where, "text")
            return None
        if node.tag == "tag:yaml.org,2002:null":
            if required:
                self.error(node, where, "must not be empty")
            return None
        text, dropped = clean_text(node.value)
        if dropped:
            self.warning(node, where, dropped_message(dropped))
        text, length = cut_long_text(text.strip())
        if length is not None:
            self.warning(node, where, cut_message(length))
        for message in link_warnings(text):
            self.warning(node, where, message)
        if not text:
            if required:
                self.error(node, where, "must not be empty")
            return None
        return text

    def number(
        self, node: yaml.Node | None, where: str, low: float, high: float
    ) -> float | None:
        raw = self.text(node, where)
        if raw is None or node is None:
            return None
        try:
            value = float(raw)
        except ValueError:
            self.error(node, where, f"expected a number, got '{raw}'")
            return None
        if not low <= value <= high:
            self.error(node, where, f"{raw} is out of range ({low:g} to {high:g})")
            return None
        return value

    def choice(self, node: yaml.Node | None, where: str, choices: Sequence[str]) -> str | None:
        raw = self.text(node, where)
        if raw is None or node is None:
            return None
        chosen = match_choice(raw, choices)
        if chosen is None:
            options = ", ".join(choices)
            self.error(node, where, f"'{raw}' is not one of: {options}{did_you_mean(raw, choices)}")
        return chosen
