"""Blocks in the handout: tables, code listings, equations and figures, planned and read back with pdfplumber."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from helpers import REPO, SAMPLE, build_or_fail, load_with_theme
from studypack.errors import Report
from studypack.plan.handout import Bullets, Figure, plan_handout
from studypack.plan.handout_blocks import CodeBlock, MathBlock, TableBlock

CHEMISTRY = REPO / "content" / "intro-chemistry"
ROWS, COLUMNS = 60, 6
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2  # wider than any column
CODE_LINES = [f"total_{i} = compute(value_{i}, {i}) * factor  # step {i}" for i in range(70)]
CODE_LINES[3] = "message = '" + " ".join(f"word{i}" for i in range(40)) + "'"  # wraps


def cell(i: int, j: int) -> str:
    if j == 5 and i == 7:
        return f"r{i}c{j} {LONG_WORD}"
    if j == 1:
        return f"r{i}c{j} holds a longer description that wraps onto more lines in its column"
    return f"r{i}c{j}" + (" **bold**" if j == 4 else "")


def _pack_yaml() -> str:
    rows = "\n".join(
        "          - [" + ", ".join(f'"{cell(i, j)}"' for j in range(COLUMNS)) + "]"
        for i in range(ROWS)
    )
    code = "\n".join("          " + line for line in CODE_LINES)
    return f"""\
title: Every block
sections:
  - title: A long table
    points:
      - A point before the table.
      - table:
          caption: Sixty rows
          header: [Key, Description, Middle, Number, Bold, Long]
          align: [left, left, center, right, left, left]
          rows:
{rows}
      - A point after the table.
  - title: Code and math
    points:
      - code: |
{code}
        language: python
        caption: Seventy lines
      - math: pH = -\\log_{{10}}[\\mathrm{{H^+}}]
      - image: {{path: images/titration.png, alt: A titration curve, caption: The curve}}
    image: {{path: images/ph-scale.png, alt: The pH scale, caption: The scale}}
