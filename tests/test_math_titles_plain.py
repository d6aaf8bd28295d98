"""A pack title, heading or term with math reads as text wherever only plain text can go: handout
headers, bookmarks and PDF metadata, card labels, the deck's core properties, the CSV's and Anki's
deck names."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pypdf import PdfReader

from helpers import build_or_fail

PACK = """\
title: Motion with $v_0$ and $\\alpha$
course: Physics $\\Delta t$
language: en
sections:
  - title: Speed $v$ and time $\\Delta t$
    summary: Start.
    points:
      - First point
      - Second point
glossary:
  - term: Speed
    definition: How fast.
  - term: Initial speed $v_0$
    definition: The speed at $t = 0$.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("title-math")
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    return build_or_fail(root, root / "out")


def test_the_handout_header_and_metadata_read_the_title_as_text(built) -> None:
    with pdfplumber.open(str(built["handout"])) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages[1:])
    assert "Motion with v₀ and α" in text and "$" not in text
    assert PdfReader(str(built["handout"])).metadata.title == "Motion with v₀ and α"


def test_card_labels_and_flashcards_metadata(built) -> None:
    with pdfplumber.open(str(built["cards"])) as pdf:
        text = pdf.pages[0].extract_text() or ""
    assert "Motion with v₀ and α" in text and "$" not in text
    assert "$" not in (PdfReader(str(built["cards"])).metadata.title or "")


def test_deck_core_properties(built) -> None:
    props = Presentation(str(built["deck"])).core_properties
    assert props.title == "Motion with v₀ and α"


def test_study_app_deck_names(built) -> None:
    rows = built["csv"].read_text(encoding="utf-8").splitlines()
    assert "#deck:Motion with v₀ and α" in rows
    with zipfile.ZipFile(built["anki"]) as z, z.open("collection.anki2") as f:
        data = f.read()
    db = built["anki"].parent / "collection.anki2"
    db.write_bytes(data)
    with sqlite3.connect(db) as con:
        decks = json.loads(con.execute("select decks from col").fetchone()[0])
    names = {d["name"] for d in decks.values()}
    assert "Motion with v₀ and α" in names, names


def test_bookmarks_and_keywords_read_equations_as_text(built) -> None:
    reader = PdfReader(str(built["handout"]))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "1 Speed v and time Δt" in titles, titles
    assert reader.metadata["/Keywords"] == "Speed, Initial speed v₀"
    assert reader.metadata.subject == "Physics Δt"
    keywords = Presentation(str(built["deck"])).core_properties.keywords
    assert "Initial speed v₀" in keywords and "$" not in keywords
