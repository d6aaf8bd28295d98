"""CJK from pip alone: with `studypack[cjk]` installed and no system CJK font, Japanese,
Chinese and Korean are embedded in both PDFs and read back as text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest
import yaml

from helpers import build_or_fail, missing, require_tool
from studypack import fit, fonts

TEXT = {
    "ja": ("日米安全保障条約", "条約は一九五一年に署名された。"),
    "zh": ("中文简体", "这是一个简单的句子。"),
    "ko": ("한국어", "조약은 서명되었다."),
}


def _clear_font_caches() -> None:
    for cached in (fonts.fallback_candidates, fonts.fallback_for, fonts._fontconfig_files):
        cached.cache_clear()
    for cached in (fit.char_width, fit._em_width):
        cached.cache_clear()


@pytest.fixture
def pip_font_only(monkeypatch):
    """Only the pip font: the Debian, macOS and Windows paths and fontconfig hidden."""
    if not fonts._pip_cjk_font() or not Path(fonts._pip_cjk_font()[0]).is_file():
        missing("the cjk extra is not installed (pip install 'studypack[cjk]')")
    monkeypatch.setattr(fonts, "DEBIAN_FONTS", ())
    monkeypatch.setattr(fonts, "MACOS_FONTS", ())
    monkeypatch.setattr(fonts, "WINDOWS_FONTS", ())
    _clear_font_caches()
    monkeypatch.setattr(fonts, "_fontconfig_files", lambda ch: ())
    yield
    monkeypatch.undo()
    _clear_font_caches()


def test_fallback_order_is_pip_then_os_then_debian():
    candidates = fonts.fallback_candidates()
    pip = candidates.index(fonts._pip_cjk_font()[0]) if fonts._pip_cjk_font() else 2
    mac = candidates.index(fonts.MACOS_FONTS[0])
    windows = next(i for i, c in enumerate(candidates) if c.endswith(fonts.WINDOWS_FONTS[0]))
    debian = candidates.index(fonts.DEBIAN_FONTS[0])
    assert pip < mac < windows < debian


@pytest.mark.parametrize("language", sorted(TEXT))
def test_pip_font_alone_draws_cjk_in_both_pdfs(pip_font_only, tmp_path, language):
    pdffonts = require_tool("pdffonts")
    term, sentence = TEXT[language]
    data = {
        "title": term,
        "date": "2026-11-24",
        "language": language,
        "sections": [{"title": term, "points": [sentence]}],
        "glossary": [{"term": term, "definition": sentence}],
    }
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    built = build_or_fail(folder, tmp_path / "out", only=("handout", "cards"))
    for name in ("handout", "cards"):
        listing = subprocess.run(
            [pdffonts, str(built[name])], capture_output=True, text=True, check=True
        ).stdout
        assert "WenQuanYiMicroHei" in listing, (name, listing)
        with pdfplumber.open(str(built[name])) as pdf:
            text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
        assert term in text and sentence in text, (name, text[:300])
