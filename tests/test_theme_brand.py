"""A Quarto/Posit `_brand.yml` as a theme: colours, logo, typography, located problems."""

from __future__ import annotations

import shutil

from helpers import ROOTS, SAMPLE, VERA, theme_and_problems
from studypack.build import BuildOptions, resolve_theme
from studypack.errors import Report
from studypack.load import load_pack
from studypack.theme import load_theme

BRAND = ROOTS / "themes-brand"


def test_brand_colours_logo_name_and_fonts_map_onto_the_theme(monkeypatch):
    monkeypatch.chdir(BRAND)
    theme, problems = theme_and_problems("_brand.yml")
    assert theme is not None
    assert theme.name == "Acme University"
    # primary/secondary via palette names, '#222' expanded, a CSS colour name resolved
    assert (theme.colors.primary, theme.colors.accent) == ("#12305A", "#B22234")
    assert (theme.colors.text, theme.colors.background) == ("#222222", "#FFFFFF")
    assert theme.colors.muted == theme_and_problems("default")[0].colors.muted  # not in the brand: inherited
    assert theme.logo == (BRAND / "crest.png").resolve()  # logo.large, an images: reference
    assert theme.fonts.body == "Source Serif Pro"  # 'Source Serif 4' is the same family
    assert problems == [
        ("_brand.yml:19:13: warning: typography.headings: font 'Comic Sans' does not ship with studypack"
        " and has no local .ttf in typography.fonts; the outputs keep the default font"
        " (shipped: Source Sans Pro, Source Serif Pro, Vera)")
    ]


def test_brand_folder_given_to_build_theme_option():
    report = Report()
    pack = load_pack(SAMPLE, report)
    theme = resolve_theme(pack, BuildOptions(theme=str(BRAND)), report)
    assert theme is not None and theme.colors.primary == "#12305A"
    assert theme.files[0] == (BRAND / "_brand.yml").resolve()


def test_brand_problems_are_located_in_the_brand_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "_brand.yml").write_text(
        "color:\n"
        "  primary: '#12305A'\n"
        "  backgrund: white\n"
        "  foreground: not-a-colour\n"
        "logo: https://example.com/logo.png\n",
        encoding="utf-8",
    )
    theme, problems = theme_and_problems("_brand.yml")
    assert theme is None
    assert problems == ["_brand.yml:3:3: error: color: unknown key 'backgrund' (did you mean 'background'?)"]
    (tmp_path / "_brand.yml").write_text(
        "color:\n  foreground: not-a-colour\nlogo: https://example.com/logo.png\n", encoding="utf-8"
    )
    theme, problems = theme_and_problems("_brand.yml")
    assert problems == [
        "_brand.yml:2:15: error: color.foreground: 'not-a-colour' is not a colour (#RRGGBB)",
        ("_brand.yml:3:7: warning: logo: 'https://example.com/logo.png' is a URL; builds never download"
        " (use a local PNG or JPEG); the outputs have no logo"),
    ]


def test_brand_yaml_syntax_error_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "_brand.yml").write_text("color:\n  primary: [unclosed\n", encoding="utf-8")
    theme, problems = theme_and_problems("_brand.yml")
    assert theme is None and len(problems) == 1
    assert problems[0].startswith("_brand.yml:3:1: error: invalid YAML")


def test_brand_local_ttf_and_office_font(tmp_path):
    shutil.copy(VERA, tmp_path / "House.ttf")
    (tmp_path / "_brand.yml").write_text(
        "typography:\n"
        "  fonts:\n"
        "    - family: House Sans\n"
        "      source: file\n"
        "      files: [{path: House.ttf}]\n"
        "  base: House Sans\n"
        "  headings: Times New Roman\n",
        encoding="utf-8",
    )
    report = Report()
    theme = load_theme(str(tmp_path / "_brand.yml"), report)
    assert theme is not None
    assert theme.fonts.body == str((tmp_path / "House.ttf").resolve())
    assert theme.slides.heading_font == "Times New Roman"
    assert [d.message.split(";")[0] for d in report.warnings] == [
        "typography.headings: font 'Times New Roman' does not ship with studypack and has no local .ttf in typography.fonts"
    ]


def test_a_brand_file_of_another_name_is_read_as_a_brand(tmp_path):
    """Quarto lets a project point at `brand.yml`, `acme-brand.yml`…: the content decides."""
    shutil.copytree(BRAND, tmp_path / "b")
    (tmp_path / "b" / "_brand.yml").rename(tmp_path / "b" / "acme-brand.yml")
    theme, problems = theme_and_problems(str(tmp_path / "b" / "acme-brand.yml"))
    assert theme is not None and theme.colors.primary == "#12305A"
    assert not [p for p in problems if "error" in p]
    (tmp_path / "t.yml").write_text("colors: {primary: '#112233'}\nlogo: x.png\n", encoding="utf-8")
    _, problems = theme_and_problems(str(tmp_path / "t.yml"))  # a theme file of another name stays a theme
    assert problems == [f"{tmp_path / 't.yml'}:2:7: error: logo: file 'x.png' not found"]


def test_a_brand_file_with_quoted_keys_is_still_a_brand(tmp_path):
    import re

    shutil.copytree(BRAND, tmp_path / "b")
    text = (tmp_path / "b" / "_brand.yml").read_text(encoding="utf-8")
    (tmp_path / "b" / "brand.yml").write_text(re.sub(r"^(\w+):", r'"\1":', text, flags=re.M), encoding="utf-8")
    theme, problems = theme_and_problems(str(tmp_path / "b" / "brand.yml"))
    assert theme is not None and theme.colors.primary == "#12305A", problems
