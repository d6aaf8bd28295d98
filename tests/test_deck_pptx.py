"""deck.pptx read back with python-pptx, the way a teacher's tools meet it."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from helpers import SAMPLE, build_or_fail, render_output
from studypack.errors import Report
from studypack.fonts import OFFICE_EA_FONT
from studypack.load import load_pack
from studypack.model import Term
from studypack.render.pptx_layouts import profile_layouts
from studypack.theme import load_theme

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


@pytest.fixture(scope="module")
def deck(sample_outputs):
    return Presentation(str(sample_outputs["deck"]))


@pytest.fixture(scope="module")
def sample():
    report = Report()
    pack, theme = load_pack(SAMPLE, report), load_theme("default", report)
    assert pack is not None and theme is not None, report.diagnostics
    return pack, theme


def title_of(slide) -> str:
    titles = [ph for ph in slide.placeholders if ph.placeholder_format.type in TITLES]
    assert len(titles) == 1, f"slide {slide.slide_id}: {len(titles)} title placeholders"
    return titles[0].text_frame.text


def test_every_slide_has_a_unique_title_in_a_title_placeholder(deck):
    titles = [title_of(s) for s in deck.slides]
    assert all(t.strip() for t in titles)
    assert len({t.casefold() for t in titles}) == len(titles)
    assert 40 <= len(titles) <= 120, len(titles)  # 11 sections x 3 subsections, terms, review


def test_sample_deck_structure_and_body_placeholders(deck, sample):
    pack, _ = sample
    titles = [title_of(s) for s in deck.slides]
    assert titles[:3] == ["The Japan–US Security Treaty", "Overview", "Agenda"]  # the pack's overview set
    assert titles[-1] == "Review" or titles[-1].startswith("Review (cont")
    for section in pack.sections:
        assert section.title in titles  # a section-header slide each
    assert "Key terms" in titles
    agenda = [
        p.text
        for p in next(
            iter(ph for ph in deck.slides[2].placeholders if ph.placeholder_format.idx != 0)
        ).text_frame.paragraphs
    ]
    assert agenda[: len(pack.sections)] == [s.title for s in pack.sections]
    # nested points keep their outline level; text lives in placeholders, never in free text boxes
    levels = {
        p.level
        for s in deck.slides
        for ph in s.placeholders
        if ph.has_text_frame
        for p in ph.text_frame.paragraphs
    }
    assert {0, 1} <= levels
    for slide in deck.slides:
        assert not [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.TEXT_BOX]


def test_notes_on_the_slides_of_their_own_section_only(deck, sample):
    """A section's notes are on each of its own slides, not on its subsections' (which have theirs)."""
    pack, _ = sample
    first = pack.sections[0]
    titles = [title_of(s) for s in deck.slides]
    start, nxt = titles.index(first.title), titles.index(pack.sections[1].title)
    subsections = {sub.title: sub for sub in first.sections}
    own = 0
    for slide in list(deck.slides)[start:nxt]:
        base = title_of(slide).split(" (cont")[0]
        notes = subsections[base].notes if base in subsections else first.notes
        text = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        if notes:
            assert " ".join(text.split()).startswith(" ".join(notes.split())[:80]), title_of(slide)
        else:
            assert not text, f"{title_of(slide)} repeats another section's notes"
        own += base not in subsections
    assert own >= 2 and subsections


def test_picture_has_alt_text_not_a_path_and_is_not_cropped(deck, sample):
    pack, _ = sample
    pics = [
        sh
        for s in deck.slides
        for sh in s.shapes
        if sh.shape_type in (MSO_SHAPE_TYPE.PICTURE, MSO_SHAPE_TYPE.PLACEHOLDER)
        and sh._element.tag.endswith("}pic")
    ]
    assert len(pics) == len(pack.images())
    for pic in pics:
        descr = pic._element.nvPicPr.cNvPr.get("descr")
        assert descr == " ".join(pack.images()[0].alt.split())
        assert "/" not in pic.name and ".png" not in descr
        assert (pic.crop_left, pic.crop_right, pic.crop_top, pic.crop_bottom) == (0, 0, 0, 0)
        img = pack.images()[0]
        assert abs(pic.width / pic.height - img.width / img.height) < 0.01  # scaled, aspect kept


def test_no_autofit_shrink_and_every_run_names_latin_and_east_asian_fonts(sample_outputs):
    with zipfile.ZipFile(sample_outputs["deck"]) as z:
        slides = [n for n in z.namelist() if n.startswith("ppt/slides/slide")]
        for name in slides:
            root = etree.fromstring(z.read(name))
            assert not root.findall(f".//{A}normAutofit"), name
            runs = root.findall(f".//{A}r")
            assert runs
            for r in runs:
                rpr = r.find(f"{A}rPr")
                assert (
                    rpr.find(f"{A}latin") is not None
                    and rpr.find(f"{A}ea").get("typeface") == OFFICE_EA_FONT
                )
            for body_pr in root.iter(f"{A}bodyPr"):
                assert body_pr.find(f"{A}noAutofit") is not None


def first_content_slide(deck):
    """The first title-and-content slide (section dividers carry no footer)."""
    return next(s for s in deck.slides if s.slide_layout._element.get("type") == "obj")


def test_footer_slide_numbers_core_properties_and_size(deck, sample):
    pack, _ = sample
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    slide = first_content_slide(deck)
    kinds = {ph.placeholder_format.type: ph for ph in slide.placeholders}
    assert (
        kinds[PP_PLACEHOLDER.FOOTER].text_frame.text
        == "East Asian Security · Unit 4 · The Japan–US Security Treaty"
    )
    assert kinds[PP_PLACEHOLDER.SLIDE_NUMBER]._element.xpath(".//a:fld[@type='slidenum']")
    cp = deck.core_properties
    assert cp.title == "The Japan–US Security Treaty" and cp.author == pack.author
    assert cp.subject == pack.subtitle and "Article 9" in cp.keywords and cp.language == "en"
    assert cp.created == cp.modified == pack.build_time().replace(tzinfo=None) and cp.revision == 1


def test_theme_colours_and_fonts_written_into_the_deck_theme(deck, sample):
    _, theme = sample
    part = deck.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    accent1 = root.find(f".//{A}clrScheme/{A}accent1/{A}srgbClr").get("val")
    assert accent1 == theme.colors.primary.lstrip("#").upper()
    assert root.find(f".//{A}majorFont/{A}latin").get("typeface") == theme.slides.heading_font


def test_same_input_gives_identical_bytes_with_fixed_zip_dates(sample):
    pack, theme = sample
    first, second = render_output("deck", pack, theme, Report()), render_output("deck", pack, theme, Report())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        when = pack.build_time()
        assert {i.date_time[:3] for i in z.infolist()} == {(when.year, when.month, when.day)}
        assert z.testzip() is None


def test_four_by_three_from_the_theme(sample):
    pack, theme = sample
    square = dataclasses.replace(theme, slides=dataclasses.replace(theme.slides, aspect="4:3"))
    prs = Presentation(io.BytesIO(render_output("deck", pack, square, Report())))
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)


def make_template(path: Path, drop: tuple[str, ...] = ()) -> Path:
    """python-pptx's default template with layouts renamed, reversed and optionally removed."""
    prs = Presentation()
    master = prs.slide_master
    for i, layout in enumerate(prs.slide_layouts):
        layout.name = f"Department layout {i}"
    ids = master._element.sldLayoutIdLst
    for el in reversed(list(ids)):
        ids.remove(el)
        ids.append(el)
    for layout in list(prs.slide_layouts):
        types = {ph.placeholder_format.type for ph in layout.placeholders}
        if any(getattr(PP_PLACEHOLDER, t) in types for t in drop):
            prs.slide_layouts.remove(layout)
    prs.slides.add_slide(prs.slide_layouts[0])  # a sample slide the deck must not keep
    prs.save(str(path))
    return path


