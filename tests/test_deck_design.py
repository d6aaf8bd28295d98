"""The default deck's design as LibreOffice draws it: a cover and section dividers whose text stays
in its boxes, dividers that look unlike body slides, a type scale and a quiet footer."""

from __future__ import annotations

import pdfplumber
import pytest
from pptx import Presentation

from helpers import REPO, SAMPLE, build_or_fail, glyphs_outside, pdf_from_pptx, rgb

pytestmark = [pytest.mark.render, pytest.mark.slow]

CHEMISTRY = REPO / "content" / "intro-chemistry"


def same(colour: tuple | list | None, hex_colour: str) -> bool:
    return (
        colour is not None
        and len(colour) == 3
        and all(abs(a - b) < 0.01 for a, b in zip(colour, rgb(hex_colour)))
    )


def filled(page, hex_colour: str) -> list[dict]:
    """Filled areas (LibreOffice draws a shape as a rectangle or a closed path) at least a fifth
    of the page wide and as tall as it, in this colour."""
    return [
        r for r in page.rects + [c for c in page.curves if c.get("fill")]
        if r["width"] >= page.width / 5 and r["height"] >= page.height - 1 and same(r["non_stroking_color"], hex_colour)
    ]  # fmt: skip


@pytest.fixture(scope="module", params=["sample-16:9", "chemistry-16:9", "chemistry-4:3"])
def rendered(request, tmp_path_factory):
    """(deck, its LibreOffice PDF, kind of every slide) for a pack and an aspect."""
    name, aspect = request.param.split("-")
    folder = tmp_path_factory.mktemp(name.replace(":", ""))
    theme = "default"
    if aspect == "4:3":
        (folder / "square").mkdir()
        (folder / "square" / "theme.yaml").write_text(
            'name: Square\nextends: default\npaper: a4\nslides: {aspect: "4:3"}\n', encoding="utf-8"
        )
        theme = str(folder / "square")
    pack = SAMPLE if name == "sample" else CHEMISTRY
    deck = build_or_fail(pack, folder / "out", only=("deck",), theme=theme)["deck"]
    kinds = [s.slide_layout._element.get("type") for s in Presentation(str(deck)).slides]
    return deck, pdf_from_pptx(deck, folder), kinds


def test_title_and_section_slides_keep_every_glyph_in_its_box(rendered):
    deck, pdf, kinds = rendered
    slides, pages, outside = glyphs_outside(deck, pdf)
    assert slides == pages
    ours = {n for n, kind in enumerate(kinds, 1) if kind in ("title", "secHead")}
    assert 1 in ours and len(ours) >= 3
    assert not [g for g in outside if int(g.split(":")[0].split()[1]) in ours]


def test_section_slides_are_dividers_unlike_body_slides(rendered, theme):
    deck, pdf, kinds = rendered
    with pdfplumber.open(str(pdf)) as doc:
        for n, (page, kind) in enumerate(zip(doc.pages, kinds), 1):
            bands = filled(page, theme.colors.primary)
            if kind == "secHead":  # a primary band down the left, the section's number on it
                assert bands and min(b["x0"] for b in bands) < 1, f"slide {n}"
                band = bands[0]
                digits = [c for c in page.chars if c["text"].isdigit() and c["size"] > 60]
                assert digits and all(
                    band["x0"] <= c["x0"] and c["x1"] <= band["x1"] for c in digits
                )
                assert all(same(c["non_stroking_color"], theme.colors.background) for c in digits)
            elif kind != "title":
                assert not bands, f"slide {n}"


def test_type_scale_and_a_quiet_footer(rendered, theme):
    deck, pdf, kinds = rendered
    with pdfplumber.open(str(pdf)) as doc:
        cover = max(c["size"] for c in doc.pages[0].chars)
        assert cover >= 44
        for n, (page, kind) in enumerate(zip(doc.pages, kinds), 1):
            if kind not in ("obj", "twoObj"):
                continue
            chars = [c for c in page.chars if c["text"].strip()]
            title = [
                c
                for c in chars
                if same(c["non_stroking_color"], theme.colors.primary) and c["top"] < 120
            ]
            assert title and max(c["size"] for c in title) >= 28, f"slide {n}"
            assert max(c["size"] for c in title) < cover
            foot = [c for c in chars if c["top"] > page.height - 45]
            assert foot and max(c["size"] for c in foot) <= 12, f"slide {n}"
            assert all(same(c["non_stroking_color"], theme.colors.muted) for c in foot), (
                f"slide {n}"
            )
            right = page.width * 0.95 - 81  # the number's box: 80 pt at the right margin
            number = "".join(c["text"] for c in foot if c["x0"] > right)
            assert number == str(n), (
                f"slide {n}"
            )  # at the right margin, the footer text at the left
