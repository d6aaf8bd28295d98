"""The broken-input corpus (tests/roots/bad/): exit 1, the exact located lines, outputs untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOTS
from studypack.cli import cli

CASES = sorted(p.name for p in (ROOTS / "bad").iterdir() if p.is_dir())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_is_big_enough():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_and_writes_nothing(case, tmp_path, monkeypatch):
    work = tmp_path / case
    shutil.copytree(ROOTS / "bad" / case, work, symlinks=True)
    expected = (work / "expected.txt").read_text(encoding="utf-8").splitlines()
    out = tmp_path / "out"
    earlier = out / case
    earlier.mkdir(parents=True)
    (earlier / "cards.csv").write_bytes(b"front,back,tags\r\nold,output,\r\n")
    before = snapshot(out)
    monkeypatch.chdir(work)
    result = CliRunner().invoke(cli, ["build", ".", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if ": error: " in line or ": warning: " in line]
    assert lines == expected
    assert "Traceback" not in result.output
    assert snapshot(out) == before
