"""Shared fixtures: the sample pack is built once per session and read by many tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from studypack.build import BuildOptions, build_pack
from studypack.errors import Report
from studypack.load import load_pack
from studypack.outputs import OUTPUTS
from studypack.theme import load_theme

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "japan-us-security-treaty"
ROOTS = Path(__file__).resolve().parent / "roots"


def require_tool(name: str) -> str:
    """Path of an external tool; skip without it, except under CI where it must exist."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required under CI=true (install it in .ci/run)")
        pytest.skip(f"{name} is not installed")
    return path


def build_or_fail(pack: Path, out: Path, output_jobs: int = 1, **options) -> dict[str, Path]:
    """Build a pack; fail the test with every diagnostic if it did not build."""
    options.setdefault("only", tuple(OUTPUTS))
    result = build_pack(pack, BuildOptions(out=out, **options), output_jobs)
    errors = [str(d) for d in result.diagnostics if d.severity == "error"]
    assert not errors, "\n".join(errors)
    folder = out / (result.slug or "")
    return {name: folder / o.filename for name, o in OUTPUTS.items() if (folder / o.filename).exists()}


def load_with_theme(path: Path):
    """A pack and the theme it builds with; fails the test on any error."""
    from studypack.build import resolve_theme

    report = Report()
    pack = load_pack(path, report)
    assert pack is not None, [str(d) for d in report.diagnostics]
    theme = resolve_theme(pack, BuildOptions(), report)
    assert theme is not None and not report.errors, [str(d) for d in report.diagnostics]
    return pack, theme


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


def pdf_from_pptx(pptx: Path, outdir: Path) -> Path:
    """Render a deck with LibreOffice, as a teacher without PowerPoint would see it."""
    soffice = require_tool("soffice")
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{outdir}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(outdir), str(pptx)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return outdir / (pptx.stem + ".pdf")


def render_output(name: str, pack, theme, report: Report | None = None, previous: bytes | None = None) -> bytes:
    """One output planned and drawn, as a build does it (no input key, nothing written)."""
    output = OUTPUTS[name]
    report = report if report is not None else Report()
    plan = output.plan(pack, theme, report, previous)
    return b"" if report.errors else output.draw(plan, theme)
