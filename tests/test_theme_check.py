"""`studypack themes check`: WCAG contrast, missing glyphs, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOTS, SAMPLE, VERA
from studypack.cli import cli
from studypack.errors import Report
from studypack.fonts import fallback_for
from studypack.theme import load_theme
from studypack.theme.contrast import contrast_ratio
from studypack.theme_check import check_glyphs


def check(*args: str):
    return CliRunner().invoke(cli, ["themes", "check", *args])


def lines(output: str, status: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith(status)]


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    # WebAIM's checker: #767676 on white is the lightest grey that passes AA (4.54:1)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") < 4.5


@pytest.mark.parametrize("name", ["default", "print", "northfield-history"])
def test_shipped_themes_pass(name):
    result = check(name, "--pack", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert lines(result.output, "FAIL") == []
    assert len(lines(result.output, "PASS")) >= 7
    assert result.output.rstrip().endswith("all checks passed")  # no warnings either


def test_low_contrast_theme_fails():
    result = check(str(ROOTS / "themes-lowcontrast"))
    assert result.exit_code == 1
    failed = lines(result.output, "FAIL")
    assert failed == [
        "FAIL   2.32:1  text #AAAAAA on background #FFFFFF (body text)",
        "FAIL   1.18:1  primary #FFEE88 on background #FFFFFF (headings)",
        "FAIL   1.18:1  background #FFFFFF on primary #FFEE88 (title slide, section numbers, cover)",
    ]
    assert "3 check(s) failed" in result.output


def test_print_theme_skips_text_on_primary():
    result = check("print")
    assert lines(result.output, "SKIP") == ["SKIP  text on primary: this theme draws no filled areas (style.fills: false)"]


def test_missing_glyphs_in_the_pack_text_are_flagged(tmp_path):
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "title: 日米安全保障条約\nsections:\n  - title: Ωmega\n    points: [ok]\n", encoding="utf-8"
    )
    result = check("default", "--pack", str(pack))
    # 日 is in neither PDF font: a failure when no installed font has it, else a warning
    status = "FAIL" if fallback_for("日") is None else "WARN"
    assert result.exit_code == (1 if status == "FAIL" else 0)
    flagged = [line for line in lines(result.output, status) if line.split()[1] == "PDF"]
    assert len(flagged) == 2 and all("U+65E5" in line for line in flagged)  # in both PDF fonts
    assert any("Ω (U+03A9)" in line for line in lines(result.output, "WARN"))  # deck: fitted by estimate


def test_glyph_check_reads_a_theme_folder_ttf(tmp_path):
    import shutil


    shutil.copy(VERA, tmp_path / "Mine.ttf")
    (tmp_path / "theme.yaml").write_text("fonts: {heading: Mine.ttf}\n", encoding="utf-8")
    theme = load_theme(str(tmp_path), Report())
    checks = check_glyphs(theme, "Œuvre Ștefan ₹")  # Vera lacks Ș and ₹; the Source families have them
    assert checks[0].status == "FAIL"  # a Latin letter: the font is wrong for this text
    assert checks[0].message == "PDF heading font Mine.ttf lacks 1 character(s): Ș (U+0218)"
    if fallback_for("₹") is None:
        assert [c.status for c in checks[1:3]] == ["FAIL", "PASS"]
    else:  # another font draws the symbol, as a build would: a warning
        assert [c.status for c in checks[1:3]] == ["WARN", "PASS"]
        assert checks[1].message == (
            "PDF heading font Mine.ttf lacks 1 character(s) that an installed font draws,"
            " without the theme's bold and italic: ₹ (U+20B9)"
        )


def test_check_with_a_broken_pack_reports_its_problems(tmp_path):
    (tmp_path / "pack.yaml").write_text("title: [x]\n", encoding="utf-8")
    result = check("default", "--pack", str(tmp_path))
    assert result.exit_code == 1
    assert "pack.yaml:1:8: error: title: expected text, got a list" in result.output


def make_template(path: Path, keep: set[str]) -> Path:
    """A template.pptx whose only layouts are python-pptx's defaults named in `keep`."""
    from pptx import Presentation

    prs = Presentation()
    ids = prs.slide_master._element.sldLayoutIdLst
    for layout_id in list(ids):
        layout = prs.slide_master.part.related_part(layout_id.rId).slide_layout
        if layout.name not in keep:
            ids.remove(layout_id)
            prs.slide_master.part.drop_rel(layout_id.rId)
    prs.save(path)
    return path


def template_theme(tmp_path: Path, keep: set[str]) -> Path:
    folder = tmp_path / "dept"
    folder.mkdir()
    make_template(folder / "template.pptx", keep)
    # python-pptx's master is light blue (#4F81BD, 3.9:1 on white): set colours that pass AA.
    (folder / "theme.yaml").write_text(
        'slides: {template: template.pptx}\ncolors: {primary: "#1F3A5F", accent: "#8B1A1A"}\n', encoding="utf-8"
    )
    return folder