def test_template_layouts_chosen_by_placeholder_type(tmp_path, sample):
    pack, theme = sample
    tpl = make_template(tmp_path / "template.pptx")
    themed = dataclasses.replace(theme, slides=dataclasses.replace(theme.slides, template=tpl))
    prs = Presentation(io.BytesIO(render_output("deck", pack, themed, Report())))
    assert profile_layouts(Presentation(str(tpl))).missing == []
    first = prs.slides[0]
    assert {ph.placeholder_format.type for ph in first.placeholders} >= {
        PP_PLACEHOLDER.CENTER_TITLE,
        PP_PLACEHOLDER.SUBTITLE,
    }
    # Short terms go in columns (the sample's long ones stand full width on this 4:3 template).
    short = [Term(f"Term {i:02d}", "A short definition.") for i in range(30)]
    two = render_output("deck", dataclasses.replace(pack, glossary=tuple(short)), themed, Report())
    terms = next(s for s in Presentation(io.BytesIO(two)).slides if title_of(s) == "Key terms")
    assert (
        len(
            [ph for ph in terms.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.OBJECT]
        )
        == 2
    )
    assert (
        title_of(prs.slides[0]) == "The Japan–US Security Treaty"
    )  # the template's own slide is gone


def test_template_missing_layouts_are_reported_and_fall_back(tmp_path, sample):
    pack, theme = sample
    tpl = make_template(tmp_path / "template.pptx", drop=("PICTURE", "SUBTITLE"))
    profile = profile_layouts(Presentation(str(tpl)))
    assert set(profile.missing) == {"title", "picture"}
    themed = dataclasses.replace(theme, slides=dataclasses.replace(theme.slides, template=tpl))
    report = Report()
    prs = Presentation(io.BytesIO(render_output("deck", pack, themed, report)))
    assert not report.errors
    pics = [sh for s in prs.slides for sh in s.shapes if sh._element.tag.endswith("}pic")]
    assert len(pics) == 1 and pics[0]._element.nvPicPr.cNvPr.get("descr")


