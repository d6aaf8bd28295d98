"""`studypack check --accessibility`: what a checker would flag, located in pack.yaml."""

from __future__ import annotations

import dataclasses
import shutil

from click.testing import CliRunner

from helpers import SAMPLE, load_with_theme
from studypack.accessibility import audit
from studypack.cli import cli
from studypack.errors import Report
from studypack.model import Table

PACK = """\
title: A
sections:
  - title: Bases
    image: {path: images/timeline.png, alt: timeline.png}
    points:
      - See [https://www.mofa.go.jp](https://www.mofa.go.jp) and [the ministry](https://www.mofa.go.jp).
  - title: bases
    points: [x]
"""


def test_findings_are_located_and_fail_under_strict(tmp_path):
    (tmp_path / "images").mkdir()
    shutil.copy(SAMPLE / "images" / "timeline.png", tmp_path / "images")
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--accessibility", str(tmp_path)])
    lines = [line.replace(str(tmp_path) + "/", "") for line in result.output.splitlines()]
    assert lines[:3] == [
        "pack.yaml:4:12: warning: accessibility: alt text 'timeline.png' names a file or a kind of picture; say what the picture shows",
        "pack.yaml:6:9: warning: accessibility: link text 'https://www.mofa.go.jp' is a bare address; write [what it is](https://www.mofa.go.jp)",
        "pack.yaml:7:5: warning: accessibility: section title 'bases' repeats the one at line 3; slides and headings need titles that tell them apart",
    ]
    assert result.exit_code == 0
    assert CliRunner().invoke(cli, ["check", "--accessibility", "--strict", str(tmp_path)]).exit_code == 1
    assert CliRunner().invoke(cli, ["check", str(tmp_path)]).exit_code == 0  # only when asked


def test_an_empty_table_header_and_a_clean_sample():
    pack, theme = load_with_theme(SAMPLE)
    report = Report()
    audit(pack, theme, report)
    assert report.diagnostics == []  # the sample passes
    section = pack.sections[0]
    table = Table(("", " "), (("a", "b"),), span=section.span)
    pack = dataclasses.replace(pack, sections=(dataclasses.replace(section, points=(table,)),))
    audit(pack, theme, report)
    assert [d.message for d in report.diagnostics] == ["accessibility: table header is empty; name each column"]
