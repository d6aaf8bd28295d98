"""Where a deck cuts a point too tall for a slide: two lines at least on each side, after a
sentence (else a clause) where one is at hand, marked '…' on both sides, and no nearly empty
slide before full ones."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pptx import Presentation
from pptx.oxml.ns import qn

from helpers import (
    GEOMETRY,
    REPO,
    build_or_fail,
    glyphs_outside,
    make_pack,
    pdf_from_pptx,
    render_output,
    rgb,
)
from studypack.errors import Report
from studypack.inline import parse_inline
from studypack.model import Point, Section, Term
from studypack.plan.deck import CONT, HANGING, Box, Fitter, Para, plan_deck
from studypack.plan.deck_flow import MIN_LINES, SPARSE, ContinuationMark
from studypack.plan.deck_inline import MathRun

CHEMISTRY = REPO / "content" / "intro-chemistry"
# Frames like the default template's at 4:3 (the planner only needs the body's).
FOUR_BY_THREE = dataclasses.replace(
    GEOMETRY, width=720.0, content_body=Box(36.0, 126.0, 648.0, 356.4)
)
GEOMETRIES = {"16:9": GEOMETRY, "4:3": FOUR_BY_THREE}

HCL = (  # the point QA saw cut after one line and mid-sentence, without a mark
    "When we write HCl(aq), the label (aq) tells the reader that the substance is dissolved in "
    "water, and that matters more than it first seems. We are describing a solution in which "
    "almost every hydrogen chloride molecule has already given its proton to a water molecule, "
    "so the flask holds hydronium ions and chloride ions rather than HCl molecules. The formula "
    "is a convenient shorthand; the particles themselves are different. Chemists keep the "
    "shorthand because it records what was weighed or measured out, while the ions record what "
    "is actually present. When you balance an equation for a reaction in solution, it often "
    "helps to rewrite each strong acid as its ions first, then cancel the spectator ions that "
    "appear unchanged on both sides. What remains is the net ionic equation, which shows the "
    "change that really happens: for any strong acid meeting any strong base it is the same, a "
    "hydronium ion and a hydroxide ion becoming two water molecules. This is why the heat "
    "released per mole of water formed is nearly the same for hydrochloric, nitric and "
    "perchloric acid neutralised by sodium or potassium hydroxide."
)
CLAUSES = (
    ", ".join(f"then clause {i} of a sentence that never seems to end" for i in range(45)) + "."
)
WORDS = " ".join(f"w{i}" for i in range(450))
CJK = "日本語の文章はスペースなしで、折り返されます。" * 40
TEXTS = {"sentences": HCL * 2, "clauses": CLAUSES, "words": WORDS, "cjk": CJK}


def unmarked(para: Para) -> str:
    """A planned paragraph's own text: without the marks at a cut through it."""
    return "".join(r.text for r in para.runs if not isinstance(r, ContinuationMark))


def ends_marked(para: Para) -> bool:
    last = para.runs[-1] if para.runs else None
    return isinstance(last, ContinuationMark) and last.text.endswith("…")


def starts_marked(para: Para) -> bool:
    first = para.runs[0] if para.runs else None
    return isinstance(first, ContinuationMark) and first.text.startswith("…")


def content(points, theme, geometry=GEOMETRY):
    slides = plan_deck(
        make_pack([Section("Acids", points=tuple(points))]), theme, geometry, Report()
    )
    return [s for s in slides if s.kind == "content"]


def cuts(slides) -> list[tuple[Para, Para]]:
    """Each cut through a paragraph: its part at a slide's foot and its rest on the next slide
    (the first paragraph there that is not a repeated parent)."""
    out = []
    for slide, after in zip(slides, slides[1:]):
        if slide.body and ends_marked(slide.body[-1]):
            rest = next(p for p in after.body if not unmarked(p).endswith(CONT))
            out.append((slide.body[-1], rest))
    return out


