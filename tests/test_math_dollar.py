"""`\\$` is a literal dollar in every output, with or without math beside it; inside a code
span it stays as typed."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from helpers import build_or_fail
from studypack.inline import escape_markdown, parse_inline, plain_text
from studypack.math import InlineMath, split_inline

# Every text carries an escaped dollar; the `…math` ones an equation too, the `…code` ones a
# code span holding `\$` (a shell variable, as typed).
PACK = r"""title: Dollars
language: en
sections:
  - title: Prices
    summary: A ticket costs \$5 today.
    points:
      - A book costs \$12 without tax
      - A pen costs \$3 and its mass is $m_p$
      - Print it with `echo \$PRICE` in a shell
glossary:
  - term: Fare
    definition: What a ride costs, about \$2 on a bus.
cards:
  - front: How much is a coffee?
    back: About \$4 here
  - front: What is the price $p$ of two coffees?
    back: \$8, so $p = 2c$
"""

PLAIN = ("costs $5 today", "costs $12 without tax", "costs $3 and its mass", "about $2 on a bus")
CARDS = ("About $4 here", "$8, so")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("dollars")
    (folder / "pack.yaml").write_text(PACK, encoding="utf-8")
    return build_or_fail(folder, folder / "out")


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_parser_reads_an_escaped_dollar_as_a_dollar_except_in_code() -> None:
    assert plain_text(r"costs \$5") == "costs $5"
    assert [r.text for r in parse_inline(r"`echo \$HOME` costs \$1")] == [
        r"echo \$HOME",
        " costs $1",
    ]
    assert split_inline(r"\$3 and $m$") == [r"\$3 and ", InlineMath("m", 8)]
    assert split_inline(r"`$HOME` and `$PATH`") == [r"`$HOME` and `$PATH`"]  # code holds no math
    assert plain_text(escape_markdown("a $5 fee")) == "a $5 fee"


def test_handout(built: dict[str, Path]) -> None:
    text = flat(" ".join(p.extract_text() for p in PdfReader(built["handout"]).pages))
    for phrase in PLAIN:
        assert phrase in text
    assert r"echo \$PRICE" in text
    assert text.count("\\$") == 1  # only in the code span


def slide_text(slide) -> str:
    """The text of a slide's shapes as PowerPoint shows it (shapes holding math are inside
    mc:AlternateContent, whose Fallback copy is a picture)."""
    paras = [
        "".join(t.text or "" for t in p.iter("{*}t"))
        for p in slide.shapes._spTree.iter("{*}p")
        if not any(a.tag.endswith("}Fallback") for a in p.iterancestors())
    ]
    return " ".join(paras)


def test_deck(built: dict[str, Path]) -> None:
    texts = []
    for slide in Presentation(str(built["deck"])).slides:
        texts.append(slide_text(slide))
        texts.append(slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
    text = flat(" ".join(texts))
    for phrase in PLAIN:
        assert phrase in text
    assert r"echo \$PRICE" in text
    assert text.count("\\$") == 1


def test_flashcards(built: dict[str, Path]) -> None:
    text = flat(" ".join(p.extract_text() for p in PdfReader(built["cards"]).pages))
    for phrase in (*CARDS, PLAIN[3]):
        assert phrase in text
    assert "\\$" not in text


def test_csv(built: dict[str, Path]) -> None:
    rows = [
        r for r in csv.reader(io.StringIO(built["csv"].read_text("utf-8"))) if r and r[0][:1] != "#"
    ]
    backs = " ".join(r[1] for r in rows)
    for phrase in (*CARDS, PLAIN[3]):
        assert phrase in backs
    assert "$p = 2c$" in backs  # the math keeps its source
    assert "\\$" not in backs


def test_anki(built: dict[str, Path], tmp_path: Path) -> None:
    import sqlite3

    with zipfile.ZipFile(built["anki"]) as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    fields = " ".join(
        f for (f,) in sqlite3.connect(tmp_path / "c.anki2").execute("SELECT flds FROM notes")
    )
    for phrase in (*CARDS, PLAIN[3]):
        assert phrase in fields
    assert r"\(p = 2c\)" in fields
    assert "\\$" not in fields
