"""The text after a table or code listing: under the block on its last slide when all of it fits
there at its size, else on slides of its own; a figure's slide stays a figure slide."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation

from helpers import (
    EMU_PER_PT,
    GEOMETRY,
    build_or_fail,
    glyphs_outside,
    make_pack,
    para_text,
    pdf_from_pptx,
    render_output,
)
from studypack.errors import Report, Span
from studypack.model import Code, Image, Point, Section, Table
from studypack.plan.deck import Fitter, plan_deck
from studypack.plan.deck_blocks import BLOCK_GAP

ROOT = Path(__file__).resolve().parents[1]
CHEMISTRY = ROOT / "content" / "intro-chemistry"
BODY = GEOMETRY.content_body
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

SMALL = Table(("Indicator", "pH range"), (("Methyl orange", "3.1–4.4"), ("Litmus", "4.5–8.3")))
CODE = Code("import math\nprint(math.log10(2))", "python")
SHORT = "From the result: moles of acid = concentration of base × volume"
LONG = "A point long enough to take two lines of a slide at twenty-four points: " + "word " * 14


def plan(theme, *points, **section):
    report = Report()
    slides = plan_deck(
        make_pack([Section("Acids", points=points, **section)]), theme, GEOMETRY, report
    )
    return slides, report


def texts(slide) -> list[str]:
    return [para_text(p) for p in slide.body]


def under_text(slide):
    """The free text boxes holding the text after the slide's block."""
    return [b for b in slide.boxes if b.name == "Text"]


def block_foot(slide) -> float:
    """Where the slide's table or listing ends, read from its planned shapes."""
    if slide.table is not None:
        return slide.table.frame.y + slide.table.frame.h
    listing = [b.frame for b in slide.boxes if b.name == "Code"] or [slide.body_frame]
    return max(f.y + f.h for f in listing)


def test_one_short_point_after_a_table_goes_under_the_table(theme):
    slides, _ = plan(theme, Point("Lead-in " + LONG), SMALL, Point(SHORT, (Point("A sub-point"),)))
    host = next(s for s in slides if s.table is not None)
    (box,) = under_text(host)
    assert [para_text(p) for p in box.paras] == [SHORT, "A sub-point"]
    assert [(p.bullet, p.level, p.size) for p in box.paras] == [("•", 0, 24.0), ("–", 1, 20.0)]
    table_foot = host.table.frame.y + host.table.frame.h
    assert box.frame.y >= table_foot + BLOCK_GAP - 0.01  # under the table frame, a gap between
    assert box.frame.y + box.frame.h <= BODY.y + BODY.h + 0.01
    assert Fitter(theme).fits(box.paras, box.frame)  # the same Fitter as every body
    assert not any(SHORT in t for s in slides for t in texts(s))  # not on a slide of its own
    assert [s.title_text for s in slides if s.kind == "content"] == ["Acids: key points"]


def test_a_table_on_its_own_slide_takes_the_short_point_under_it(theme):
    slides, _ = plan(theme, SMALL, Point(SHORT))
    (host,) = [s for s in slides if s.table is not None]
    assert host.kind == "table" and host.body == ()
    (box,) = under_text(host)
    assert para_text(box.paras[0]) == SHORT and box.frame.y >= block_foot(host) + BLOCK_GAP - 0.01
    assert not [s for s in slides if s.kind == "content"]


def test_many_points_after_a_table_start_a_new_slide_as_before(theme):
    many = [Point(f"{k}. {LONG}") for k in range(8)]
    slides, _ = plan(theme, SMALL, *many)
    host = next(s for s in slides if s.table is not None)
    assert not under_text(host)
    after = slides[slides.index(host) + 1 :]
    assert after[0].kind == "content" and texts(after[0])[0].startswith("0. ")
    assert after[0].title_text == "Acids: key points"  # the section's first text slide


def test_a_code_listing_takes_the_short_point_under_it(theme):
    slides, _ = plan(theme, CODE, Point(SHORT))
    (host,) = [s for s in slides if s.kind == "code"]
    (box,) = under_text(host)
    assert para_text(box.paras[0]) == SHORT and box.paras[0].bullet == "•"
    assert box.frame.y >= host.body_frame.y + host.body_frame.h + BLOCK_GAP - 0.01
    assert Fitter(theme).fits(box.paras, box.frame)


def test_a_listing_under_text_takes_the_short_point_under_it(theme):
    slides, _ = plan(theme, Point("Lead-in"), CODE, Point(SHORT))
    (host,) = [s for s in slides if any(b.name == "Code" for b in s.boxes)]
    assert texts(host) == ["Lead-in"]
    (box,) = under_text(host)
    assert para_text(box.paras[0]) == SHORT and box.frame.y >= block_foot(host) + BLOCK_GAP - 0.01
    assert len([s for s in slides if s.kind in ("content", "code")]) == 1


def test_many_lines_after_a_listing_start_a_new_slide(theme):
    slides, _ = plan(theme, CODE, *[Point(f"{k}. {LONG}") for k in range(8)])
    (host,) = [s for s in slides if s.kind == "code"]
    assert not under_text(host)


