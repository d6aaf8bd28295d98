"""plan/deck.py and the fit helpers it uses: which text lands on which slide, without a file."""

from __future__ import annotations

import re

import pytest

from helpers import ARIAL, GEOMETRY, make_pack, para_text
from studypack.errors import Report, Span
from studypack.fit import ZWSP, hyphenate, line_text, runs_width, wrap
from studypack.inline import Run
from studypack.model import Point, Section, Term
from studypack.plan.deck import CONT, Box, Fitter, plan_deck
from studypack.plan.deck_flow import ContinuationMark


def unmarked(para) -> str:
    """A planned paragraph's own text: without the marks at a cut through it."""
    return "".join(r.text for r in para.runs if not isinstance(r, ContinuationMark))


BODY = Box(36.0, 99.0, 648.0, 356.4)

SENTENCE = "The alliance shifted its burden sharing terms once again after long talks."


def body_height(fitter: Fitter, paras, box: Box) -> float:
    return fitter.height(paras, box)


def test_hyphenate_cuts_only_words_wider_than_the_line():
    word = "x" * 50
    runs = hyphenate((Run(f"short {word} **end"),), ARIAL, 24, 200)
    text = "".join(r.text for r in runs)
    assert text.startswith("short x")
    assert text.count("-" + ZWSP) >= 2
    assert text.replace("-" + ZWSP, "") == f"short {word} **end"  # nothing else changed
    for line in wrap(runs, ARIAL, 24, 200):
        assert runs_width(line, ARIAL, 24) <= 200


def test_wrap_breaks_at_zero_width_space_and_drops_it():
    lines = wrap(
        (Run("aaaa" + ZWSP + "bbbb"),), ARIAL, 12, runs_width((Run("aaaa"),), ARIAL, 12) + 1
    )
    assert [line_text(line) for line in lines] == ["aaaa", "bbbb"]


def test_sample_like_deck_has_every_kind_in_order(theme):
    sub = Section("Sub one", points=(Point("a"),), notes="Sub notes.")
    sections = [
        Section(
            "First",
            summary="Short summary.",
            points=(Point("p1", (Point("child"),)),),
            notes="First notes.",
            sections=(sub,),
        ),
        Section("Second", points=(Point("p2"),)),
    ]
    slides = plan_deck(make_pack(sections, [Term("Alpha", "A letter.")]), theme, GEOMETRY, Report())
    kinds = [s.kind for s in slides]
    assert kinds == [
        "title",
        "agenda",
        "section",
        "content",
        "content",
        "section",
        "content",
        "terms-single",  # one short term: a full-width slide, not a half-empty two-column one
        "review",
    ]
    titles = [s.title_text for s in slides]
    assert len(set(titles)) == len(titles)
    assert slides[3].body[0].runs[0].text == "p1" and slides[3].body[1].level == 1  # nesting kept
    assert slides[2].notes == ("First notes.",) and slides[3].notes == ("First notes.",)
    assert slides[4].notes == ("Sub notes.",)  # a subsection's own notes win
    assert all(s.footer is not None for s in slides[1:]) and slides[0].footer is None


def test_speaker_notes_keep_their_paragraphs_and_line_breaks(theme):
    notes = "Open with a question.\n\nThen **live\ndemo**:\n- build a list\n- sort it\n"
    pack = make_pack([Section("Lists", points=(Point("p"),), notes=notes)], [])
    slides = plan_deck(pack, theme, GEOMETRY, Report())
    section = next(s for s in slides if s.kind == "section")
    assert section.notes == ("Open with a question.", "Then live\ndemo:\n- build a list\n- sort it")


def test_key_terms_come_in_the_handout_glossary_order(theme):
    terms = [Term("zeta", "z."), Term("Élan", "e."), Term("alpha", "a."), Term("Beta", "b.")]
    slides = plan_deck(make_pack([Section("S", points=(Point("p"),))], terms), theme, GEOMETRY, Report())
    shown = [p.runs[0].text for s in slides if s.kind.startswith("terms") for p in s.body]
    assert shown == ["alpha", "Beta", "Élan", "zeta"]


def test_sixty_points_continue_with_numbered_titles_and_each_slide_fits(theme):
    points = tuple(Point(f"Point {i}: " + " ".join([SENTENCE] * (1 + i % 3))) for i in range(60))
    slides = plan_deck(make_pack([Section("Many", points=points)]), theme, GEOMETRY, Report())
    content = [s for s in slides if s.kind == "content"]
    assert len(content) > 3
    assert content[0].title_text == "Many: key points"
    assert content[1].title_text == f"Many: key points {CONT}"
    assert content[2].title_text == "Many: key points (cont. 2)"
    fitter = Fitter(theme)
    for s in content:
        assert (
            body_height(fitter, s.body, GEOMETRY.content_body) <= GEOMETRY.content_body.text_height
        )
    shown = [p.runs[0].text.split(":")[0] for s in content for p in s.body]
    assert shown == [f"Point {i}" for i in range(60)]  # nothing lost, nothing repeated, in order