@pytest.mark.parametrize("aspect", GEOMETRIES)
@pytest.mark.parametrize("kind", TEXTS)
def test_a_cut_point_keeps_two_lines_on_each_side_and_is_marked(theme, aspect, kind):
    """Wherever the long point starts on the slide (after 0 to 11 one-line points)."""
    geometry, text = GEOMETRIES[aspect], TEXTS[kind]
    body, fitter = geometry.content_body, Fitter(theme)
    for n in range(0, 12, 2 if kind == "cjk" else 1):
        fillers = [Point(f"Filler {i}") for i in range(n)]
        slides = content([*fillers, Point(text), Point("After")], theme, geometry)
        found = cuts(slides)
        assert len(found) >= 1, (n, [[unmarked(p) for p in s.body] for s in slides])
        for before, rest in found:
            assert fitter.lines(before, body) >= MIN_LINES, (n, unmarked(before)[-80:])
            assert fitter.lines(rest, body) >= MIN_LINES, (n, unmarked(rest)[:80])
            assert starts_marked(rest) and rest.bullet is None  # no new bullet: the same point
            assert (rest.level, rest.margin) == (before.level, before.margin)  # under its text
        own = [p for s in slides for p in s.body if not unmarked(p).startswith("Filler")]
        assert own[0].bullet and unmarked(own[-1]) == "After"
        marked = [p for p in own if starts_marked(p) or ends_marked(p)]
        assert marked == own[:-1]  # every part of the long point, nothing else
        joiner = "" if kind == "cjk" else " "
        assert joiner.join(unmarked(p) for p in own[:-1]) == text  # whole, in order
        for s in slides:
            assert fitter.height(s.body, body) <= body.text_height


