"""The deck planner's shortcuts agree exactly with fit.wrap / fit.hyphenate on random text."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers import ARIAL
from studypack.fit import ZWSP, FontSet, groups, hyphenate, line_text, runs_width, wrap
from studypack.fonts import OFFICE_FONTS
from studypack.inline import Run
from studypack.plan.deck_fit import Box, Fitter, Para, _normalized
from studypack.plan.deck_inline import math_lines
from studypack.plan.deck_lines import count_lines

TIMES = FontSet(OFFICE_FONTS["Times New Roman"], OFFICE_FONTS["Courier New"])
ALPHABET = st.sampled_from(
    list("aWi lm.,  \t\n") + [ZWSP, "日", "本", "🎌", "é", "—", "\u0301", "\u00a0", "\u202f", "!"]
    + list("、。」）ーっャ！「（\u3000")  # kinsoku marks, and the ideographic space
)  # fmt: skip
RUNS = st.lists(
    st.builds(Run, st.text(ALPHABET, max_size=40), st.booleans(), st.booleans(), st.booleans()),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(RUNS, st.sampled_from([ARIAL, TIMES]), st.sampled_from([10.0, 16.0, 24.0]),
       st.floats(5.0, 400.0))  # fmt: skip
def test_count_lines_is_len_of_wrap(runs, fonts, size, width):
    assert count_lines(runs, fonts, size, width) == len(wrap(runs, fonts, size, width))


@settings(max_examples=300, deadline=None)
@given(RUNS, st.sampled_from([ARIAL, TIMES]), st.sampled_from([10.0, 16.0, 24.0]),
       st.floats(5.0, 400.0))  # fmt: skip
def test_lines_that_could_hold_equations_break_where_wrap_breaks(runs, fonts, size, width):
    """The fallback pictures of shapes holding equations are drawn from math_lines: without an
    equation, and with no word wider than the line (wrap cuts it, math_lines keeps it whole),
    its lines are the ones the planner counted."""
    assume(all(runs_width(g, fonts, size) <= width for g in groups(runs)))
    lines = math_lines(runs, fonts, size, width)
    assert ["".join(p.text for p in line) for line in lines] == [
        line_text(line) for line in wrap(runs, fonts, size, width)
    ]


@settings(max_examples=200, deadline=None)
@given(RUNS)
def test_normalized_is_what_hyphenate_returns_when_nothing_is_cut(runs):
    assert _normalized(runs) == hyphenate(runs, ARIAL, 10.0, 1e9)


def test_prepare_takes_the_shortcut_only_when_no_word_is_too_wide():
    from studypack.errors import Report
    from studypack.theme import load_theme

    fitter = Fitter(load_theme("default", Report()))
    box = Box(0, 0, 120, 300)
    long = Para((Run("x" * 80 + " short  words"),), 24.0)
    assert fitter.prepare(long, box).runs == hyphenate(
        long.runs, fitter.body, 24.0, fitter.width(long, box)
    )
    assert "-" + ZWSP in fitter.prepare(long, box).runs[0].text
    plain = Para((Run("short  words\there"), Run(" and", bold=True)), 24.0)
    assert fitter.prepare(plain, box).runs == hyphenate(
        plain.runs, fitter.body, 24.0, fitter.width(plain, box)
    )


WIDE_ALPHABET = st.characters(max_codepoint=0x3FFFF, blacklist_categories=("Cs",))


@settings(max_examples=400, deadline=None)
@given(st.text(WIDE_ALPHABET | ALPHABET, max_size=30))
def test_tokens_without_the_cjk_pattern_are_the_same_tokens(text):
    """The fast path (no CJK class compiled for text that cannot hold CJK) changes nothing."""
    from studypack.fit import CJK, _cjk_patterns, is_cjk, token_matches

    full = _cjk_patterns()[1]
    assert [m.span() for m in token_matches(text)] == [m.span() for m in full.finditer(text)]
    for ch in set(text):
        assert is_cjk(ch) == (re.fullmatch(f"[{CJK}]", ch) is not None)


def test_widest_bounds_every_character_of_the_measured_fonts():
    from studypack.fit import char_width
    from studypack.plan.deck_fit import _widest

    for name in ("Helvetica", "Helvetica-Bold", "Times-Italic", "Courier"):
        repertoire = bytes(range(32, 256)).decode("cp1252", errors="ignore")
        assert _widest(name) >= max(char_width(c, name) for c in repertoire)


def test_a_word_led_by_a_no_break_space_is_kept_beside_an_equation():
    """French sets a no-break space before "!": the word it leads stays whole in a line that
    holds an equation (it was read as a breaking space and dropped)."""
    from studypack.plan.deck_inline import MathRun

    runs = [Run("mot\u00a0! et a \u00a0b "), MathRun("x"), Run(" fin")]
    lines = math_lines(runs, ARIAL, 20.0, 2000.0)
    assert "".join(p.text for p in lines[0]) == "mot\u00a0! et a \u00a0b x fin"