def test_edge_pack_builds_with_markup_like_text_and_scripts(tmp_path):
    out = build_or_fail(Path(__file__).parent / "roots" / "deck-edge", tmp_path, only=("deck",))
    prs = Presentation(str(out["deck"]))
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    for literal in (
        "<b>not bold</b>",
        "&amp;",
        "{{ 7*7 }}",
        "%(x)s",
        "<para>",
        "日本の安全保障",
        "🎌",
        "émigré",
    ):
        assert literal in text


def test_footer_has_room_for_course_and_title_on_one_line(deck):
    """The default master's footer box is a third of the slide; ours spans date and footer."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    slide = first_content_slide(deck)
    footer = next(p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.FOOTER)
    number = next(p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER)
    assert footer.width > deck.slide_width * 0.6
    assert footer.left + footer.width < number.left  # never under the slide number
    assert footer.text_frame.text == "East Asian Security · Unit 4 · The Japan–US Security Treaty"


def test_footer_stays_clear_of_the_logo(tmp_path):
    out = build_or_fail(SAMPLE, tmp_path, only=("deck",), theme="northfield-history")
    prs = Presentation(str(out["deck"]))
    logo = next(s for s in prs.slide_master.shapes if s.name.startswith("Logo "))
    for slide in [s for s in list(prs.slides)[1:6] if s.slide_layout._element.get("type") != "secHead"]:
        footer = next(s for s in slide.shapes if s.name.startswith("Footer"))
        assert logo.left + logo.width < footer.left, slide.shapes.title.text


def test_no_slide_keeps_an_empty_text_placeholder(tmp_path):
    """An empty placeholder shows "Click to add text" in PowerPoint's editor."""
    import yaml

    folder = tmp_path / "bare"
    folder.mkdir()
    data = {"title": "Bare", "sections": [{"title": "No summary", "points": ["a"]}, {"title": "Only a title"}]}
    (folder / "pack.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    out = build_or_fail(folder, tmp_path / "o", only=("deck",))
    for number, slide in enumerate(Presentation(str(out["deck"])).slides, 1):
        empty = [p.name for p in slide.placeholders if p.has_text_frame and not p.text_frame.text.strip()]
        assert not empty, (number, empty)


def test_speaker_notes_carry_the_pack_language(deck, sample):
    pack, _ = sample
    runs = [r for s in deck.slides if s.has_notes_slide for p in s.notes_slide.notes_text_frame.paragraphs for r in p.runs]
    assert runs and {r._r.get_or_add_rPr().get("lang") for r in runs} == {pack.language}
