"""The flashcard plan: slots, duplex mirroring, crop marks and fitting, without drawing a PDF."""

from __future__ import annotations

import dataclasses
import re

import pytest

from helpers import SAMPLE
from studypack.errors import Report, Span
from studypack.fit import LEADING
from studypack.model import Card
from studypack.plan.cards import HEADER, MM, SIZES, CardsPlan, Rect, mirror, plan_cards
from studypack.render.cards_pdf import card_fonts

PAPERS = ("letter", "a4")
DUPLEX = ("long-edge", "short-edge")




def make(
    pack, theme, *, paper="letter", size="3x5in", duplex="long-edge", offset=(0.0, 0.0), report=None
) -> CardsPlan:
    cards = dataclasses.replace(theme.cards, size=size, duplex=duplex, offset=offset)
    t = dataclasses.replace(theme, paper=paper, cards=cards)
    return plan_cards(pack, t, card_fonts(t), report if report is not None else Report())


def sides(plan: CardsPlan, kind: str):
    return {s.card: s for sheet in plan.sheets for s in sheet.sides if s.side == kind}


def overlaps(line: tuple[float, float, float, float], r: Rect) -> bool:
    """Does an axis-parallel segment touch the inside of a rectangle?"""
    x1, y1, x2, y2 = line
    lo_x, hi_x, lo_y, hi_y = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
    eps = 1e-6
    return (
        lo_x < r.right - eps
        and hi_x > r.x + eps
        and lo_y < r.top - eps
        and hi_y > r.y + eps
        or (
            # A segment lying exactly along x or y still crosses when it runs through the inside.
            (lo_x == hi_x and r.x + eps < lo_x < r.right - eps and lo_y < r.top and hi_y > r.y)
            or (lo_y == hi_y and r.y + eps < lo_y < r.top - eps and lo_x < r.right and hi_x > r.x)
        )
    )


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("size,per_page", [("3x5in", 3), ("A7", 4), ("2x3.5in", 10)])
def test_cards_per_sheet(pack, theme, paper, size, per_page):
    plan = make(pack, theme, paper=paper, size=size)
    assert plan.per_page == per_page
    assert plan.count == len(pack.flashcards()) == 44
    assert len(plan.sheets) == 2 * -(-plan.count // per_page)
    assert [s.kind for s in plan.sheets[:2]] == ["front", "back"]


def test_business_cards_use_avery_5371_geometry_on_letter(pack, theme):
    plan = make(pack, theme, size="2x3.5in")
    rects = [s.rect for s in plan.sheets[0].sides]
    assert min(r.x for r in rects) == pytest.approx(0.75 * 72)  # side margins 0.75 in
    assert 792 - max(r.top for r in rects) == pytest.approx(0.5 * 72)  # top margin 0.5 in
    assert {round(r.w / 72, 3) for r in rects} == {3.5} and {round(r.h / 72, 3) for r in rects} == {
        2.0
    }


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("duplex", DUPLEX)
def test_each_back_is_the_mirrored_front(pack, theme, paper, size, duplex):
    plan = make(pack, theme, paper=paper, size=size, duplex=duplex)
    fronts, backs = sides(plan, "front"), sides(plan, "back")
    assert set(fronts) == set(backs) == set(range(1, 45))
    w, h = plan.page
    for n, front in fronts.items():
        fx, fy = front.rect.center
        bx, by = backs[n].rect.center
        expected = (w - fx, fy) if duplex == "long-edge" else (fx, h - fy)
        assert (bx, by) == pytest.approx(expected, abs=0.01)
        # Front and back of a card are on the two faces of the same sheet.
        assert (
            plan.sheets.index(next(s for s in plan.sheets if backs[n] in s.sides))
            == plan.sheets.index(next(s for s in plan.sheets if front in s.sides)) + 1
        )


def test_offset_shifts_backs_only(pack, theme):
    plain = make(pack, theme)
    shifted = make(pack, theme, offset=(2.0, -1.5))
    for n, back in sides(shifted, "back").items():
        before = sides(plain, "back")[n].rect
        assert back.rect.x - before.x == pytest.approx(2.0 * MM)
        assert back.rect.y - before.y == pytest.approx(-1.5 * MM)
        assert sides(shifted, "front")[n].rect == sides(plain, "front")[n].rect


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("duplex", ("long-edge", "short-edge", "fold"))
def test_marks_never_cross_a_card_and_text_stays_inside(pack, theme, paper, size, duplex):
    plan = make(pack, theme, paper=paper, size=size, duplex=duplex, offset=(1.0, 1.0))
    w, h = plan.page
    for sheet in plan.sheets:
        rects = [s.rect for s in sheet.sides]
        assert sheet.marks
        for mark in sheet.marks:
            assert not any(overlaps(mark, r) for r in rects), (mark, sheet.kind)
            assert all(0 <= v <= lim for v, lim in zip(mark, (w, h, w, h)))
        for side in sheet.sides:
            r = side.rect
            assert 0 <= r.x and r.right <= w and 0 <= r.y and r.top <= h
            assert side.lines
            for line in side.lines:
                assert r.x <= line.x and line.x + line.width <= r.right, line
                assert (
                    r.y <= line.baseline - 0.3 * line.size and line.baseline + line.size <= r.top
                ), line


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("size", list(SIZES))
def test_fold_pairs_share_the_fold_line(pack, theme, paper, size):
    plan = make(pack, theme, paper=paper, size=size, duplex="fold")
    assert plan.per_page >= 1
    assert len(plan.sheets) == -(-44 // plan.per_page)
    for sheet in plan.sheets:
        assert len(sheet.folds) * 2 == len(sheet.sides)
        for i, fold in enumerate(sheet.folds):
            front, back = sheet.sides[2 * i], sheet.sides[2 * i + 1]
            assert (front.side, back.side, front.card) == ("front", "back", back.card)
            x1, y1, x2, _ = fold
            # Folding on the line lays the back exactly on the front.
            if x1 == x2:
                assert front.rect.right == pytest.approx(x1) == pytest.approx(back.rect.x)
                assert (front.rect.y, front.rect.h) == pytest.approx((back.rect.y, back.rect.h))
            else:
                assert front.rect.y == pytest.approx(y1) == pytest.approx(back.rect.top)
                assert (front.rect.x, front.rect.w) == pytest.approx((back.rect.x, back.rect.w))


def test_every_side_has_number_and_pack_title(pack, theme):
    plan = make(pack, theme)
    for sheet in plan.sheets:
        for side in sheet.sides:
            texts = ["".join(p.text for p in line.pieces) for line in side.lines]
            assert f"#{side.card}" in texts
            assert pack.title in texts


def test_sample_fits_in_range_without_warnings(pack, theme):
    for size in SIZES:
        report = Report()
        plan = make(pack, theme, size=size, report=report)
        assert not report.diagnostics, [str(d) for d in report.diagnostics]
        sizes = {
            line.size
            for sheet in plan.sheets
            for s in sheet.sides
            for line in s.lines
            if line.color != "muted"
        }
        assert min(sizes) >= theme.cards.min_font and max(sizes) <= theme.cards.max_font


def test_short_text_gets_the_largest_size(pack, theme):
    plan = make(pack, theme)
    front = sides(plan, "front")[1]  # "Active defense strategy"
    assert {line.size for line in front.lines if line.color == "primary"} == {theme.cards.max_font}


@pytest.mark.parametrize(
    "size,length,expected",
    [
        ("3x5in", 2000, r"back text shrunk to 7 pt to fit$"),
        (
            "2x3.5in",
            2000,
            r"back text does not fit even at 7 pt; printed at [4-6](\.5)? pt — shorten it",
        ),
        (
            "3x5in",
            12000,
            r"back text does not fit even at 7 pt; only \d+ of \d+ lines printed at 4 pt, cut with '…'",
        ),
    ],
)
def test_text_that_cannot_fit_is_named_and_stays_inside(pack, theme, size, length, expected):
    words = ("alliance burden sharing treaty " * (length // 30 + 1))[:length]
    card = Card("Overlong answer", words, span=Span(str(SAMPLE / "pack.yaml"), 99, 5))
    big = dataclasses.replace(pack, glossary=(), cards=(card,))
    report = Report()
    plan = make(big, theme, size=size, report=report)
    messages = [str(d) for d in report.warnings]
    assert len(messages) == 1, messages
    assert messages[0].startswith(
        f"{SAMPLE / 'pack.yaml'}:99:5: warning: card 'Overlong answer': ".replace(
            str(SAMPLE.parents[1]) + "/", ""
        )
    )
    assert re.search(expected, messages[0]), messages[0]
    back = sides(plan, "back")[1]
    body = [line for line in back.lines if line.color == "text"]
    shown = " ".join("".join(p.text for p in line.pieces) for line in body)
    if "cut with" in expected:
        assert shown.endswith("\u2026") and len(shown) < length
    else:
        assert shown.replace(" ", "") == words.replace(" ", "")  # every word printed
    for line in back.lines:
        assert back.rect.x <= line.x and line.x + line.width <= back.rect.right
        assert (
            back.rect.y <= line.baseline - 0.3 * line.size
            and line.baseline + line.size <= back.rect.top
        )


def content(side):
    """A side's text without its labels (card number and pack title sit in the header strip)."""
    return [line for line in side.lines if line.baseline < side.frame.top - HEADER]


@pytest.mark.parametrize("size", list(SIZES))
def test_backs_are_left_aligned_blocks_centred_and_fronts_centred_lines(pack, theme, size):
    plan = make(pack, theme, size=size)
    heights = set()
    for back in sides(plan, "back").values():
        lines = content(back)
        heights.add(min(len(lines), 3))
        # One left edge for every line, the hint included; the block as wide as its longest line.
        assert {line.x for line in lines} == {lines[0].x}
        right = max(line.x + line.width for line in lines)
        assert lines[0].x - back.frame.x == pytest.approx(back.frame.right - right)
        # Vertically centred too: line boxes are LEADING * size tall, baselines 0.27 * size up.
        top = lines[0].baseline + (LEADING - 0.27) * lines[0].size
        bottom = lines[-1].baseline - 0.27 * lines[-1].size
        assert back.frame.top - top == pytest.approx(bottom - back.frame.y)
    assert heights == {1, 2, 3}  # short answers and long definitions, laid out alike
    for front in sides(plan, "front").values():
        for line in content(front):
            assert line.x - front.frame.x == pytest.approx(front.frame.right - line.x - line.width)


def test_overlong_front_is_named_too(pack, theme):
    card = Card("Why " * 400, "Because.", span=Span("p.yaml", 7, 3))
    report = Report()
    make(
        dataclasses.replace(pack, glossary=(), cards=(card,)), theme, size="2x3.5in", report=report
    )
    assert [d.message.split(";")[0] for d in report.warnings] == [
        f"card '{('Why ' * 15).strip()}\u2026': front text does not fit even at 7 pt"
    ]


def test_mirror_is_an_involution():
    page = (612.0, 792.0)
    r = Rect(50, 60, 100, 70)
    for duplex in DUPLEX:
        assert mirror(mirror(r, page, duplex), page, duplex) == pytest.approx(r)


def test_long_words_shrink_rather_than_break(pack, theme):
    word = "Antidisestablishmentarianism-and-interoperability"
    card = Card(f"{word} matters", "Yes.", span=Span("p.yaml", 2, 1))
    plan = make(dataclasses.replace(pack, glossary=(), cards=(card,)), theme, size="2x3.5in")
    front = sides(plan, "front")[1]
    texts = [
        "".join(p.text for p in line.pieces) for line in front.lines if line.color == "primary"
    ]
    assert word in texts, texts
    assert all(line.size >= theme.cards.min_font for line in front.lines if line.color == "primary")