def test_a_figure_slide_stays_a_figure_slide(theme, tmp_path):
    image = Image(tmp_path / "f.png", "A figure", "Caption", 400, 300, "PNG")
    slides, _ = plan(theme, image, Point(SHORT))
    figure = next(s for s in slides if s.kind == "figure")
    assert not figure.boxes and [s for s in slides if s.kind == "content" and SHORT in texts(s)]


def test_continuation_titles_count_on_without_a_gap(theme, tmp_path):
    image = Image(tmp_path / "f.png", "A figure", None, 400, 300, "PNG")
    slides, _ = plan(theme, Point("First"), SMALL, Point(SHORT), image, Point("Last"))
    titles = [s.title_text for s in slides if s.kind == "content"]
    assert titles == ["Acids: key points", "Acids: key points (cont.)"]


def test_text_with_math_keeps_its_own_slide(theme):
    slides, _ = plan(theme, SMALL, Point("Then $x^2$ follows"))
    host = next(s for s in slides if s.table is not None)
    assert not under_text(host)


def test_a_listing_too_wide_anyway_goes_under_its_lead_in_warned_once(theme):
    wide = Code("x = 1\n" + "y = " + "a_long_name + " * 30 + "1", span=Span("pack.yaml", 9, 5))
    slides, report = plan(theme, Point("The same logarithm in a few lines of code"), wide)
    (host,) = [s for s in slides if any(b.name == "Code" for b in s.boxes)]
    assert texts(host) == ["The same logarithm in a few lines of code"]
    warnings = [str(d) for d in report.sorted() if "too long" in str(d)]
    assert len(warnings) == 1, warnings


def test_deck_file_has_the_point_with_its_bullet_under_the_table(theme):
    pack = make_pack([Section("Acids", points=(SMALL, Point(SHORT)))])
    prs = Presentation(io.BytesIO(render_output("deck", pack, theme)))
    (slide,) = [s for s in prs.slides if any(sh.has_table for sh in s.shapes)]
    table = next(sh for sh in slide.shapes if sh.has_table)
    foot = (table.top + sum(r.height for r in table.table.rows)) / EMU_PER_PT
    (text,) = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text == SHORT]
    assert text.top / EMU_PER_PT >= foot
    ppr = text.text_frame.paragraphs[0]._p.find(f"{A}pPr")
    assert ppr.find(f"{A}buChar").get("char") == "•"
    assert not [s for s in prs.slides if SHORT in s.shapes.title.text_frame.text]


def _rule_foot(page, frame: tuple[float, float, float, float]) -> float:
    """The lowest horizontal rule or edge LibreOffice drew within the table's frame."""
    x0, y0, x1, y1 = frame
    ys = [
        e["bottom"]
        for e in page.edges
        if e["orientation"] == "h"
        and e["x0"] < x1
        and e["x1"] > x0
        and y0 - 2 <= e["top"] <= y1 + 2
    ]
    return max(ys, default=y1)


def _flat(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch != "•")


def _check_deck(pptx: Path, outdir: Path) -> int:
    """0 glyphs outside their boxes; the text under a table drawn wholly below its bottom rule.
    How many slides have text under a table."""
    pdf = pdf_from_pptx(pptx, outdir)
    slides, pages, outside = glyphs_outside(pptx, pdf)
    assert slides == pages and outside == [], outside[:10]
    prs, shared = Presentation(str(pptx)), 0
    with pdfplumber.open(str(pdf)) as doc:
        for slide, page in zip(prs.slides, doc.pages):
            tables = [sh for sh in slide.shapes if sh.has_table]
            under = [sh for sh in slide.shapes if sh.name.startswith("Text ")]
            if not tables or not under:
                continue
            shared += 1
            t = tables[0]
            frame = (t.left / EMU_PER_PT, t.top / EMU_PER_PT, (t.left + t.width) / EMU_PER_PT,
                     (t.top + sum(r.height for r in t.table.rows)) / EMU_PER_PT)  # fmt: skip
            rule = _rule_foot(page, frame)
            box = under[0]
            foot = (box.top + box.height) / EMU_PER_PT
            below = [
                c["text"] for c in page.chars if c["top"] >= rule - 0.5 and c["bottom"] <= foot + 1
            ]
            assert _flat(box.text_frame.text) in _flat("".join(below))
    return shared


@pytest.mark.render
@pytest.mark.slow
def test_chemistry_deck_16_9_renders_text_under_its_table(tmp_path):
    outputs = build_or_fail(CHEMISTRY, tmp_path / "out", only=("deck",))
    assert _check_deck(outputs["deck"], tmp_path) >= 1


@pytest.mark.render
@pytest.mark.slow
def test_chemistry_deck_4_3_renders_inside_its_boxes(tmp_path):
    theme = tmp_path / "theme43" / "theme.yaml"
    theme.parent.mkdir()
    theme.write_text('extends: default\nslides: {aspect: "4:3"}\npaper: a4\n', encoding="utf-8")
    outputs = build_or_fail(CHEMISTRY, tmp_path / "out", only=("deck",), theme=str(theme))
    _check_deck(outputs["deck"], tmp_path)
    prs = Presentation(str(outputs["deck"]))
    lead = [s for s in prs.slides if any(sh.name.startswith("Code ") for sh in s.shapes)]
    assert lead, "the lead-in before the listing shares its slide"
