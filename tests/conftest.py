"""Session fixtures: the sample pack is loaded and built once and read by many tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SAMPLE, build_or_fail
from studypack.errors import Report
from studypack.load import load_pack
from studypack.theme import load_theme


@pytest.fixture(scope="session")
def pack():
    """The sample pack, loaded."""
    report = Report()
    loaded = load_pack(SAMPLE, report)
    assert loaded is not None, [str(d) for d in report.diagnostics]
    return loaded


@pytest.fixture(scope="session")
def theme():
    """The built-in default theme, resolved."""
    resolved = load_theme("default", Report())
    assert resolved is not None
    return resolved


@pytest.fixture(scope="session")
def sample_outputs(tmp_path_factory) -> dict[str, Path]:
    """Every output of the sample pack, built once: {'csv': path, 'handout': path, ...}."""
    return build_or_fail(SAMPLE, tmp_path_factory.mktemp("sample"))