"""


@pytest.fixture(scope="module")
def blocks_pack(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("blocks") / "every-block"
    (folder / "images").mkdir(parents=True)
    for name in ("titration.png", "ph-scale.png"):
        shutil.copy(CHEMISTRY / "images" / name, folder / "images" / name)
    (folder / "pack.yaml").write_text(_pack_yaml(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=["default", "print"])
def handout(request, blocks_pack, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"out-{request.param}")
    path = build_or_fail(blocks_pack, out, only=("handout",), theme=request.param)["handout"]
    with pdfplumber.open(path) as pdf:
        yield request.param, [(page, page.extract_text() or "") for page in pdf.pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- plan ---------------------------------------------------------------------------------------


def test_blocks_stand_where_they_are_and_captions_are_numbered(blocks_pack):
    pack, theme = load_with_theme(blocks_pack)
    blocks = plan_handout(pack, theme, Report()).blocks
    kinds = [type(b).__name__ for b in blocks if not type(b).__name__ == "Heading"]
    assert kinds == [
        "Bullets",
        "TableBlock",
        "Bullets",
        "CodeBlock",
        "MathBlock",
        "Figure",
        "Figure",
    ]
    table = next(b for b in blocks if isinstance(b, TableBlock))
    code = next(b for b in blocks if isinstance(b, CodeBlock))
    figures = [b for b in blocks if isinstance(b, Figure)]
    assert table.caption == "**Table 1:** Sixty rows" and table.align[2:4] == ("center", "right")
    assert code.caption == "**Listing 1:** Seventy lines" and code.language == "python"
    # Figure blocks and section images share one count, in reading order.
    assert [f.caption for f in figures] == ["**Figure 1:** The curve", "**Figure 2:** The scale"]
    assert any(isinstance(b, MathBlock) and b.latex.startswith("pH") for b in blocks)


def test_a_pack_without_blocks_keeps_its_captions_as_written():
    pack, theme = load_with_theme(SAMPLE)
    blocks = plan_handout(pack, theme, Report()).blocks
    figures = [b for b in blocks if isinstance(b, Figure)]
    assert figures and all(f.caption and not f.caption.startswith("**Figure") for f in figures)
    assert all(isinstance(b, Bullets) or not type(b).__name__.endswith("Block") for b in blocks)


def test_a_figure_under_150_dpi_at_print_size_is_a_located_warning(tmp_path):
    from PIL import Image

    (tmp_path / "images").mkdir()
    Image.new("RGB", (400, 200), "white").save(tmp_path / "images" / "small.png")
    (tmp_path / "pack.yaml").write_text(
        "title: T\nsections:\n  - title: S\n    points:\n      - text\n"
        "      - image: {path: images/small.png, alt: Small}\n",
        encoding="utf-8",
    )
    pack, theme = load_with_theme(tmp_path)
    report = Report()
    plan_handout(pack, theme, report)
    assert [str(d).replace(str(tmp_path) + "/", "") for d in report.diagnostics] == [
        "pack.yaml:6:16: warning: image 'small.png' prints at 96 dpi in the handout (4.2 in wide from 400 px);"
        " 150 dpi needs at least 625 px across"
    ]


# --- the PDF, read back -------------------------------------------------------------------------


def table_pages(pages) -> list[int]:
    return [n for n, (_, text) in enumerate(pages) if re.search(r"\br\d+c0\b", text)]


def test_long_table_repeats_its_header_on_every_page(handout):
    _, pages = handout
    spanned = table_pages(pages)
    assert len(spanned) >= 3
    for n in spanned:
        page, text = pages[n]
        first_row = next(m.start() for m in re.finditer(r"\br\d+c0\b", text))
        assert "Key Description Middle Number Bold Long" in text[:first_row], (
            f"page {n + 1} has no header"
        )


def test_every_cell_is_on_the_page_of_its_row_and_none_is_lost(handout):
    _, pages = handout
    page_of_row: dict[int, int] = {}
    for n, (_, text) in enumerate(pages):
        for m in re.finditer(r"\br(\d+)c0\b", text):
            assert int(m.group(1)) not in page_of_row, f"row {m.group(1)} printed twice"
            page_of_row[int(m.group(1))] = n
    assert sorted(page_of_row) == list(range(ROWS))
    for n in sorted(set(page_of_row.values())):
        page = pages[n][0]
        at = {w["text"]: w for w in page.extract_words()}  # every cell starts with its "r<i>c<j>"
        rows = [i for i in range(ROWS) if page_of_row[i] == n]
        for i in rows:
            top = min(at[f"r{i}c{j}"]["top"] for j in range(COLUMNS)) - 1
            below = f"r{i + 1}c0" if i + 1 in rows else "after" if i + 1 == ROWS else None
            bottom = at[below]["top"] - 1 if below else page.height - 0.9 * 72
            for j in range(COLUMNS):
                left = at[f"r{i}c{j}"]["x0"] - 1
                right = at[f"r{i}c{j + 1}"]["x0"] - 1 if j + 1 < COLUMNS else page.width
                shown = page.crop((left, top, right, bottom)).extract_text() or ""
                assert squeeze(shown) == squeeze(cell(i, j).replace("**", "")), f"cell {i},{j}"


def test_table_cells_stay_inside_the_frame(handout):
    _, pages = handout
    for n in table_pages(pages):
        page = pages[n][0]
        for ch in page.chars:
            assert 0.85 * 72 - 0.5 <= ch["x0"] and ch["x1"] <= page.width - 0.85 * 72 + 0.5, ch[
                "text"
            ]


def test_the_table_starts_under_its_section_heading(handout):
    _, pages = handout
    # The heading's own line (its contents line ends in leaders and a page number).
    n = next(i for i, (_, t) in enumerate(pages) if re.search(r"^1 A long table$", t, re.M))
    assert "Table 1: Sixty rows" in pages[n][1] and "r0c0" in pages[n][1]


def test_code_text_is_extractable_in_order_and_coloured(handout):
    theme, pages = handout
    text = "".join(squeeze(t) for _, t in pages)
    text = text.replace("↪", "")
    at = 0
    for line in CODE_LINES:
        found = text.find(squeeze(line), at)
        assert found >= 0, f"code line missing or out of order: {line}"
        at = found
    mono = {tuple(c["non_stroking_color"] or ()) for _, (page, _) in enumerate(pages)
            for c in page.chars if "Mono" in c["fontname"]}  # fmt: skip
    assert len(mono) >= 3, mono  # keywords, numbers, comments in their own colours


def test_wrapped_code_lines_carry_the_continuation_mark(handout):
    _, pages = handout
    marks = [c for page, _ in pages for c in page.chars if c["text"] == "↪"]
    assert len(marks) >= 1
    page = next(p for p, t in pages if "word0" in t)
    assert all(
        0.85 * 72 <= c["x0"] and c["x1"] <= page.width - 0.85 * 72
        for c in page.chars
        if "Mono" in c["fontname"]
    )


def test_captions_are_numbered(handout):
    _, pages = handout
    text = " ".join(t for _, t in pages)
    for caption in (
        "Table 1: Sixty rows",
        "Listing 1: Seventy lines",
        "Figure 1: The curve",
        "Figure 2: The scale",
    ):
        assert caption in " ".join(text.split()), caption


def test_figures_stand_inside_the_frame(handout):
    _, pages = handout
    images = [(page, im) for page, _ in pages for im in page.images]
    assert len(images) == 2
    for page, im in images:
        assert im["x0"] >= 0.85 * 72 - 0.5 and im["x1"] <= page.width - 0.85 * 72 + 0.5
        assert im["top"] >= 0.95 * 72 - 0.5 and im["bottom"] <= page.height - 0.9 * 72 + 0.5


def test_the_print_theme_fills_nothing(handout):
    theme, pages = handout
    filled = [r for page, _ in pages[2:] for r in page.rects if r.get("fill")]
    assert (not filled) if theme == "print" else filled


def test_a_row_taller_than_a_page_is_cut_without_losing_text(tmp_path):
    words = " ".join(f"w{i}" for i in range(2500))
    (tmp_path / "pack.yaml").write_text(
        "title: T\nsections:\n  - title: S\n    points:\n"
        f"      - table: {{header: [A, B], rows: [[short, '{words}'], [after, row]]}}\n",
        encoding="utf-8",
    )
    path = build_or_fail(tmp_path, tmp_path / "out", only=("handout",))["handout"]
    with pdfplumber.open(path) as pdf:
        text = " ".join((p.extract_text() or "") for p in pdf.pages)
    assert all(f"w{i}" in text.split() for i in range(2500))
    assert "after" in text.split()


def test_the_chemistry_sample_builds_a_clean_handout(tmp_path):
    from studypack.build import BuildOptions, build_pack

    result = build_pack(CHEMISTRY, BuildOptions(out=tmp_path, only=("handout", "cards", "csv")), 1)
    assert [str(d) for d in result.diagnostics] == []


def test_the_readme_blocks_example_builds_a_handout(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(
        r"### Blocks: tables, code, figures, math\n.*?```yaml\n(.*?)```", readme, re.S
    )
    assert example is not None
    points = "\n".join("    " + line for line in example.group(1).splitlines())
    (tmp_path / "images").mkdir()
    shutil.copy(CHEMISTRY / "images" / "titration.png", tmp_path / "images" / "titration.png")
    (tmp_path / "pack.yaml").write_text(
        f"title: T\nsections:\n  - title: S\n{points}\n", encoding="utf-8"
    )
    from studypack.build import BuildOptions, build_pack

    result = build_pack(tmp_path, BuildOptions(out=tmp_path / "out", only=("handout",)), 1)
    assert [str(d) for d in result.diagnostics] == []


def test_a_display_equation_is_drawn_in_vector_outlines_not_as_its_source(tmp_path):
    """The math block is typeset (paths in the page, no LaTeX text on it) and centred."""
    import pdfplumber
    import yaml as _yaml

    folder = tmp_path / "m"
    folder.mkdir()
    pack = {"title": "M", "sections": [{"title": "S", "points": ["Roots:", {"math": r"x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}"}]}]}
    (folder / "pack.yaml").write_text(_yaml.safe_dump(pack), encoding="utf-8")
    outputs = build_or_fail(folder, tmp_path / "out", only=("handout",))
    with pdfplumber.open(outputs["handout"]) as pdf:
        page = pdf.pages[-1]
        text = page.extract_text()
        assert "Roots:" in text and "\\frac" not in text and "sqrt" not in text
        glyphs = [c for c in page.curves + page.rects if c["top"] > 100]
        assert glyphs, "the equation's outlines are on the page"
        xs = [c["x0"] for c in page.curves] + [c["x1"] for c in page.curves]
        middle = (min(xs) + max(xs)) / 2
        assert abs(middle - page.width / 2) < 40  # centred on the text frame
