"""cards-quizlet.txt: term TAB definition, one card a line, plain text, as Quizlet's import box takes it."""

from __future__ import annotations

import dataclasses

from helpers import SAMPLE, build_or_fail, render_output
from studypack.errors import Report
from studypack.model import Card
from studypack.outputs import DEFAULT_OUTPUTS


def test_one_card_a_line_with_one_tab(pack, theme):
    lines = render_output("quizlet", pack, theme, Report()).decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(pack.flashcards()) == 44
    assert all(line.count("\t") == 1 for line in lines[:-1])
    term, definition = lines[0].split("\t")
    assert term == "Active defense strategy"
    assert definition.endswith("(See also: Forward deployment, US-Japan Alliance)")


def test_markdown_is_stripped_and_breaks_and_tabs_become_spaces(pack, theme):
    cards = (Card("**Bold**\tfront", "*One*\nline, [a link](https://example.org)  and `code`"),)
    data = render_output("quizlet", 
        dataclasses.replace(pack, glossary=(), cards=cards), theme, Report()
    )
    assert data.decode() == "Bold front\tOne line, a link (https://example.org) and code\n"


def test_quizlet_is_built_only_when_asked(tmp_path):
    assert "quizlet" not in DEFAULT_OUTPUTS
    built = build_or_fail(SAMPLE, tmp_path, only=("quizlet",))
    assert set(built) == {"quizlet"} and built["quizlet"].name == "cards-quizlet.txt"
