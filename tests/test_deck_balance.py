"""Continuation slides are balanced: points spread evenly, sub-lists kept with their parent,
key terms over both columns of every slide."""

from __future__ import annotations

import io
import math

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from helpers import GEOMETRY, make_pack, para_text, render_output
from studypack.errors import Report
from studypack.model import Point, Section, Term
from studypack.plan.deck import CONT, Fitter, plan_deck
from studypack.plan.deck_flow import ContinuationMark

BODY = GEOMETRY.content_body
# One-line points at 24 pt: 28.8 pt, then 9.6 pt before each further one.
PER_SLIDE = 1 + int((BODY.text_height - 28.8) // 38.4)


def content_slides(sections, theme):
    slides = plan_deck(make_pack(sections), theme, GEOMETRY, Report())
    return [s for s in slides if s.kind == "content"]


@pytest.mark.parametrize("n", [1, 9, 10, 17, 19, 28, 37])
def test_equal_points_are_spread_evenly_over_as_few_slides_as_greedy_filling(theme, n):
    points = tuple(Point(f"Point {i}") for i in range(n))
    content = content_slides([Section("Even", points=points)], theme)
    assert PER_SLIDE == 9  # the frame holds nine one-line points
    assert len(content) == math.ceil(n / PER_SLIDE)  # what greedy filling needs, no more
    counts = [len(s.body) for s in content]
    assert max(counts) - min(counts) <= 1, counts  # 5 + 5 for ten points, never 9 + 1
    assert [para_text(p) for s in content for p in s.body] == [p.text for p in points]
    fitter = Fitter(theme)
    assert all(fitter.fits(s.body, BODY) for s in content)


def test_a_short_sub_list_moves_with_its_parent_instead_of_splitting(theme):
    """Six points, then a parent with three sub-points: 7 + 3 lines do not fit one slide.
    Greedy filling left the parent and two sub-points at the foot and the third alone on
    the next slide under a repeated "(cont.)" parent."""
    subs = tuple(Point(f"Rule {i} for significant figures") for i in range(3))
    points = (
        *(Point(f"Point {i}") for i in range(6)),
        Point("Significant figures", subs),
        Point("Accuracy is not precision"),
    )
    content = content_slides([Section("Measurement", points=points)], theme)
    assert len(content) == 2
    pages = [[para_text(p) for p in s.body] for s in content]
    group = ["Significant figures", *(s.text for s in subs)]
    holder = next(page for page in pages if group[0] in page)
    at = holder.index(group[0])
    assert holder[at : at + 4] == group, pages  # the parent with all its sub-points
    assert not any(t.endswith(CONT) for page in pages for t in page)  # nothing repeated
    assert sum(pages, []) == [*(p.text for p in points[:6]), *group, points[7].text]


def test_a_subsection_with_a_summary_and_six_points_has_no_one_point_slide(theme):
    """The QA case: greedy filling gave 5 points, then 1 alone on "(cont.)"."""
    summary = "Students on the exchange programme meet these compound nouns; " * 2
    points = tuple(Point(f"Point {i}: " + "long compound words wrap " * 4) for i in range(6))
    sub = Section("Terms", summary=summary, points=points)
    content = content_slides(
        [Section("Thermo", points=(Point("First law"),), sections=(sub,))], theme
    )
    shown = [[para_text(p) for p in s.body] for s in content if s.title_text.startswith("Terms")]
    assert len(shown) == 2
    assert [len(page) for page in shown] in ([4, 3], [3, 4]), shown  # summary + 3, then 3
    assert shown[0][0].strip() == summary.strip()


def term_slide_columns(pptx: bytes) -> list[list[str]]:
    """Per key-term slide, the text of each body placeholder (its columns), left to right."""
    out = []
    for slide in Presentation(io.BytesIO(pptx)).slides:
        if not slide.shapes.title.text_frame.text.startswith("Key terms"):
            continue
        bodies = [
            ph
            for ph in slide.placeholders
            if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
        ]
        out.append([ph.text_frame.text for ph in sorted(bodies, key=lambda ph: ph.left)])
    return out


def test_key_term_continuations_use_both_columns_evenly(theme):
    """Terms for three columns: two slides of two columns each, not 2 + 1 with a blank right half."""
    terms = [Term(f"Term {i:02d}", "A short definition.") for i in range(30)]  # 13 a column
    report = Report()
    slides = term_slide_columns(
        render_output("deck", make_pack([Section("S", points=(Point("p"),))], terms), theme, report)
    )
    assert not report.errors
    assert len(slides) == 2
    columns = [col for slide in slides for col in slide]
    assert len(columns) == 4 and all(columns), slides
    counts = [col.count("Term ") for col in columns]
    assert max(counts) - min(counts) <= 1, counts  # 8 + 8 + 7 + 7, not 13 + 13 + 4 + 0
    shown = [line.split(" — ")[0] for col in columns for line in col.split("\n")]
    assert shown == [t.term for t in terms]


@pytest.mark.parametrize("n", [3, 5])
def test_terms_too_tall_to_pair_up_end_on_a_full_width_slide(theme, n):
    """Each term fills most of a column, and there is an odd number of them: the last stands on
    a one-column slide instead of leaving the right half of a two-column slide blank."""
    definition = " ".join(["Reform of the regional parliament and its treaty clauses."] * 11)
    terms = [Term(f"Term {i}", definition) for i in range(n)]
    report = Report()
    pptx = render_output("deck", make_pack([Section("S", points=(Point("p"),))], terms), theme, report)
    assert not report.errors
    slides = term_slide_columns(pptx)
    assert [len(s) for s in slides] == [2] * (n // 2) + [1], slides
    assert all(all(columns) for columns in slides)
    prs = Presentation(io.BytesIO(pptx))
    last = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Key terms")][-1]
    body = next(ph for ph in last.placeholders if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT))
    assert body.width > 0.6 * prs.slide_width  # a full-width box, not the left half of two
    shown = [line.split(" — ")[0] for s in slides for col in s for line in col.split("\n")]
    assert shown == [t.term for t in terms]


def unmarked(para) -> str:
    """A planned paragraph's own text: without the marks at a cut through it."""
    return "".join(r.text for r in para.runs if not isinstance(r, ContinuationMark))


LONG = " ".join(f"Sentence {i} says the alliance changed again." for i in range(60))  # ~3 slides


def test_a_point_too_long_for_a_slide_starts_below_what_comes_before_it(theme):
    """Its first part fills the slide the short point before it is on, and the short point
    after it joins its last part: no slide holds a lone short point or a lone parent."""
    sections = [
        Section("Flat", points=(Point("Short before"), Point(LONG), Point("Short after"))),
        Section("Nested", points=(Point("The parent", (Point(LONG), Point("After sub"))),)),
    ]
    fitter = Fitter(theme)
    for section in sections:
        slides = [s for s in content_slides([section], theme)]
        bodies = [[unmarked(p) for p in s.body] for s in slides]
        assert bodies[0][0] in ("Short before", "The parent") and len(bodies[0]) == 2, bodies[0]
        assert bodies[0][1].startswith("Sentence 0 says")
        assert bodies[-1][-1] in ("Short after", "After sub") and len(bodies[-1]) >= 2
        own = [t for b in bodies for t in b if not t.endswith(CONT)]
        assert " ".join(t for t in own if t.startswith("Sentence")) == LONG  # whole, in order
        assert all(t.endswith("again.") for t in own if t.startswith("Sentence"))  # cut at sentences
        for s in slides:
            assert fitter.height(s.body, BODY) <= BODY.text_height
        heights = [fitter.height(s.body, BODY) for s in slides]
        assert min(heights) > 0.25 * BODY.text_height, heights  # no slide of a line or two
        assert min(heights[:-1]) > 0.6 * BODY.text_height, heights
