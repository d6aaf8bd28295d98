"""The README's examples are what a new user copies first: they must work as printed."""

from __future__ import annotations

import re
import shutil

from helpers import REPO, SAMPLE
from studypack.build import BuildOptions, run_all


def test_the_readme_pack_example_checks_clean(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## The content format: `pack.yaml`\n\n```yaml\n(.*?)```", readme, re.S)
    assert example is not None
    folder = tmp_path / "example"
    (folder / "images").mkdir(parents=True)
    (folder / "pack.yaml").write_text(example.group(1), encoding="utf-8")
    shutil.copy(SAMPLE / "images" / "timeline.png", folder / "images" / "timeline.png")  # the path it names
    [result] = run_all([folder], BuildOptions(out=tmp_path / "o", strict=True), check_only=True).packs
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
