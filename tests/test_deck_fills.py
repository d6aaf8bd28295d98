"""style.fills in deck.pptx: the title slide on primary and section dividers on a primary band, the
text on them in the background colour; lines instead of fills with the print theme."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from helpers import SAMPLE, build_or_fail, pdf_from_pptx, render_output
from studypack.errors import Report
from studypack.load import load_pack
from studypack.theme import Theme, load_theme

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


@pytest.fixture(scope="module")
def pack():
    report = Report()
    loaded = load_pack(SAMPLE, report)
    assert loaded is not None, report.diagnostics
    return loaded


def theme_named(name: str) -> Theme:
    report = Report()
    theme = load_theme(name, report)
    assert theme is not None, report.diagnostics
    return theme


def with_template(theme: Theme, folder: Path) -> Theme:
    """The theme with a department template (python-pptx's default master, saved as a file)."""
    template = folder / "template.pptx"
    Presentation().save(str(template))
    return dataclasses.replace(theme, slides=dataclasses.replace(theme.slides, template=template))


def deck(pack, theme: Theme):
    report = Report()
    prs = Presentation(io.BytesIO(render_output("deck", pack, theme, report)))
    assert not report.errors
    return prs


def background(slide) -> str | None:
    """The slide's own solid background colour (RRGGBB), or None."""
    fill = slide._element.find(f"{P}cSld/{P}bg/{P}bgPr/{A}solidFill/{A}srgbClr")
    return None if fill is None else fill.get("val")


def run_colours(slide) -> set[str]:
    """Colours of every text run and field (slide number) on the slide."""
    return {
        c.get("val")
        for rpr in slide._element.iter(f"{A}rPr")
        for c in rpr.iterfind(f"{A}solidFill/{A}srgbClr")
    }


def is_section(slide) -> bool:
    return slide.slide_layout._element.get("type") == "secHead"


def hex_of(colour: str) -> str:
    return colour.lstrip("#").upper()


def band(slide):
    """The designed section layout's band (a shape of the layout, not of each slide), or None."""
    return next((sh for sh in slide.slide_layout.shapes if sh.name == "Section band"), None)


def test_default_theme_fills_the_title_slide_and_a_band_on_section_slides(pack):
    theme = theme_named("default")
    assert theme.style.fills and theme.slides.template is None
    primary, paper = hex_of(theme.colors.primary), hex_of(theme.colors.background)
    prs = deck(pack, theme)
    slides = list(prs.slides)
    assert background(slides[0]) == primary
    assert run_colours(slides[0]) == {paper}
    sections = [s for s in slides if is_section(s)]
    assert len(sections) == len(pack.sections)
    for n, slide in enumerate(sections, 1):
        assert background(slide) is None
        strip = band(slide)
        assert strip is not None and strip.fill.fore_color.theme_color is not None  # a scheme slot
        assert strip.left == 0 and strip.top == 0 and strip.height == prs.slide_height
        (number,) = [sh for sh in slide.shapes if sh.name.startswith("Section number")]
        assert number.text_frame.text == str(n)
        assert number.left >= strip.left and number.left + number.width <= strip.left + strip.width
        assert run_colours(slide) >= {paper, primary}  # the number on the band, the title beside it
    content = [s for s in slides[1:] if not is_section(s)]
    assert content
    for slide in content:
        assert background(slide) is None
        assert paper not in run_colours(slide)


@pytest.mark.parametrize("which", ["print", "template"])
def test_no_fills_with_the_print_theme_or_a_template(pack, tmp_path, which):
    if which == "print":
        theme = theme_named("print")
        assert not theme.style.fills
    else:  # fills stay on, but a department template brings its own look
        theme = with_template(theme_named("default"), tmp_path)
    slides = list(deck(pack, theme).slides)
    assert any(is_section(s) for s in slides)
    for slide in slides:
        assert background(slide) is None
        assert hex_of(theme.colors.background) not in run_colours(slide)
    title = next(ph for ph in slides[0].placeholders if ph.placeholder_format.type in TITLES)
    assert run_colours(slides[0]) >= {hex_of(theme.colors.primary)}
    assert title.text_frame.text == pack.title


def section_frames(prs) -> tuple:
    layout = next(s for s in prs.slides if is_section(s)).slide_layout
    kinds = {ph.placeholder_format.type: ph for ph in layout.placeholders}
    return kinds[PP_PLACEHOLDER.TITLE], kinds[PP_PLACEHOLDER.BODY]


def test_default_section_header_has_its_title_above_the_text_beside_the_band(pack):
    prs = deck(pack, theme_named("default"))
    title, body = section_frames(prs)
    assert title.top + title.height <= body.top
    strip = band(next(s for s in prs.slides if is_section(s)))
    for ph in (title, body):  # left-aligned beside the band, like every other slide's text
        assert ph._element.xpath("./p:txBody/a:lstStyle/a:lvl1pPr/@algn") == ["l"]
        assert ph.left >= strip.left + strip.width


def test_print_theme_section_band_is_a_rule_not_a_fill(pack):
    prs = deck(pack, theme_named("print"))
    strip = band(next(s for s in prs.slides if is_section(s)))
    assert strip is not None and strip.width == 0  # a vertical line
    assert strip._element.xpath("./p:spPr/a:noFill")


def test_a_template_section_header_is_left_as_it_is(pack, tmp_path):
    title, body = section_frames(deck(pack, with_template(theme_named("default"), tmp_path)))
    assert body.top < title.top  # python-pptx's own arrangement, untouched


def test_the_logo_is_once_on_the_master_marked_decorative_and_named(pack):
    """Not a picture on every slide: one on the master, which screen readers skip (decorative)."""
    theme = theme_named("northfield-history")
    assert theme.logo is not None
    prs = deck(pack, theme)
    assert not [sh for s in prs.slides for sh in s.shapes if sh.name.startswith("Logo")]
    (logo,) = [sh for sh in prs.slide_master.shapes if sh.name.startswith("Logo ") and sh.shape_type == 13]
    c_nv_pr = logo.element.nvPicPr.cNvPr
    assert c_nv_pr.get("descr") == "Northfield History Department logo"
    assert Path(theme.logo).name not in c_nv_pr.get("descr")
    decorative = c_nv_pr.findall(".//{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative")
    assert [d.get("val") for d in decorative] == ["1"]


def test_the_logo_sits_on_a_background_coloured_backdrop(pack):
    """A logo drawn in the primary colour (Northfield's shield) would vanish on filled slides."""
    theme = theme_named("northfield-history")
    shapes = list(deck(pack, theme).slide_master.shapes)
    logo = next(i for i, sh in enumerate(shapes) if sh.shape_type == 13 and sh.name.startswith("Logo "))
    (backdrop,) = [sh for sh in shapes if sh.name.startswith("Logo backdrop")]
    assert shapes.index(backdrop) < logo  # drawn first, so underneath
    assert str(backdrop.fill.fore_color.rgb) == hex_of(theme.colors.background)
    pic = shapes[logo]
    assert backdrop.left < pic.left and pic.left + pic.width < backdrop.left + backdrop.width


@pytest.mark.render
def test_a_link_on_a_filled_slide_is_drawn_in_the_text_colour_not_accent_on_primary(tmp_path):
    """Clients colour links from the theme's hyperlink slot: accent on primary would be 1.8:1."""
    import pdfplumber
    import yaml
    folder = tmp_path / "links"
    folder.mkdir()
    data = {"title": "Links", "subtitle": "See [the text](https://example.org) now.", "sections": [{"title": "With a link",
                                              "points": ["Also [over here](https://example.org/2)."]}]}  # fmt: skip
    (folder / "pack.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    out = build_or_fail(folder, tmp_path / "o", only=("deck",))
    theme = theme_named("default")

    def colours(page, words: str) -> set[str]:
        chars = [c for c in page.chars if not c["text"].isspace()]
        text = "".join(c["text"] for c in chars)
        start = text.index(words.replace(" ", ""))
        span = chars[start : start + len(words.replace(" ", ""))]
        return {"".join(f"{round(v * 255):02X}" for v in c["non_stroking_color"]) for c in span}

    with pdfplumber.open(pdf_from_pptx(out["deck"], tmp_path)) as pdf:
        assert colours(pdf.pages[0], "the text") == {hex_of(theme.colors.background)}  # the filled title slide
        assert colours(pdf.pages[3], "over here") == {hex_of(theme.colors.accent)}  # a white slide: link colour