def test_over_long_point_splits_at_sentences(theme):
    text = " ".join(f"Sentence {i} says the alliance changed again." for i in range(300))
    slides = plan_deck(
        make_pack([Section("Huge", points=(Point(text),))]), theme, GEOMETRY, Report()
    )
    paras = [p for s in slides if s.kind == "content" for p in s.body]
    assert len(paras) > 3
    pieces = [unmarked(p) for p in paras]
    assert all(piece.endswith("again.") for piece in pieces)
    assert " ".join(pieces) == text
    assert paras[0].bullet and not any(p.bullet for p in paras[1:])  # one point, one bullet


@pytest.mark.parametrize(
    "text, joiner",
    [
        (" ".join(f"w{i}" for i in range(3000)), " "),
        ("日本語の文章はスペースなしで折り返されます" * 40, ""),
    ],
    ids=["3000-words-no-full-stop", "cjk-without-spaces"],
)
def test_sentence_too_long_splits_at_words_or_between_characters(theme, text, joiner):
    slides = plan_deck(
        make_pack([Section("Long", points=(Point(text),))]), theme, GEOMETRY, Report()
    )
    fitter = Fitter(theme)
    content = [s for s in slides if s.kind == "content"]
    assert len(content) > 1
    for s in content:
        assert (
            body_height(fitter, s.body, GEOMETRY.content_body) <= GEOMETRY.content_body.text_height
        )
    pieces = [unmarked(p) for s in content for p in s.body]
    assert joiner.join(pieces) == text


def test_fifty_letter_words_are_hyphenated_to_fit(theme):
    word = (
        "WMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWM"  # 50 wide letters: ~1,100 pt at 24 pt
    )
    assert len(word) == 50
    slides = plan_deck(
        make_pack([Section(f"Title {word} {word}", points=(Point((word + " ") * 5),))]),
        theme,
        GEOMETRY,
        Report(),
    )
    fitter = Fitter(theme)
    for s in slides:
        for p in s.body:
            for line in wrap(p.runs, fitter.body, p.size, fitter.width(p, GEOMETRY.content_body)):
                assert runs_width(line, fitter.body, p.size) <= fitter.width(
                    p, GEOMETRY.content_body
                )
    content = next(s for s in slides if s.kind == "content")
    assert ZWSP in content.body[0].runs[0].text
    assert all(ZWSP in s.title_text for s in slides if s.kind in ("section", "content"))


def test_glossary_of_400_terms_fills_two_columns_per_slide(theme):
    terms = [Term(f"Term {i:03d}", f"Definition {i}. " + SENTENCE * (i % 4)) for i in range(400)]
    slides = plan_deck(make_pack([Section("S")], terms), theme, GEOMETRY, Report())
    term_slides = [s for s in slides if s.kind == "terms"]
    assert len(term_slides) > 10
    assert all(len(s.columns) == 2 and all(s.columns) for s in term_slides)  # the last one too
    fitter = Fitter(theme)
    for s in term_slides:
        for col, box in zip(s.columns, GEOMETRY.terms_cols):
            assert body_height(fitter, col, box) <= box.text_height
    names = [p.runs[0].text for s in term_slides for col in s.columns for p in col]
    assert names == [f"Term {i:03d}" for i in range(400)]


def test_duplicate_titles_are_made_unique(theme):
    sections = [
        Section("Same", points=(Point("a"),)),
        Section("Same", points=(Point("b"),)),
        Section("Agenda"),
    ]
    slides = plan_deck(make_pack(sections), theme, GEOMETRY, Report())
    titles = [s.title_text.casefold() for s in slides]
    assert len(titles) == len(set(titles))


def test_title_too_long_for_any_size_is_cut_with_a_located_warning(theme):
    long_title = " ".join(["Burden sharing"] * 80)
    report = Report()
    sec = Section(long_title, points=(Point("x"),), span=Span("pack.yaml", 7, 5))
    slides = plan_deck(make_pack([sec]), theme, GEOMETRY, report)
    header = next(s for s in slides if s.kind == "section")
    assert header.title_text.endswith("…")
    assert any(
        re.match(r"pack\.yaml:7:5: warning: slide title 'Burden sharing", str(d))
        for d in report.diagnostics
    )