def test_template_with_every_layout_passes(tmp_path):
    everything = {"Title Slide", "Title and Content", "Section Header", "Two Content", "Picture with Caption"}
    result = check(str(template_theme(tmp_path, everything)))
    assert result.exit_code == 0, result.output
    assert len([line for line in lines(result.output, "PASS") if "template.pptx" in line]) == 5


def test_template_lacking_layouts_is_reported(tmp_path):
    result = check(str(template_theme(tmp_path, {"Title Slide", "Title and Content"})))
    assert result.exit_code == 0, result.output  # the deck still builds: missing roles fall back
    warned = [line for line in lines(result.output, "WARN") if "template.pptx" in line]
    assert len(warned) == 3 and any("two content" in line for line in warned)


def test_template_without_title_and_content_fails(tmp_path):
    result = check(str(template_theme(tmp_path, {"Title Slide", "Title Only", "Blank"})))
    assert result.exit_code == 1
    assert any("title and content" in line and "cannot be built" in line for line in lines(result.output, "FAIL"))


def test_dark_background_is_also_checked_against_paper(tmp_path):
    (tmp_path / "theme.yaml").write_text('colors: {background: "#101820", text: "#F2F2F2"}\n', encoding="utf-8")
    result = check(str(tmp_path))
    assert result.exit_code == 1
    assert any("text #F2F2F2 on paper #FFFFFF" in line for line in lines(result.output, "FAIL"))
    assert any("text #F2F2F2 on background #101820" in line for line in lines(result.output, "PASS"))


def test_a_dark_theme_has_its_light_headings_checked_on_paper_too(tmp_path):
    """QA: khaki headings on a dark slide background printed khaki on white, unflagged."""
    (tmp_path / "theme.yaml").write_text(
        'colors: {background: "#1A1A2E", text: "#EEEEEE", primary: "#F0E68C", muted: "#AAAAAA", accent: "#FFD700"}\n',
        encoding="utf-8",
    )
    failed = lines(check(str(tmp_path)).output, "FAIL")
    for name, colour in (("primary", "#F0E68C"), ("muted", "#AAAAAA"), ("accent", "#FFD700")):
        assert any(f"{name} {colour} on paper #FFFFFF" in line for line in failed), failed


def test_an_aspect_the_template_cannot_honour_is_a_located_warning(tmp_path):
    folder = template_theme(tmp_path, {"Title Slide", "Title and Content"})  # python-pptx's 4:3 master
    theme_file = folder / "theme.yaml"
    theme_file.write_text('slides:\n  template: template.pptx\n  aspect: "16:9"\n', encoding="utf-8")
    report = Report()
    assert load_theme(str(folder), report) is not None
    assert [str(d) for d in report.diagnostics] == [
        f"{theme_file}:3:11: warning: slides.aspect: '16:9' is not used: template.pptx is 4:3, "
        "and decks keep the template's slide size"
    ]
    theme_file.write_text('slides:\n  template: template.pptx\n  aspect: "4:3"\n', encoding="utf-8")
    report = Report()
    assert load_theme(str(folder), report) is not None and report.diagnostics == []


def test_colours_the_theme_does_not_set_come_from_the_template(tmp_path):
    """A department template is the brand: its master's colours reach every output."""
    folder = template_theme(tmp_path, {"Title Slide", "Title and Content"})
    theme = load_theme(str(folder), Report())
    assert theme is not None
    c = theme.colors
    assert (c.primary, c.accent) == ("#1F3A5F", "#8B1A1A")  # set by the theme: kept
    assert (c.text, c.background, c.muted) == ("#000000", "#FFFFFF", "#1F497D")  # dk1, lt1, dk2 of the master
    (folder / "theme.yaml").write_text("slides: {template: template.pptx}\n", encoding="utf-8")
    only_template = load_theme(str(folder), Report())
    assert only_template is not None and only_template.colors.primary == "#4F81BD"  # accent1
    assert lines(check(str(folder)).output, "FAIL")  # and themes check says it is too light for headings


def test_template_size_and_colours_are_read_as_xml_not_as_text(tmp_path):
    """Attribute order and spacing are the writer's choice; the readers must not care."""
    import zipfile

    from studypack.deck_template import color_scheme, slide_size

    plain = make_template(tmp_path / "t.pptx", {"Title Slide", "Title and Content"})
    odd = tmp_path / "odd.pptx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(odd, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "ppt/presentation.xml":
                data = data.replace(b'cx="9144000" cy="6858000"', b'cy="6858000"  cx="9144000"')
            if item.filename.startswith("ppt/theme/"):
                data = data.replace(b"<a:srgbClr val=", b"<a:srgbClr   val=")
            dst.writestr(item, data)
    assert slide_size(odd) == slide_size(plain) == (9144000, 6858000)
    assert color_scheme(odd) == color_scheme(plain)
    assert color_scheme(plain)["accent1"] == "#4F81BD" and len(color_scheme(plain)) == 12
