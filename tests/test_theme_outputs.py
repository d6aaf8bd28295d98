"""One theme switch rebrands every output: deck theme XML, handout and card colours, fonts, logo."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from helpers import CJK_FONT, SAMPLE, VERA, build_or_fail, missing, rgb
from studypack.errors import Report
from studypack.theme import Theme, load_theme

SHIPPED = ("default", "print", "northfield-history")
PRINTED = ("handout", "deck", "cards")


def _colour(value) -> tuple[float, ...] | None:
    if not value or len(value) != 3:
        return None  # greyscale (1 value) and CMYK (4) are not what we draw in
    return tuple(round(float(v), 3) for v in value)


def pdf_drawing(path: Path, pages: int = 4) -> tuple[set[tuple[float, ...]], list[tuple[float, ...]]]:
    """(colours of the text, rules and borders; fill colours of non-white filled shapes) on the first pages."""
    found: set[tuple[float, ...] | None] = set()
    fills = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:pages]:
            shapes = page.lines + page.rects + page.curves
            found |= {_colour(c["non_stroking_color"]) for c in page.chars}
            found |= {_colour(o.get("stroking_color")) for o in shapes}
            for o in shapes:
                colour = _colour(o.get("non_stroking_color"))
                if o.get("fill") and colour not in (None, (1.0, 1.0, 1.0)):
                    fills.append(colour)
    return {c for c in found if c is not None}, fills


def pdf_colours(path: Path, pages: int = 4) -> set[tuple[float, ...]]:
    return pdf_drawing(path, pages)[0]


def deck_scheme(path: Path) -> dict[str, str]:
    """The deck's theme colour and font scheme (what new slides in PowerPoint pick up)."""
    xml = zipfile.ZipFile(path).read("ppt/theme/theme1.xml").decode("utf-8")
    scheme = dict(re.findall(r'<a:(dk1|lt1|dk2|lt2|accent\d|hlink|folHlink)><a:srgbClr val="([0-9A-Fa-f]{6})"', xml))
    scheme.update(re.findall(r'<a:(majorFont|minorFont)><a:latin typeface="([^"]+)"', xml))
    return scheme


def theme(ref: str) -> Theme:
    loaded = load_theme(ref, Report())
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def shipped_outputs(tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("themed")
    return {name: build_or_fail(SAMPLE, out / name, theme=name, only=PRINTED) for name in SHIPPED}


@pytest.mark.slow
def test_three_line_theme_recolours_deck_handout_and_cards(tmp_path, sample_outputs):
    folder = tmp_path / "anywhere" / "green"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text('extends: default\ncolors:\n  primary: "#0B6E4F"\n', encoding="utf-8")
    green = build_or_fail(SAMPLE, tmp_path / "out", theme=str(folder), only=PRINTED)
    default_primary = theme("default").colors.primary
    # The deck's theme part carries the colour, so a teacher's new slides match too.
    assert deck_scheme(green["deck"])["accent1"].upper() == "0B6E4F"
    assert deck_scheme(sample_outputs["deck"])["accent1"].upper() == default_primary[1:]
    # Handout headings/rules and card borders are drawn in it, and not in the default's.
    for output in ("handout", "cards"):
        assert rgb("#0B6E4F", 3) in pdf_colours(green[output]), output
        assert rgb("#0B6E4F", 3) not in pdf_colours(sample_outputs[output]), output
        assert rgb(default_primary, 3) not in pdf_colours(green[output]), output
    # Everything else is inherited: body text keeps the default text colour.
    assert rgb(theme("default").colors.text, 3) in pdf_colours(green["handout"])


@pytest.mark.parametrize("name", SHIPPED)
def test_sample_builds_in_every_shipped_theme(name, shipped_outputs):
    outputs, t = shipped_outputs[name], theme(name)
    assert set(outputs) == set(PRINTED)
    scheme = deck_scheme(outputs["deck"])
    assert (scheme["accent1"].upper(), scheme["dk1"].upper(), scheme["lt1"].upper()) == (
        t.colors.primary[1:], t.colors.text[1:], t.colors.background[1:],
    )  # fmt: skip
    assert (scheme["majorFont"], scheme["minorFont"]) == (t.slides.heading_font, t.slides.body_font)
    for output in ("handout", "cards"):
        assert rgb(t.colors.primary, 3) in pdf_colours(outputs[output]), output
    with pdfplumber.open(outputs["handout"]) as pdf:
        fonts = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars}
        cover_images = pdf.pages[0].images
    heading_ps = t.fonts.heading.replace(" ", "")  # e.g. SourceSerifPro-Bold
    assert any(f.startswith(heading_ps) for f in fonts), fonts
    assert bool(cover_images) == (t.logo is not None)  # the logo is on the cover


def test_department_logo_is_on_slides_and_card_backs(shipped_outputs):
    outputs = shipped_outputs["northfield-history"]
    media = [n for n in zipfile.ZipFile(outputs["deck"]).namelist() if n.startswith("ppt/media/")]
    plain = [n for n in zipfile.ZipFile(shipped_outputs["default"]["deck"]).namelist() if n.startswith("ppt/media/")]
    assert len(media) == len(plain) + 1
    with pdfplumber.open(outputs["cards"]) as pdf:
        backs = [p for p in pdf.pages if p.images]
        assert backs, "no card sheet carries the logo"