def test_planner_is_pure():
    """The planner decides; only the renderer knows python-pptx."""
    import subprocess
    import sys

    code = "import sys, studypack.plan.deck; print('pptx' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    "parent", ["Parent point", "Its terms " + " ".join([SENTENCE] * 2)], ids=["short", "long"]
)
def test_continuation_inside_a_nested_list_repeats_the_parent_first(theme, parent):
    subs = tuple(Point(f"sub-point number {i} with a few words") for i in range(1, 23))
    deep = (Point("deep child", (Point("deeper child"),)),)
    points = (Point(parent, subs + deep), Point("After"))
    slides = plan_deck(make_pack([Section("Nested", points=points)]), theme, GEOMETRY, Report())
    content = [s for s in slides if s.kind == "content"]
    assert len(content) > 1
    fitter = Fitter(theme)
    for s in content:  # the repeated text is counted: nothing overflows
        assert fitter.height(s.body, GEOMETRY.content_body) <= GEOMETRY.content_body.text_height
    for s in content[1:]:
        first = s.body[0]
        if para_text(first) == "After":
            continue  # a slide may start at a top-level point: nothing to repeat
        assert first.level == 0 and para_text(first).endswith(f" {CONT}"), para_text(first)
        shown = para_text(first)[: -len(f" {CONT}")].rstrip("…")
        assert parent.startswith(shown) and shown  # the parent itself, or its first words
        assert fitter.lines(first, GEOMETRY.content_body) == 1
        assert s.body[1].level == 1
    repeats = [para_text(p) for s in content for p in s.body if para_text(p).endswith(f" {CONT}")]
    assert len(repeats) == sum(para_text(s.body[0]) != "After" for s in content[1:])
    assert all(r.endswith(f"… {CONT}") for r in repeats) == (len(parent) > 100)  # long: cut
    own = [para_text(p) for s in content for p in s.body if not para_text(p).endswith(f" {CONT}")]
    expected = [parent, *(p.text for p in subs), "deep child", "deeper child", "After"]
    assert own == expected  # every point exactly once as itself, in order


def test_a_parent_never_ends_a_slide_without_its_first_child(theme):
    subs = tuple(Point(f"child {i} " + " ".join([SENTENCE] * 3)) for i in range(3))
    for n in range(4, 14):  # one-line fillers walk the parent past the foot of the first slide
        fillers = tuple(Point(f"filler {i}") for i in range(n))
        points = (*fillers, Point("The parent", subs))
        slides = plan_deck(make_pack([Section("Keep", points=points)]), theme, GEOMETRY, Report())
        content = [s for s in slides if s.kind == "content"]
        own = [para_text(p) for s in content for p in s.body if not para_text(p).endswith(f" {CONT}")]
        assert own == [p.text for p in points] + [c.text for c in subs]
        for s in content:
            assert para_text(s.body[-1]) != "The parent", n


def test_a_long_glossary_uses_two_column_term_slides(theme):
    terms = [Term(f"Term {i}", "A definition of several words that takes a line or two.") for i in range(40)]
    slides = plan_deck(make_pack([Section("S", points=(Point("p"),))], terms), theme, GEOMETRY, Report())
    kinds = [s.kind for s in slides]
    assert "terms-single" not in kinds and kinds.count("terms") >= 2


def test_a_title_without_spaces_is_cut_between_characters_not_to_nothing(theme):
    title = "日米安全保障条約は冷戦初期に締結された同盟の基盤であり、沖縄の基地問題を含む。" * 8
    report = Report()
    fitter = Fitter(theme)
    runs, _ = fitter.fit_title(title, GEOMETRY.content_title, (40.0, 32.0), Span("p.yaml", 1, 1), report)
    text = "".join(r.text for r in runs).replace(ZWSP, "")
    assert text.endswith("…") and len(text) > 20 and title.startswith(text[:-1])
    assert [d.message.split("; ")[-1] for d in report.warnings] == [f"cut to {len(text) - 1} characters"]


def test_a_repeated_parent_without_spaces_keeps_its_first_characters(theme):
    """A continued Japanese or Chinese parent is cut between characters, as titles are, not to
    a bare '… (cont.)' that no longer says which point the sub-list belongs to."""
    parent = "日米安全保障条約は冷戦初期に締結された同盟の基盤であり、沖縄の基地問題を含む。" * 2
    subs = tuple(Point(f"sub-point number {i} with a few words") for i in range(1, 23))
    slides = plan_deck(make_pack([Section("Nested", points=(Point(parent, subs),))]), theme, GEOMETRY, Report())
    heads = [para_text(s.body[0]) for s in slides if s.kind == "content"][1:]
    assert heads and all(h.endswith(f"… {CONT}") for h in heads)
    for head in heads:
        shown = head[: -len(f"… {CONT}")]
        assert len(shown) >= 10 and parent.startswith(shown), head
