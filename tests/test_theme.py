"""Theme loading: `extends`, lookup order, --theme precedence, located errors, theme-folder TTFs."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from helpers import ROOTS, SAMPLE, VERA, theme_and_problems
from studypack.build import BuildOptions, resolve_theme
from studypack.cli import cli
from studypack.errors import Report
from studypack.fonts import register_pdf_family
from studypack.load import load_pack
from studypack.theme import Theme, builtin_themes_dir, list_themes


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def default() -> Theme:
    theme, problems = theme_and_problems("default")
    assert theme is not None and problems == []
    return theme


def test_three_line_theme_sets_one_colour_and_inherits_the_rest(tmp_path, default):
    write(tmp_path / "mine" / "theme.yaml", 'extends: default\ncolors:\n  primary: "#aa0033"\n')
    theme, problems = theme_and_problems(str(tmp_path / "mine"))
    assert problems == [] and theme is not None
    assert theme.colors.primary == "#AA0033"  # normalised to upper case
    assert theme.name == "mine"  # named after its folder, not after what it extends
    assert theme.files == ((tmp_path / "mine" / "theme.yaml").resolve(), builtin_themes_dir().resolve() / "default" / "theme.yaml")
    same = dataclasses.replace(
        theme, name=default.name, folder=default.folder, files=default.files,
        colors=dataclasses.replace(theme.colors, primary=default.colors.primary),
    )  # fmt: skip
    assert same == default


def test_a_theme_without_extends_still_inherits_default(tmp_path, default):
    write(tmp_path / "t.yaml", "name: Loose\npaper: a4\n")
    theme, problems = theme_and_problems(str(tmp_path / "t.yaml"))
    assert problems == [] and theme is not None
    assert (theme.name, theme.paper, theme.colors) == ("Loose", "a4", default.colors)


def test_lookup_order_path_then_local_themes_then_builtin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "themes" / "print" / "theme.yaml", "name: Local print\n")
    assert theme_and_problems("print")[0].name == "Local print"  # ./themes/<name> beats the built-in
    write(tmp_path / "print" / "theme.yaml", "name: Path print\n")
    assert theme_and_problems("print")[0].name == "Path print"  # an explicit path beats ./themes/<name>
    assert theme_and_problems("northfield-history")[0].name == "Northfield History Department"  # built-in
    assert dict(list_themes())["print"] == tmp_path / "themes" / "print" / "theme.yaml"


def test_local_default_that_extends_default_means_the_builtin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "themes" / "default" / "theme.yaml", 'extends: default\ncolors: {accent: "#123456"}\n')
    theme, problems = theme_and_problems("default")
    assert problems == [] and theme is not None
    assert theme.colors.accent == "#123456" and len(theme.files) == 2


def test_extends_finds_a_sibling_theme_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path / "..")
    write(tmp_path / "set" / "base" / "theme.yaml", 'colors: {muted: "#333333"}\n')
    write(tmp_path / "set" / "child" / "theme.yaml", "extends: base\n")
    theme, problems = theme_and_problems(str(tmp_path / "set" / "child"))
    assert problems == [] and theme.colors.muted == "#333333"


def test_cli_theme_beats_the_pack_theme(tmp_path):
    report = Report()
    pack = load_pack(SAMPLE, report)
    assert pack is not None and pack.theme == "default"
    write(tmp_path / "green" / "theme.yaml", 'extends: default\ncolors: {primary: "#006600"}\n')
    chosen = resolve_theme(pack, BuildOptions(theme=str(tmp_path / "green")), report)
    assert chosen.colors.primary == "#006600"
    assert resolve_theme(pack, BuildOptions(), report).name == "Default"
    as_print = dataclasses.replace(pack, theme="print")
    assert resolve_theme(as_print, BuildOptions(), report).name == "Print (ink-saving)"
    assert resolve_theme(as_print, BuildOptions(theme=str(tmp_path / "green")), report).name == "green"
    assert resolve_theme(as_print, BuildOptions(paper="a4"), report).paper == "a4"
    assert report.diagnostics == []


def test_pack_theme_path_is_relative_to_the_pack(tmp_path):
    write(tmp_path / "pack" / "brand" / "theme.yaml", 'colors: {accent: "#654321"}\n')
    report = Report()
    pack = dataclasses.replace(load_pack(SAMPLE, report), root=tmp_path / "pack", theme="brand")
    assert resolve_theme(pack, BuildOptions(), report).colors.accent == "#654321"


def test_extends_cycle_is_one_located_error(monkeypatch):
    monkeypatch.chdir(ROOTS / "themes-cycle")
    theme, problems = theme_and_problems("a")
    assert theme is None
    assert problems == ["b/theme.yaml:2:10: error: extends: cycle a -> b -> a"]


def test_every_bad_value_is_reported_where_it_was_set(monkeypatch):
    monkeypatch.chdir(ROOTS / "themes-bad")
    theme, problems = theme_and_problems(".")
    assert theme is None
    assert problems == [
        "theme.yaml:3:12: error: colors.primary: '#12345' is not a colour (#RRGGBB)",
        "theme.yaml:4:3: error: colors: unknown key 'acent' (did you mean 'accent'?)",
        ("theme.yaml:5:18: error: fonts.heading: unknown font 'Source Sans' (did you mean 'Source Sans Pro'?);"
        " use one of Source Sans Pro, Source Serif Pro, Vera or a .ttf file in the theme folder"),
        ("theme.yaml:5:37: error: fonts.body: unknown font 'Comic.ttf';"
        " use one of Source Sans Pro, Source Serif Pro, Vera or a .ttf file in the theme folder"),
        "theme.yaml:6:8: error: paper: 'legal' is not one of: letter, a4",
        "theme.yaml:7:7: error: logo: file 'missing.png' not found",
        ("theme.yaml:8:9: error: footer: template error: unexpected end of template,"
        " expected 'end of print statement'."),
    ]


def test_unknown_top_level_key_and_missing_extends(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "t" / "theme.yaml", "extends: defualt\ncolours: {}\n")
    theme, problems = theme_and_problems("t")
    assert theme is None
    assert problems == [
        "t/theme.yaml:1:10: error: extends: theme 'defualt' not found (did you mean 'default'?)",
        "t/theme.yaml:2:1: error: unknown key 'colours' (did you mean 'colors'?)",
    ]


def test_unknown_theme_name_suggests_a_shipped_one():
    theme, problems = theme_and_problems("prnt")
    assert theme is None and problems == ["prnt: error: theme 'prnt' not found (did you mean 'print'?)"]


def test_style_fills_is_a_boolean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a" / "theme.yaml", "style: {fills: no}\n")
    assert theme_and_problems("a")[0].style.fills is False
    write(tmp_path / "b" / "theme.yaml", "style: {fills: sometimes}\n")
    assert theme_and_problems("b")[1] == ["b/theme.yaml:1:16: error: style.fills: expected true or false, got 'sometimes'"]


def test_logo_must_be_png_or_jpeg(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (8, 8)).save(tmp_path / "logo.gif")
    write(tmp_path / "theme.yaml", "logo: logo.gif\n")
    assert theme_and_problems("theme.yaml")[1] == ["theme.yaml:1:7: error: logo: file 'logo.gif' is GIF; use a PNG or JPEG image"]


def test_theme_folder_ttf_is_embedded(tmp_path):
    """`fonts.body: MyFont.ttf` beside theme.yaml reaches reportlab and the PDF."""
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    shutil.copy(VERA, tmp_path / "MyFont.ttf")
    write(tmp_path / "theme.yaml", "fonts: {body: MyFont.ttf}\n")
    theme, problems = theme_and_problems(str(tmp_path))
    assert problems == [] and theme.fonts.body == str((tmp_path / "MyFont.ttf").resolve())
    names = register_pdf_family(theme.fonts.body, theme.folder)
    pdf = tmp_path / "t.pdf"
    canvas = Canvas(str(pdf))
    canvas.setFont(names.regular, 12)
    canvas.drawString(72, 720, "Embedded")
    canvas.save()
    assert names.regular == "MyFont"
    assert names.bold == names.italic == names.bold_italic == "MyFont"  # one file: one face, parsed once
    fonts = [f.get_object() for f in PdfReader(pdf).pages[0]["/Resources"]["/Font"].values()]
    ours = [f for f in fonts if str(f["/BaseFont"]).endswith("+BitstreamVeraSans-Roman")]  # the file's own name
    assert ours and "/FontFile2" in ours[0]["/FontDescriptor"], fonts  # a subset of our file, embedded


def test_font_reportlab_cannot_embed_is_a_located_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Fake.ttf").write_bytes(b"not a font at all")
    write(tmp_path / "theme.yaml", "fonts:\n  heading: Fake.ttf\n")
    assert theme_and_problems("theme.yaml")[1] == [
        ("theme.yaml:2:12: error: fonts.heading: 'Fake.ttf' cannot be embedded in PDFs"
        " (Not a recognized TrueType font: version=0x6E6F7420); use a TrueType .ttf file")
    ]


def test_shipped_themes_load_cleanly_and_differ(default):
    shipped = {name: theme_and_problems(name) for name in ("default", "print", "northfield-history")}
    assert {name: problems for name, (_, problems) in shipped.items()} == {n: [] for n in shipped}
    printed, dept = shipped["print"][0], shipped["northfield-history"][0]
    assert printed.style.fills is False and default.style.fills is True
    assert printed.colors.background == "#FFFFFF"
    for theme in (printed, dept):
        assert theme.colors.primary != default.colors.primary
    assert dept.logo is not None and dept.logo.is_file()
    assert dept.fonts.heading != default.fonts.heading
    assert dept.slides.heading_font != default.slides.heading_font


def test_rebrand_is_small():
    """The department example sets only a logo, two colours and a font (per output)."""
    data = yaml.safe_load((builtin_themes_dir() / "northfield-history" / "theme.yaml").read_text())
    assert data["extends"] == "default"
    assert set(data) == {"name", "extends", "logo", "colors", "fonts", "slides"}
    assert len(data["colors"]) == 2


def test_themes_show_prints_the_resolved_theme_as_yaml():
    result = CliRunner().invoke(cli, ["themes", "show", "northfield-history"])
    assert result.exit_code == 0, result.output
    shown = yaml.safe_load(result.output)
    assert shown["name"] == "Northfield History Department"
    assert shown["colors"]["primary"] == "#6B1E2E"
    assert shown["colors"]["text"] == theme_and_problems("default")[0].colors.text  # inherited
    assert shown["fonts"] == {"heading": "Source Serif Pro", "body": "Source Serif Pro"}
    assert shown["logo"].endswith("northfield-history/logo.png")
    assert shown["cards"]["offset"] == [0.0, 0.0]


def test_themes_show_reports_a_broken_theme(monkeypatch):
    monkeypatch.chdir(ROOTS / "themes-cycle")
    result = CliRunner().invoke(cli, ["themes", "show", "a"])
    assert result.exit_code == 1
    assert result.output.strip() == "b/theme.yaml:2:10: error: extends: cycle a -> b -> a"