@pytest.mark.parametrize("aspect", GEOMETRIES)
@pytest.mark.parametrize(("kind", "end"), [("sentences", "."), ("clauses", ","), ("cjk", "。")])
def test_a_point_is_cut_after_a_sentence_or_else_a_clause(theme, aspect, kind, end):
    """Wherever the slides have room to move each cut back to the end of a sentence (of a
    clause when a sentence is longer than a slide): 4 lines to spare per cut."""
    geometry, text = GEOMETRIES[aspect], TEXTS[kind][: len(TEXTS[kind]) * 2 // 3]
    body, fitter = geometry.content_body, Fitter(theme)
    checked = 0
    for n in range(12):
        points = [*(Point(f"Filler {i}") for i in range(n)), Point(text)]
        slides = content(points, theme, geometry)
        found = cuts(slides)
        assert found
        paras = [
            fitter.prepare(Para(parse_inline(p.text), 24.0, 0, "•", HANGING, 9.6), body)
            for p in points
        ]
        spare = len(slides) * body.text_height - fitter.height(paras, body)  # pt
        if spare < 4 * len(found) * paras[-1].line_height:
            continue
        checked += 1
        for before, _ in found:
            assert unmarked(before).endswith(end), (n, unmarked(before)[-60:])
    assert checked >= 2


def test_no_nearly_empty_slide_before_full_ones(theme):
    """QA's case: two short points, then a point that needs two more slides. The cut point
    starts under the two short ones, and the three slides hold about as much each."""
    fitter = Fitter(theme)
    points = [
        Point("Acids change the colour of indicators"),
        Point("Acids react with metals"),
        Point(HCL * 2),
    ]
    for aspect, geometry in GEOMETRIES.items():
        body = geometry.content_body
        slides = content(points, theme, geometry)
        heights = [fitter.height(s.body, body) for s in slides]
        assert min(heights) >= SPARSE * body.text_height, (aspect, heights)
        assert unmarked(slides[0].body[-1]).startswith("When we write HCl(aq)"), aspect
        assert len(slides) == fewest_slides(fitter, points, body), aspect  # no slide added


def fewest_slides(fitter: Fitter, points, body: Box) -> int:
    """The slides the points need when each is filled line by line (a point cut anywhere)."""
    slides, used = 1, 0.0
    for point in points:
        para = fitter.prepare(Para(parse_inline(point.text), 24.0, 0, "•", HANGING, 9.6), body)
        for k in range(fitter.lines(para, body)):
            step = para.line_height + (para.space_before if used and not k else 0.0)
            if used + step > body.text_height:
                slides, used = slides + 1, para.line_height
            else:
                used += step
    return slides


def test_a_cut_sub_point_continues_under_its_repeated_parent(theme):
    fitter = Fitter(theme)
    slides = content(
        [Point("Filler"), Point("The parent", (Point(HCL * 2), Point("After")))], theme
    )
    found = cuts(slides)
    assert found
    for before, rest in found:
        assert fitter.lines(before, GEOMETRY.content_body) >= MIN_LINES
        assert fitter.lines(rest, GEOMETRY.content_body) >= MIN_LINES
        assert starts_marked(rest) and rest.bullet is None and rest.level == before.level == 1
    for s in slides[1:]:
        assert unmarked(s.body[0]) == f"The parent {CONT}"  # the parent first, then the rest


def test_a_cut_point_never_cuts_an_inline_equation(theme):
    """Commas and full stops inside `$…$` are the equation's, not the sentence's."""
    text = " ".join(
        f"Step {i} uses $f(x_{i}, y) = x_{i}^2 + 1.5\\, y$, so the value grows" for i in range(30)
    )
    slides = content([Point("Filler"), Point(text + ".")], theme)
    fitter, body = Fitter(theme), GEOMETRY.content_body
    found = cuts(slides)
    assert found
    for before, rest in found:
        assert fitter.lines(before, body) >= MIN_LINES and fitter.lines(rest, body) >= MIN_LINES
    equations = [r.text for s in slides for p in s.body for r in p.runs if isinstance(r, MathRun)]
    assert equations == [f"f(x_{i}, y) = x_{i}^2 + 1.5\\, y" for i in range(30)]  # whole, in order
    for s in slides:
        assert fitter.height(s.body, body) <= body.text_height


def test_a_key_term_taller_than_a_slide_is_cut_with_marks(theme):
    terms = [Term(f"Term {i}", "A short definition.") for i in range(12)]
    terms[3] = Term("Long term", HCL * 4)
    pack = make_pack([Section("S", points=(Point("p"),))], terms)
    slides = [s for s in plan_deck(pack, theme, GEOMETRY, Report()) if s.kind.startswith("terms")]
    columns = [list(col) for s in slides for col in (s.columns or (s.body,))]
    fitter, box = Fitter(theme), GEOMETRY.content_body  # a cut term stands full width
    parts = [p for col in columns for p in col if starts_marked(p) or ends_marked(p)]
    assert len(parts) >= 2 and ends_marked(parts[0]) and starts_marked(parts[-1])
    assert unmarked(parts[0]).startswith("Long term — When we write")
    for col, after in zip(columns, columns[1:]):
        if col and ends_marked(col[-1]):
            assert starts_marked(after[0])
            assert fitter.lines(col[-1], box) >= MIN_LINES
            assert fitter.lines(after[0], box) >= MIN_LINES


def test_the_marks_are_drawn_muted_and_the_rest_hangs_under_its_bullet_text(theme):
    """In the deck as written: the first part keeps the bullet, its rest has none and starts
    where the bullet's text does; both marks in the theme's muted colour."""
    pack = make_pack([Section("Acids", points=(Point("Short"), Point(HCL * 2), Point("After")))])
    report = Report()
    prs = Presentation(io.BytesIO(render_output("deck", pack, theme, report)))
    assert not report.errors
    muted = theme.colors.muted.lstrip("#").upper()
    paras = [p for slide in prs.slides for shape in slide.placeholders if shape.has_text_frame
             for p in shape.text_frame.paragraphs if "HCl" in p.text or p.text.startswith("…")]  # fmt: skip
    first, *rest = [p for p in paras if p.text.endswith("…") or p.text.startswith("…")]
    assert first.text.startswith("When we write") and first.text.endswith("\u00a0…") and rest
    assert first._p.pPr.find(qn("a:buChar")) is not None
    for para in [first, *rest]:
        marks = [r for r in para.runs if r.text.strip("\u00a0") == "…"]
        assert marks and all(str(r.font.color.rgb) == muted for r in marks)
    for para in rest:
        assert para.text.startswith("…\u00a0")
        assert para._p.pPr.find(qn("a:buNone")) is not None
        assert para._p.pPr.get("marL") == first._p.pPr.get("marL")
        assert int(para._p.pPr.get("indent")) == 0  # starts where the bullet's text does


def chemistry_with_long_point(folder: Path) -> Path:
    """The chemistry pack with QA's long point among its first section's points."""
    shutil.copytree(CHEMISTRY, folder)
    data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    data["sections"][0]["points"].insert(2, HCL)
    (folder / "pack.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize("aspect", ["16:9", "4:3"])
def test_the_chemistry_deck_renders_its_cut_point_marked_and_inside_its_boxes(
    tmp_path, theme, aspect
):
    pack = chemistry_with_long_point(tmp_path / "chemistry")
    options = {}
    if aspect == "4:3":
        (tmp_path / "t43").mkdir()
        (tmp_path / "t43" / "theme.yaml").write_text('extends: default\nslides: {aspect: "4:3"}\n')
        options = {"theme": str(tmp_path / "t43"), "paper": "a4"}
    deck = build_or_fail(pack, tmp_path / "out", only=("deck",), **options)["deck"]
    prs = Presentation(str(deck))
    assert round(prs.slide_width / prs.slide_height, 2) == {"16:9": 1.78, "4:3": 1.33}[aspect]
    pdf = pdf_from_pptx(deck, tmp_path / "pdf")
    slides, pages, outside = glyphs_outside(deck, pdf)
    assert pages == slides and not outside, outside[:10]
    muted = rgb(theme.colors.muted, 2)
    with pdfplumber.open(str(pdf)) as doc:
        texts = [page.extract_text().splitlines() for page in doc.pages]
        ends = [k for k, lines in enumerate(texts) if any(line.endswith("…") for line in lines)]
        assert ends, texts
        for k in ends:  # the next slide goes on with '…' at the start of a line
            assert any(line.startswith("…") for line in texts[k + 1]), texts[k + 1]
            marks = [c for c in doc.pages[k].chars + doc.pages[k + 1].chars if c["text"] == "…"]
            assert marks and all(
                tuple(round(v, 2) for v in c["non_stroking_color"]) == muted for c in marks
            )
    shown = " ".join(" ".join(lines) for lines in texts)
    assert "When we write HCl(aq)" in shown and "potassium hydroxide." in shown


def test_a_point_keeps_its_sub_list_rather_than_balance_the_slides(theme):
    """Two short points, then a point whose sub-list fills the next slide: the sub-list is not
    cut under a repeated parent just to fill the first slide."""
    subs = tuple(Point(f"Sub-point {i}") for i in range(9))
    slides = content([Point("One"), Point("Two"), Point("The parent", subs)], theme)
    assert [[unmarked(p) for p in s.body] for s in slides] == [
        ["One", "Two"],
        ["The parent", *(s.text for s in subs)],
    ]


@pytest.mark.parametrize("aspect", GEOMETRIES)
@pytest.mark.parametrize("fillers", range(0, 9))
def test_a_display_equation_stays_on_the_slide_of_the_point_that_leads_into_it(theme, aspect, fillers):
    from studypack.model import Math
    from studypack.plan.deck_math import EquationPara

    math = Math(r"\bar{v} = \frac{\Delta x}{\Delta t} = \frac{x_f - x_i}{t_f - t_i}")
    points = [Point(f"Filler point number {i} that takes a line or two of the slide's body") for i in range(fillers)]
    points += [Point("The average velocity over an interval is the displacement divided by the time"), math]
    points += [Point(f"Afterwards {i}") for i in range(3)]
    slides = [s for s in content(points, theme, GEOMETRIES[aspect]) if s.kind == "content"]
    found = 0
    for slide in slides:
        for i, para in enumerate(slide.body):
            if isinstance(para, EquationPara) and para.math is not None:
                found += 1
                assert i > 0 and "average velocity" in unmarked(slide.body[i - 1]), [
                    unmarked(p) for p in slide.body
                ]
    assert found == 1


def test_the_overview_slide_is_set_as_large_as_body_text_when_it_fits(theme):
    from studypack.plan.deck import BODY_SIZES

    pack = dataclasses.replace(make_pack([Section("Acids", points=(Point("One"),))]), overview="A short overview.")
    slides = plan_deck(pack, theme, GEOMETRY, Report())
    overview = next(s for s in slides if s.title_text == "Overview")
    assert [p.size for p in overview.body] == [BODY_SIZES[0]]
    assert overview.body[0].color == "text"


def test_a_key_term_named_with_math_is_set_as_math_in_bold_company(theme):
    from studypack.plan.deck_inline import MathRun

    pack = make_pack([Section("Motion", points=(Point("One"),))], glossary=(Term("$v_0$", "The initial velocity."),))
    slides = [s for s in plan_deck(pack, theme, GEOMETRY, Report()) if s.kind.startswith("terms")]
    runs = [r for s in slides for p in s.body for r in p.runs]
    assert any(isinstance(r, MathRun) and r.text == "v_0" for r in runs), runs
    assert not any("$" in r.text for r in runs)