@pytest.mark.slow
def test_print_theme_is_greyscale_with_no_filled_areas(shipped_outputs):
    outputs = shipped_outputs["print"]
    for output in ("handout", "cards"):
        colours, fills = pdf_drawing(outputs[output], pages=100)
        assert all(r == g == b for r, g, b in colours), (output, colours)
        assert fills == [], output
    scheme = deck_scheme(outputs["deck"])
    for key in ("dk1", "lt1", "dk2", "accent1", "accent2", "hlink"):
        value = scheme[key]
        assert value[0:2] == value[2:4] == value[4:6], (key, value)
    slides = [n for n in zipfile.ZipFile(outputs["deck"]).namelist() if re.match(r"ppt/slides/slide\d+\.xml$", n)]
    for name in slides:
        xml = zipfile.ZipFile(outputs["deck"]).read(name).decode("utf-8")
        assert "<p:bg>" not in xml and not re.search(r"<p:spPr>(?:(?!</p:spPr>).)*<a:solidFill>", xml), name


def test_theme_folder_ttf_is_embedded_in_handout_and_cards(tmp_path):
    import shutil


    folder = tmp_path / "house"
    folder.mkdir()
    shutil.copy(VERA, folder / "House.ttf")
    (folder / "theme.yaml").write_text("extends: default\nfonts: {body: House.ttf}\n", encoding="utf-8")
    outputs = build_or_fail(SAMPLE, tmp_path / "out", theme=str(folder), only=("handout", "cards"))
    for output, path in outputs.items():
        with pdfplumber.open(path) as pdf:
            fonts = {c["fontname"].split("+")[-1] for page in pdf.pages[:3] for c in page.chars}
        assert "BitstreamVeraSans-Roman" in fonts, (output, fonts)  # House.ttf's own name


def test_a_bold_sibling_added_beside_a_theme_font_rebuilds_what_it_draws(tmp_path):
    """Every style's file of a theme font is an input: adding House-Bold.ttf is not 'nothing new'."""
    import shutil

    from studypack.build import BuildOptions, build_pack

    folder = tmp_path / "house"
    folder.mkdir()
    shutil.copy(VERA, folder / "House-Regular.ttf")
    (folder / "theme.yaml").write_text("extends: default\nfonts: {body: House-Regular.ttf}\n", encoding="utf-8")
    options = BuildOptions(out=tmp_path / "out", theme=str(folder), only=("cards", "csv"))
    assert len(build_pack(SAMPLE, options).written) == 2
    assert build_pack(SAMPLE, options).written == []
    shutil.copy(VERA, folder / "House-Bold.ttf")
    assert [p.name for p in build_pack(SAMPLE, options).written] == ["flashcards.pdf"]  # not the csv


@pytest.mark.slow
def test_a_theme_font_without_latin_letters_is_a_build_warning(tmp_path):
    """A font wrong for the text does not pass silently: the build names it, --strict fails."""
    import shutil

    from studypack.build import BuildOptions, build_pack

    droid = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")  # CJK only
    if not droid.is_file():
        missing(f"{droid} is not installed (Debian: {CJK_FONT})")
    folder = tmp_path / "cjk-theme"
    folder.mkdir()
    shutil.copy(droid, folder / "Droid.ttf")
    (folder / "theme.yaml").write_text("fonts: {body: Droid.ttf}\n", encoding="utf-8")
    options = BuildOptions(out=tmp_path / "o", only=("handout",), theme=str(folder))
    result = build_pack(SAMPLE, options)
    warned = [d.message for d in result.diagnostics if "the theme's font 'Droid' lacks" in d.message]
    assert len(warned) == 1 and "fallback font" in warned[0], [str(d) for d in result.diagnostics]
    assert result.failed(strict=True) and not result.failed(strict=False)


def test_colours_below_aa_contrast_are_a_build_warning(tmp_path):
    from studypack.build import BuildOptions, build_pack

    (tmp_path / "pale").mkdir()
    (tmp_path / "pale" / "theme.yaml").write_text('colors: {text: "#BBBBBB"}\n', encoding="utf-8")
    result = build_pack(SAMPLE, BuildOptions(out=tmp_path / "o", only=("csv",), theme=str(tmp_path / "pale")))
    assert [str(d) for d in result.diagnostics] == [
        f"{tmp_path / 'pale' / 'theme.yaml'}:1:16: warning: colors.text: 1.92:1 text #BBBBBB on background"
        " #FFFFFF (body text) is below WCAG AA (4.5:1)"
    ]
    assert result.failed(strict=True)


def test_a_department_template_keeps_its_colour_scheme_in_the_deck(tmp_path):
    from pptx import Presentation

    folder = tmp_path / "dept"
    folder.mkdir()
    Presentation().save(folder / "template.pptx")  # python-pptx's master: the "Office" scheme
    (folder / "theme.yaml").write_text('slides: {template: template.pptx}\ncolors: {primary: "#1F3A5F"}\n', encoding="utf-8")
    out = build_or_fail(SAMPLE, tmp_path / "o", only=("deck",), theme=str(folder))
    scheme = deck_scheme(out["deck"])
    assert scheme["accent1"] == "1F3A5F"  # what the theme sets
    assert (scheme["dk2"], scheme["accent3"], scheme["hlink"]) == ("1F497D", "9BBB59", "0000FF")  # the master's own


def test_an_empty_footer_means_no_footer_not_the_inherited_one(tmp_path):
    from pptx import Presentation

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "theme.yaml").write_text('extends: default\nfooter: ""\nheader:\n', encoding="utf-8")
    assert (theme(str(tmp_path / "t")).footer, theme(str(tmp_path / "t")).header) == ("", "")
    out = build_or_fail(SAMPLE, tmp_path / "o", only=("deck",), theme=str(tmp_path / "t"))
    names = [sh.name for slide in Presentation(str(out["deck"])).slides for sh in slide.shapes]
    assert not [n for n in names if n.startswith("Footer")] and [n for n in names if n.startswith("Slide Number")]
