"""What studypack itself prints (headings, labels, dates) follows the pack's `language:`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pypdf import PdfReader

from helpers import build_or_fail
from studypack.labels import format_date


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1 March 2026"), ("en-GB", "1 March 2026"), ("de", "1. März 2026"), ("fr", "1er mars 2026"),
        ("es", "1 de marzo de 2026"), ("pt-BR", "1 de março de 2026"), ("it", "1 marzo 2026"),
        ("nl", "1 maart 2026"), ("ja", "2026年3月1日"), ("zh", "2026年3月1日"), ("ko", "2026년 3월 1일"),
        ("ru", "2026-03-01"),  # no format of ours: ISO 8601
    ],
)  # fmt: skip
def test_dates_are_written_the_way_the_language_writes_them(language, expected):
    assert format_date(dt.date(2026, 3, 1), language) == expected


def french_pack(folder: Path) -> Path:
    data = {
        "title": "La cellule",
        "date": "2026-11-24",
        "language": "fr",
        "sections": [{"title": "Membrane", "points": ["Elle sépare la cellule de son milieu."]}],
        "glossary": [{"term": "Noyau", "definition": "Il contient l'ADN."}],
    }
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_a_french_pack_prints_french_labels_and_dates(tmp_path):
    out = build_or_fail(french_pack(tmp_path / "cellule"), tmp_path / "out", only=("handout", "deck"))
    pages = [page.extract_text() for page in PdfReader(str(out["handout"])).pages]
    assert "24 novembre 2026" in pages[0]
    text = "\n".join(pages)
    for label in ("Sommaire", "Glossaire", "Page 2 sur 2"):  # a short pack: one page after the cover
        assert label in text
    assert "Contents" not in text and "2026-11-24" not in text
    deck = Presentation(str(out["deck"]))
    cover = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "24 novembre 2026" in cover
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Plan" in titles and "Termes clés" in titles


def test_titles_are_punctuated_by_language():
    from studypack.labels import labels_for

    en, ja, fr = labels_for("en"), labels_for("ja"), labels_for("fr")
    assert en.titled(en.key_points, "Bases") == "Bases: key points"
    assert en.titled(en.key_points, "What is an acid?") == "What is an acid? — key points"
    assert fr.titled(fr.key_points, "Qu'est-ce qu'un acide ?") == "Qu'est-ce qu'un acide ? — points clés"
    assert ja.titled(ja.key_points, "酸とは何か？") == "酸とは何か？　要点"
    assert ja.continued("重要用語", 1) == "重要用語（続き）" and en.continued("Key terms", 2) == "Key terms (cont. 2)"
