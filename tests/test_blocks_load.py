"""Blocks in a points list (table, code, math, image) load into the model, every problem located."""

from __future__ import annotations

import shutil

from helpers import SAMPLE
from studypack.errors import Report
from studypack.load import load_pack
from studypack.model import Code, Image, Math, Point, Table


def _load(tmp_path, points_yaml: str):
    (tmp_path / "images").mkdir()
    shutil.copy(SAMPLE / "images" / "timeline.png", tmp_path / "images" / "timeline.png")
    (tmp_path / "pack.yaml").write_text("title: T\nsections:\n  - title: S\n    points:\n" + points_yaml, encoding="utf-8")
    report = Report()
    pack = load_pack(tmp_path, report)
    return pack, [str(d).replace(str(tmp_path) + "/", "") for d in report.sorted()]


def test_every_block_kind_loads_where_it_stands(tmp_path):
    pack, problems = _load(tmp_path, """\
      - Before.
      - table: {caption: "*Strengths*", header: [Acid, Ka], rows: [[HCl, strong], [HF, ""]], align: [left, right]}
      - code: |
          if x:
          \treturn 1
        language: Python
      - math: \\frac{a}{b}
        alt: a over b
      - image: {path: images/timeline.png, alt: A timeline, caption: Dates}
      - After.
""")
    assert problems == []
    points = pack.sections[0].points
    assert [type(p) for p in points] == [Point, Table, Code, Math, Image, Point]
    table, code, math, image = points[1:5]
    assert table.header == ("Acid", "Ka") and table.rows == (("HCl", "strong"), ("HF", ""))
    assert table.caption == "*Strengths*" and table.alignment(1) == "right"
    assert code.text == "if x:\n    return 1" and code.language == "python"
    assert math.latex == "\\frac{a}{b}" and math.alt == "a over b"
    assert image.alt == "A timeline" and pack.images() == (image,)


def test_block_problems_are_located(tmp_path):
    _, problems = _load(tmp_path, """\
      - table: {header: [A, B], rows: [[1], [1, 2]], align: [left, middle]}
      - table: {header: [], rows: [[1]]}
      - code: "x"
        language: klingon
        colour: red
      - math: ""
      - - a sub-point with nothing before it
      - Text.
      - - table: {header: [A], rows: [[1]]}
      - figure: {path: images/timeline.png}
      - Note: a colon
""")
    assert problems == [
        "pack.yaml:5:40: error: sections[0].points[0].table.rows[0]: has 1 cell(s); the header has 2",
        "pack.yaml:5:68: error: sections[0].points[0].table.align[1]: 'middle' is not one of: left, center, right",
        "pack.yaml:6:25: error: sections[0].points[1].table.header: needs at least one column",
        "pack.yaml:8:19: warning: sections[0].points[2].language: unknown language 'klingon'; the code is shown without highlighting",
        "pack.yaml:9:9: error: sections[0].points[2]: unknown key 'colour'",
        "pack.yaml:10:15: error: sections[0].points[3].math: must not be empty",
        "pack.yaml:11:9: error: sections[0].points[4]: sub-points must follow the point they belong to",
        "pack.yaml:13:11: error: sections[0].points[6][0]: a table block stands in a section's points, not among sub-points",
        "pack.yaml:14:9: error: sections[0].points[7]: expected text or a block (table, code, math, image), got 'figure'",
        "pack.yaml:15:9: error: sections[0].points[8]: expected text, got a mapping; a ': ' inside text starts a mapping, so put the whole text in quotes",
    ]


def test_latex_that_does_not_parse_is_located_inline_and_in_blocks(tmp_path):
    _, problems = _load(tmp_path, """\
      - The ratio $\\fracc{a}{b}$ costs $5 and $10.
      - math: \\sqrt{x
      - Fine $x^2$ and \\$ a dollar.
""")
    assert problems == [
        "pack.yaml:5:20: error: math: unknown command '\\fracc' (did you mean '\\frac'?)",
        "pack.yaml:6:20: error: math: '{' without its '}'",
    ]


def test_a_formula_of_only_spacing_is_a_located_error_not_a_crash(tmp_path):
    """`$\\quad$` has nothing to draw, no height to set a line by: it stopped the build with an
    internal error (exit 70); now a located error, and the build exits 1."""
    from click.testing import CliRunner

    from studypack.cli import cli

    _, problems = _load(tmp_path, """\
      - A gap $\\quad$ here.
      - math: \\,
""")
    assert problems == [
        "pack.yaml:5:16: error: math: nothing to draw (only spaces, phantoms or empty groups)",
        "pack.yaml:6:15: error: math: nothing to draw (only spaces, phantoms or empty groups)",
    ]
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "internal error" not in result.output
