"""Property tests: no guide text crashes the importer, and what it imports is written as YAML
that loads back to the same pack (the check `build guide.md` does not pay for)."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import SAMPLE
from studypack.errors import Report
from studypack.inline import plain_text
from studypack.load.fields import clean_text
from studypack.load.from_outline import literal
from studypack.load.guide import load_guide
from studypack.load.pack_yaml import load_pack_text
from studypack.model import Code, Image, Math, Pack, Point, Section, Table, Term
from studypack.pack_writer import without_spans, write_pack_yaml

SHAPES = [
    "Key Terms to Review (3)", "Glossary", "## Key terms", "# Title", "### Sub", "Heading", "1. Numbered",
    "1.1 Sub numbered", "=====", "-----", "Term: definition: more", "**Term** — def", ": definition",
    "Top images from around the web for X", "© 2024 Fiveable Inc. All rights reserved.", "```", "---",
    "  • bullet", "\t◦ nested", "- dash", "* star", "    - deep", "The , born from", "( SOFA) under (X)",
    "ends with of", "", "   ", "\x00", "\ufeff", "\u2028", "\x85", "> quote", "<b>html</b>", "| a | b |",
    "|---|--:|", "![alt](missing.png)", "![](http://x/y.png)", "$$", "$$ x^2 $$", "???", "Note: n", "> Note: n",
    "<!-- a note -->", "<!-- _class: lead -->", "::: notes", ":::", "Chlorophyll:", "Home > A > B", "Advertisement",
    "Skip to main content", "Written by A. Person", "Terms of Service | Privacy Policy", "```python",
]  # fmt: skip
line = st.one_of(
    st.sampled_from(SHAPES),
    st.text(max_size=40),
    st.builds(
        lambda a, b: a + " " + b,
        st.sampled_from(["•", "-", "*", "  •", "##", "1.", "Term:"]),
        st.text(max_size=30),
    ),
)
guide = st.tuples(st.lists(line, max_size=30), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _import(lines: list[str], newline: str, bom: bool, suffix: str) -> tuple[Pack | None, Report]:
    data = newline.join(lines).encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"guide{suffix}"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        report = Report()
        return load_guide(path, report)[0], report


def _check(pack: Pack | None, report: Report) -> None:
    if pack is None:
        assert report.errors, "no pack means a reported error"
    else:
        assert not report.errors and pack.sections and pack.title
        _assert_round_trips(pack)
    for d in report.diagnostics:
        assert d.line >= 0 and d.col >= 0 and "\n" not in d.message


@FAST
@given(guide)
def test_arbitrary_text_never_crashes_the_text_importer(g):
    lines, newline, bom = g
    lines = [ln.encode("utf-8", "replace").decode("utf-8") for ln in lines]
    _check(*_import(lines, newline, bom, ".txt"))


@FAST
@given(guide)
def test_arbitrary_text_never_crashes_the_markdown_importer(g):
    lines, newline, bom = g
    lines = [ln.encode("utf-8", "replace").decode("utf-8") for ln in lines]
    _check(*_import(lines, newline, bom, ".md"))


@FAST
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "guide.txt"
        path.write_bytes(data)
        report = Report()
        _check(load_guide(path, report)[0], report)


def _assert_round_trips(pack: Pack) -> None:
    """The pack.yaml written for a pack loads back to the very same content."""
    report = Report()
    again = load_pack_text(write_pack_yaml(pack, "header"), pack.source, report, slug=pack.slug)
    assert not report.errors, [str(d) for d in report.diagnostics]
    assert again is not None, [str(d) for d in report.diagnostics]
    assert without_spans(again) == without_spans(_sized(pack, again))


def _sized(pack: Pack, loaded: Pack) -> Pack:
    """`pack` with the image sizes the loader measured (a drawn pack does not know them)."""
    sizes = {i.path: i for i in loaded.images()}

    def fix(item):
        if isinstance(item, Image) and item.path in sizes:
            found = sizes[item.path]
            return dataclasses.replace(
                item, width=found.width, height=found.height, format=found.format
            )
        return item

    def section(s: Section) -> Section:
        return dataclasses.replace(
            s,
            points=tuple(fix(p) for p in s.points),
            sections=tuple(section(x) for x in s.sections),
        )

    return dataclasses.replace(pack, sections=tuple(section(s) for s in pack.sections))


def _clean(text: str) -> str:
    return clean_text(text)[0].strip()


words = st.text(min_size=1, max_size=120).map(_clean).filter(bool)


cells = st.one_of(st.just(""), words)
code_lines = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\t"), max_size=30)


def _code_text(lines: list[str]) -> str:
    """Lines as a Code block holds them: tabs expanded, right-stripped, no blank outer lines."""
    out = [clean_text(line)[0].rstrip().expandtabs(4) for line in lines]
    out = [line for text in out for line in text.splitlines() or [""]]  # \u2028 and the like
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return "\n".join(out) or "x = 1"


IMAGE_ROOT = Path(tempfile.mkdtemp(prefix="props-pack-"))
(IMAGE_ROOT / "images").mkdir()
shutil.copy(SAMPLE / "images" / "timeline.png", IMAGE_ROOT / "images" / "timeline.png")


@st.composite
def blocks(draw):
    kind = draw(st.sampled_from(["table", "code", "math", "image"]))
    if kind == "table":
        width = draw(st.integers(1, 4))
        header = tuple(draw(words) for _ in range(width))
        rows = tuple(
            tuple(draw(cells) for _ in range(width)) for _ in range(draw(st.integers(1, 3)))
        )
        align = draw(
            st.just(()) | st.tuples(*[st.sampled_from(["left", "center", "right"])] * width)
        )
        return Table(header, rows, draw(st.none() | words), align)
    if kind == "code":
        text = _code_text(draw(st.lists(code_lines, min_size=1, max_size=5)))
        return Code(
            text, draw(st.sampled_from([None, "python", "sql", "bash"])), draw(st.none() | words)
        )
    if kind == "math":
        return Math(
            draw(st.sampled_from(["\\frac{a}{b}", "E = mc^2", "x_{1} + y^{2}"]) | words),
            draw(st.none() | words),
        )
    return Image(
        IMAGE_ROOT / "images" / "timeline.png", draw(words), draw(st.none() | words), 0, 0, "PNG"
    )


@st.composite
def packs(draw) -> Pack:
    def points(depth: int) -> tuple[Point, ...]:
        n = draw(st.integers(0, 3))
        out = []
        for _ in range(n):
            if depth == 0 and draw(st.booleans()):
                out.append(draw(blocks()))
            else:
                out.append(Point(draw(words), points(depth + 1) if depth < 2 else ()))
        return tuple(out)

    sections = tuple(
        Section(draw(words), summary=draw(st.none() | words), points=points(0),
                sections=tuple(Section(draw(words), points=points(1)) for _ in range(draw(st.integers(0, 2)))))
        for _ in range(draw(st.integers(1, 3)))
    )  # fmt: skip
    terms = draw(st.lists(words, max_size=4, unique_by=str.casefold))
    glossary = tuple(Term(t, draw(words)) for t in terms)
    root = IMAGE_ROOT
    return Pack("p", root, root / "pack.yaml", draw(words), subtitle=draw(st.none() | words),
                overview=draw(st.none() | words), sections=sections, glossary=glossary)  # fmt: skip


@FAST
@given(packs())
def test_writer_round_trips_any_text(pack):
    _assert_round_trips(pack)


@FAST
@given(st.text(max_size=80).map(lambda t: " ".join(_clean(t).split())))  # as the builder has it
def test_plain_text_is_escaped_to_stay_literal(text):
    assert plain_text(literal(text)) == text
