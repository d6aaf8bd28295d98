"""Typographic quotes by language, never inside code, URLs or math; applied at build, not import."""

from __future__ import annotations

import pytest
import yaml

from studypack.errors import Report
from studypack.fit import FontSet, wrap
from studypack.fonts import OFFICE_FONTS
from studypack.inline import Run
from studypack.load import load_pack
from studypack.typography import smarten

N = "\u202f"


@pytest.mark.parametrize(
    ("language", "typed", "printed"),
    [
        ("en", "Japan's \"2+2\" talks and 'allies'", "Japan’s “2+2” talks and ‘allies’"),
        ("fr", 'Il a dit "bonjour" à l\'école', f"Il a dit «{N}bonjour{N}» à l’école"),
        ("fr", "« mot » et «mot»", f"«{N}mot{N}» et «{N}mot{N}»"),
        ("de", "Er sagte \"Hallo\" und 'ja'", "Er sagte „Hallo“ und ‚ja‘"),
        ("ja", '彼は"はい"と言った', "彼は「はい」と言った"),
        ("ja", "\"外側'内側'\"", "「外側『内側』」"),
        ("zh", '他说"你好"。', "他说“你好”。"),
        ("zh-TW", '他說"你好"。', "他說「你好」。"),
        ("ko", '그는 "네"라고', "그는 “네”라고"),
        ("es", 'dijo "hola"', "dijo «hola»"),
        ("xx", 'an "unknown" language', "an “unknown” language"),
        ("en", "the '90s, students' books", "the ’90s, students’ books"),
        ("en", "\"**bold**\" and ('x')", "“**bold**” and (‘x’)"),
    ],
)
def test_quotes_follow_the_language(language, typed, printed):
    assert smarten(typed, language) == printed


@pytest.mark.parametrize(
    "kept",
    [
        '`print("it\'s")`',
        '``a ` "b"``',
        'https://example.org/it\'s?q="x"&y=1',
        "www.example.org/it's",
        '$f\'(x) = "y"$',
    ],
)
def test_code_urls_and_math_are_untouched(kept):
    assert smarten(f'say "{kept}" now', "en") == f"say “{kept}” now"


def test_link_destination_untouched_but_its_text_smartened():
    typed = '[the "treaty"](https://e.org/a\'b "its title") it\'s'
    assert smarten(typed, "en") == '[the “treaty”](https://e.org/a\'b "its title") it’s'


def test_dollar_amounts_are_not_math():
    assert smarten("from $5 to $10 it's cheap", "en") == "from $5 to $10 it’s cheap"


def test_a_french_quote_never_breaks_from_its_word():
    fonts = FontSet(OFFICE_FONTS["Arial"], OFFICE_FONTS["Courier New"])
    text = smarten('il dit "bonjour" ici', "fr")
    for width in (40, 60, 80, 120):
        for line in wrap([Run(text)], fonts, 12, width):
            words = "".join(p.text for p in line).split(" ")
            assert not any(w.startswith("»") or w.endswith("«") for w in words), words


def test_build_smartens_but_the_file_keeps_what_was_typed(tmp_path):
    data = {
        "title": "Japan's alliance",
        "date": "2026-11-24",
        "sections": [{"title": 'The "2+2"', "points": ["It's `don't` here"]}],
        "glossary": [{"term": "Article 9's limits", "definition": "The 'peace' clause."}],
        "cards": [{"front": 'Who\'s "in"?', "back": "Japan", "id": "kept"}],
    }
    pack_yaml = tmp_path / "pack.yaml"
    pack_yaml.write_text(yaml.safe_dump(data), encoding="utf-8")
    typed = pack_yaml.read_text(encoding="utf-8")
    pack = load_pack(tmp_path, Report())
    assert pack is not None and pack_yaml.read_text(encoding="utf-8") == typed
    assert pack.title == "Japan’s alliance"
    assert pack.sections[0].title == "The “2+2”"
    assert pack.sections[0].points[0].text == "It’s `don't` here"
    term = pack.glossary[0]
    assert (term.term, term.definition) == ("Article 9’s limits", "The ‘peace’ clause.")
    assert term.id == "Article 9's limits"  # the study-app note it already had
    assert pack.cards[0].front == "Who’s “in”?" and pack.cards[0].id == "kept"
