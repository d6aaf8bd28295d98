"""Decks rendered by a real client (LibreOffice): every glyph must lie inside its placeholder.

Two conversions in all (the sample and a stress pack), shared by every test here.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pptx import Presentation

from helpers import SAMPLE, build_or_fail, glyphs_outside, pdf_from_pptx, rgb

pytestmark = pytest.mark.render

LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosisxyzab"  # 50 letters
WORDS = [
    "alliance",
    "treaty",
    "bases",
    "burden",
    "sharing",
    "defense",
    "security",
    "cooperation",
    "island",
    "region",
    "forces",
    "policy",
    "deterrence",
]


def write_stress_pack(folder: Path) -> Path:
    """60-point lists, a 3,000-word point, 50-letter words, a 400-term glossary, scripts and emoji."""
    rng = random.Random(4)

    def sentence(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."

    points: list = []
    for i in range(60):
        points.append(f"Point {i}: " + sentence(rng.randint(3, 30)))
        if i % 7 == 3:
            points.append(
                [f"sub {i}.{j} " + sentence(rng.randint(2, 14)) for j in range(3)]
                + [[f"deep {i} " + sentence(8), ["deeper " + sentence(12)]]]
            )
    huge = " ".join(" ".join(sentence(rng.randint(5, 25)) for _ in range(200)).split()[:3000])
    terms = [
        {
            "term": f"Term {i:03d} {rng.choice(WORDS)}",
            "definition": " ".join(sentence(rng.randint(4, 20)) for _ in range(rng.randint(1, 4))),
        }
        for i in range(400)
    ]
    terms[5]["definition"] = " ".join(sentence(15) for _ in range(60))  # taller than a column
    terms[7]["definition"] = f"{LONG_WORD * 3} {LONG_WORD}"
    pack = {
        "title": f"A deliberately long pack title {LONG_WORD} that goes on to test the cover slide",
        "subtitle": "Stress <b>&amp; {{ 7*7 }} %(x)s 日本語のテキスト émigré",
        "course": "Stress course", "author": "Tester", "date": "2026-01-02",
        "sections": [
            {"title": "Sixty points", "notes": "Notes for sixty.", "points": points,
             "image": {"path": "timeline.png", "alt": "A timeline", "caption": sentence(30)},
             "sections": [{"title": f"Sub with {LONG_WORD}", "points": [f"{LONG_WORD} {LONG_WORD} in a point", "W" * 400]}]},
            {"title": "One huge point", "summary": sentence(40), "notes": "Huge notes.",
             "points": [huge, " ".join(rng.choice(WORDS) for _ in range(3000))]},
            {"title": "Markup and scripts", "points": [
                "<b>not bold</b> &amp; {{ 7*7 }} **bold** *it* `code` [link](https://example.org)",
                "日本語の文章はスペースなしで折り返されます。" * 20, "Ünïcödé accents " * 40]},
            {"title": "Title " + " ".join(sentence(10) for _ in range(8)), "points": ["Short."]},
        ],
        "glossary": terms,
    }  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE / "images" / "timeline.png", folder / "timeline.png")
    (folder / "pack.yaml").write_text(
        yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="session")
def stress_deck(tmp_path_factory) -> Path:
    pack = write_stress_pack(tmp_path_factory.mktemp("deck-stress") / "deck-stress")
    return build_or_fail(pack, tmp_path_factory.mktemp("deck-stress-out"), only=("deck",))["deck"]


@pytest.fixture(scope="session")
def sample_pdf(sample_outputs, tmp_path_factory) -> Path:
    return pdf_from_pptx(sample_outputs["deck"], tmp_path_factory.mktemp("deck-sample-pdf"))


@pytest.fixture(scope="session")
def stress_pdf(stress_deck, tmp_path_factory) -> Path:
    return pdf_from_pptx(stress_deck, tmp_path_factory.mktemp("deck-stress-pdf"))


def test_sample_deck_every_glyph_inside_its_box(sample_outputs, sample_pdf):
    slides, pages, outside = glyphs_outside(sample_outputs["deck"], sample_pdf)
    assert pages == slides
    assert not outside, "\n".join(outside[:20])


@pytest.mark.slow
def test_stress_deck_every_glyph_inside_its_box(stress_deck, stress_pdf):
    slides, pages, outside = glyphs_outside(stress_deck, stress_pdf)
    assert pages == slides > 100
    assert not outside, "\n".join(outside[:20])


@pytest.mark.slow
def test_stress_deck_continues_long_lists_with_unique_titles(stress_deck):
    prs = Presentation(str(stress_deck))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert len(set(titles)) == len(titles)
    assert (
        "Sixty points: key points (cont.)" in titles
        and "Sixty points: key points (cont. 2)" in titles
    )
    assert sum(t.startswith("Key terms") for t in titles) >= 20
    body = "\n".join(
        sh.text_frame.text for s in prs.slides for sh in s.placeholders if sh.has_text_frame
    )
    for i in range(60):
        assert f"Point {i}:" in body
    assert "Term 399" in body


def test_rendered_text_is_the_text_we_wrote(sample_pdf):
    """LibreOffice drew the deck with real fonts (not boxes) and in reading order per slide."""
    with pdfplumber.open(str(sample_pdf)) as doc:
        first = doc.pages[0].extract_text()
        assert "The Japan–US Security Treaty" in first.replace("\n", " ")
        fonts = {c["fontname"].split("+")[-1] for p in doc.pages[:5] for c in p.chars}
        assert any(f.startswith("LiberationSans") for f in fonts), fonts


def painted(page, colour: str, full: bool = True) -> bool:
    """LibreOffice drew a slide-sized rectangle in this colour (the slide's background), or with
    full=False an area (a rectangle or a closed path) at least a fifth of the slide wide and as
    tall as the slide (the section band)."""
    areas = page.rects + ([] if full else [c for c in page.curves if c.get("fill")])
    return any(
        r["width"] >= (page.width - 1 if full else page.width / 5)
        and r["height"] >= page.height - 1
        and all(abs(a - b) < 0.01 for a, b in zip(r["non_stroking_color"] or (), rgb(colour)))
        for r in areas
    )


def test_the_title_slide_is_drawn_on_primary_and_section_slides_on_a_primary_band(
    sample_outputs, sample_pdf, theme
):
    prs = Presentation(str(sample_outputs["deck"]))
    primary, paper = theme.colors.primary, theme.colors.background
    section_pages = [
        i for i, s in enumerate(prs.slides) if s.slide_layout._element.get("type") == "secHead"
    ]
    assert len(section_pages) >= 2
    with pdfplumber.open(str(sample_pdf)) as doc:
        for i, page in enumerate(doc.pages):
            assert painted(page, primary) == (i == 0), f"slide {i + 1}"
            assert painted(page, primary, full=False) == (i == 0 or i in section_pages), f"slide {i + 1}"
        colours = {tuple(c["non_stroking_color"]) for c in doc.pages[0].chars}
        assert all(all(abs(a - b) < 0.01 for a, b in zip(c, rgb(paper))) for c in colours), colours
        for i in section_pages:
            chars = [c for c in doc.pages[i].chars if c["text"].strip()]
            title = [c for c in chars if 30 < c["size"] < 60]
            summary = [c for c in chars if 14 < c["size"] <= 30]
            assert title and summary, f"slide {i + 1}"
            assert max(c["bottom"] for c in title) < min(c["top"] for c in summary)
            assert min(c["top"] for c in title) < doc.pages[i].height / 2  # upper half
